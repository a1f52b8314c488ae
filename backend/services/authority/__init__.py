"""The authority acting on a record (issue 13, docs/authority-actions.md): 暂扣 (suspend), 解除暂扣 (unsuspend),
注销 (cancel), 撤销 (rescind) and 吊销 (revoke) of a registration, bulk cancellations, and an enterprise's licence
marked revoked (资质或营业执照被吊销), bankrupt (破产) or active again.

Every action takes a reason and a confirmation (`confirm=False` answers what would happen and changes nothing),
and is audited. Dangerous actions (撤销, 吊销, bulk 注销, an enterprise revoked or bankrupt) are not applied at
once: they file a request (`AuthorityRequest`) that a second authority account approves (four-eyes) or rejects:

    out = actions.act_on_registration(session, clock, number, "revoke", reason, who, confirm=True)
    # out.outcome == "pending_approval", out.request.state == "pending"
    approvals.approve(session, clock, out.request.public_id, other)    # applied now, audited with both

- `actions.py`: what each action is, its state rules, the words that restate it, and applying it (through
  registry.registrations.set_status and registry.enterprises.set_licence_status).
- `approvals.py`: requests, their approval (one at a time under the request's row lock; never by the account
  that asked, nor by the admin service token, which is no person) and rejection, and staleness: a request
  whose record changed since it was filed is closed as stale instead of applied.
An enterprise marked revoked or bankrupt keeps its staff's registrations until the daily job
(workflows/lapse.py) cancels them, as 153号令 has it; the answer says how many that will be.
"""
