"""The registration workflows: applications (初始, 增项, 延续, 变更, 个人信息修改, 注销, 重新注册) from draft to
decision, the rules as data (智慧审批), what an approval does to the registry, and the daily lapse job.

    types.py        the vocabulary: application types, states, per-province policy, actors
    access.py       who may see or act, the row lock, the record of each step
    drafts.py       create, edit, attach proof files, list and read applications
    transitions.py  submit, withdraw, confirm, decline, decide
    rules.py        the named rules and their evaluation
    effects.py      what an approval changes, through the registry and issuance
    lapse.py        the daily job: specialties and registrations that lapse or are cancelled
    errors.py       every refusal of the workflows, with its code and its Chinese and English message
"""
