"""The factual-accuracy check of the shared draft: the trust's challenges, the team's answers
and their independent sign-off, and the deadline for challenges with its reminders.

Models, services, selectors, forms, pages and API routes of this subject live here; the
workflow (assessments/workflow.py) calls `services.challenges_settled` and
`services.fa_deadline_start` and this package never imports it back.
"""
