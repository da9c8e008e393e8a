"""The factual-accuracy check of the shared draft: the trust's challenges, the team's answers
and their independent sign-off, and the deadline for challenges with its reminders.

Models, services, selectors, forms, pages and API routes of this subject live here; the
workflow (assessments/workflow.py) calls `closing.fa_closable` (every challenge settled, and a
reason to close before the deadline without the trust's word), `closing.fa_close_followup` and
`services.fa_deadline_start`, and this package never imports it back.
"""
