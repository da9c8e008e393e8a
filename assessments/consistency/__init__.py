"""Consistency checks: the mechanical part of QA's reading of a proposed rating.

`rules.py` holds the rules, each small and named with its message and source; the findings
are evaluated afresh whenever someone opens the assessment from evidence gathering on
(`selectors.findings_for_user`), never stored as such. What is stored is each answer the
team gives (`FindingAnswer`) and, when the team proposes and when the factual-accuracy check
closes, a snapshot of the findings with their answers for the internal decision record
(`FindingRecord`). None of it ever reaches the published report.
"""
