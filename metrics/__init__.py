"""Trusts, the people who use the service, metric definitions and values, SOF scores.

Every other app depends on this one and it depends on none of them, so the registry of
organisations (trusts) and users lives here.
"""
