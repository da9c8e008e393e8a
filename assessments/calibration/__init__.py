"""The QA committee's calibration view: every ratified or published assessment's ratings
beside its metrics' peer quartiles and finance score, and the pairs of trusts whose ratings
for a KLOE disagree more than their metrics do."""
