"""The messages a refused person reads, one per reason: the policies return them, services
and pages show them, and the tests assert on them."""

CREATE_FOR_ASSESSORS = "Only NHS Improvement assessors and admins schedule assessments."
PILOT_FOR_ADMINS = "Only an admin can mark an assessment a pilot."
COMMENTARY_NOT_YOURS = "Only users of the assessed trust write its commentary."
COMMENTARY_CLOSED = "Commentary can no longer be changed: it was submitted or the window closed."
COMMENTARY_NOT_SHARED = "The trust's commentary is shown once it is submitted."
EVIDENCE_CLOSED = "Evidence can only be recorded by the team while the assessment gathers evidence."
RATINGS_CLOSED = "Ratings can only be proposed by the team while the assessment gathers evidence."
RATINGS_BEFORE_VISIT = (
    "Ratings can be proposed from the day of the site visit, {date:%-d %B %Y}: the rating rests "
    "on what the team finds there."
)
SITE_VISIT_NOT_LEAD = (
    "Only the lead assessor moves the site visit, and only before the rating goes to QA."
)
EVIDENCE_WITHDRAWN = "This evidence was withdrawn: it can no longer be changed."
WITHDRAW_CLOSED = (
    "Evidence can only be withdrawn by the team while the assessment gathers evidence; after "
    "the draft is shared a finding changes only through a factual-accuracy challenge."
)
WORKSPACE_FOR_STAFF = (
    "The workspace is NHS Improvement's and CQC's: the trust reads the evidence and ratings "
    "in the shared draft report."
)
INTERNAL_NOT_SHARED = (
    "NHS Improvement's evidence and ratings reach the trust with the shared draft report."
)
AGENDA_CLOSED = "Only the team can change the agenda, and only before the rating is proposed."
DEADLINE_CLOSED = (
    "The commentary deadline can only be changed by the team while commentary is open."
)
CHALLENGE_NOT_YOURS = "Only users of the assessed trust raise factual-accuracy challenges."
CHALLENGE_NOT_OPEN = "Challenges can only be raised while the draft report is being checked."
CHALLENGES_CLOSED = (
    "The deadline for factual-accuracy challenges was {deadline:%A %d %B %Y}: the trust can no "
    "longer raise challenges."
)
CHALLENGES_DONE = (
    "The trust confirmed on {date:%d %B %Y} that it has no more challenges: it can raise no more."
)
NO_MORE_NOT_YOURS = (
    "Only users of the assessed trust confirm that they have no more challenges, while they "
    "can still raise them."
)
ANSWER_NOT_YOURS = "Only assessors on the team answer challenges."
ANSWER_CLOSED = "Challenges can only be answered while the factual-accuracy check is open."
ANSWER_SIGNED_OFF = "This answer has been signed off and can no longer be changed."
ANSWER_RESOLVED = "This challenge is resolved: its answer can no longer be changed."
RESOLVE_NOT_YOURS = "Only assessors on the team resolve challenges."
RESOLVE_CLOSED = "Challenges can only be resolved while the factual-accuracy check is open."
RESOLVE_NOT_UPHELD = "Only an accepted or partly accepted challenge is resolved: answer it first."
RESOLVE_ALREADY = "This challenge is already resolved."
SIGN_OFF_NOT_YOURS = (
    "An answer is signed off by someone at NHS Improvement who was not on the assessment "
    "team and can see the assessment: an admin or a QA committee member."
)
FA_DEADLINE_NOT_LEAD = "Only the lead assessor sets the deadline, while challenges are open."
DISCUSSION_NOT_YOURS = "Only the assessment team and CQC reviewers take part in the discussion."
DISCUSSION_CLOSED = "The discussion is open while CQC disputes the rating."
QUALITY_FOR_STAFF = "Only NHS Improvement and CQC staff read the quality ratings."
QUALITY_NOT_YOURS = (
    "Only a CQC reviewer records quality ratings, while it reviews the rating and before "
    "finalising."
)
REVISION_NOT_YOURS = (
    "Only the lead assessor revises a rationale, while the assessment is at “Rationale revision”."
)
REVIEW_NOT_YOURS = "Only users of the assessed trust can ask for a review of its rating."
REVIEW_NOT_PUBLISHED = "A review can be requested only once the rating is published."
REVIEW_ONCE = "A review of this rating has already been requested: it can be asked for once."
REVIEW_TOO_LATE = "The review had to be requested by {deadline:%d %B %Y} (15 working days)."
DECISION_NOT_YOURS = "Only a CQC reviewer decides a review request."
DECISION_NOTHING = "There is no review request to decide."
DECISION_ALREADY = "This review request has already been decided."
REPORT_DRAFT_REFUSED = (
    "Only the lead assessor can request the draft report, while the assessment is at "
    "“Draft report”."
)
REPORT_FINAL_REFUSED = (
    "Only a CQC reviewer can request the final report, once the assessment is finalised."
)
RECORD_FOR_STAFF = (
    "The internal decision record is for NHS Improvement and CQC staff who can see the assessment."
)
AGREED_RATING_CLOSED = "The agreed rating is recorded while CQC disputes the rating."

# The workflow's actions: "{label} is for {who}", as the workflow table names them.
ACTION_NOT_YOURS = "{label} is for {who}."
WHO_TEAM = "an assessor on the team"
WHO_TRUST = "a user of the trust"
WHO_LEAD = "the lead assessor"
WHO_QA = "the QA committee"
WHO_CQC = "a CQC reviewer"
TEAM_NOT_LEAD = (
    "Only the lead assessor can hand the assessment over or change its team, until the rating "
    "is final."
)
CALIBRATION_FOR_QA = (
    "The calibration view is for the QA committee and admins: it compares ratified ratings "
    "across trusts."
)
