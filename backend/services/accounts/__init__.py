"""Accounts of people who log in (enterprise, authority, inspector, holder): creation, password logins with
their lockout, and the sessions behind access tokens.
"""
