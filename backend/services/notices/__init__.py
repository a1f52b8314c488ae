"""In-app notices for holders and enterprises, and their e-mail (docs/notices.md).

A notice is one event told to one audience: a person ("p:<id>", seen by that person's holder accounts) or an
enterprise ("e:<id>", seen by its enterprise accounts); only audiences with an active account get them.
Each carries a key, unique, naming the event: a hook that runs twice, or the daily job run twice, makes
nothing new. Kinds (texts.py): renewal_open, renewal_closing, specialty_short (Jiangsu FAQ Q36),
copy_superseded (with what changed), status_changed, application_action, certificate_checked.

Who makes them: the registry's hooks (superseding.py, registrations.set_status, the lapse job), the
workflows (record_event), issuance (加注), the verify path of a signed-in inspector and the site checks
(checked.py), and the daily job (daily.py), which also drains the e-mail outbox (mail.py). The holder's and
the enterprise's inbox and preferences are inbox.py.

Imports only models and the root service modules: the registry, workflows and issuance import this package,
never the other way round.
"""
