"""Who may reach the routes of UoR assessments and their API (rows for core.access).

Most answers depend on the workflow state, so the rows use the rules of access_rules.py over
the states.
"""

from core.access import ACT, OWN_TRUST, PUBLIC, SIGNED_IN, A, Row, answers

from .access_api import API_ROWS, QUALITY_STATES
from .access_rules import (
    ASSESSMENT_STATES,
    TEAM_CHANGE_PAGE,
    action_page,
    by_assessment_rule,
    by_assessment_state,
    internal,
    internal_then,
    only,
    report_requester,
    staff_only,
    staff_record,
    staff_record_then,
    team_while,
    trust_own_while,
)

# The team changes the site-visit agenda (and adds or removes sessions) until it proposes.
AGENDA_OPEN = team_while(("scheduled", "evidence"))

ROWS: list[Row] = [
    Row("home", {"GET": SIGNED_IN}, note="each role's own to-do list"),
    Row("assessments:assessment_list", {"GET": SIGNED_IN}, note="each sees only what they may"),
    Row(
        "assessments:assessment_create",
        {
            "GET": answers(
                A.FORBIDDEN,
                anonymous=A.LOGIN,
                assessor_on_team=A.OK,
                assessor_off_team=A.OK,
                admin=A.OK,
            ),
            "POST": answers(
                A.FORBIDDEN,
                anonymous=A.LOGIN,
                assessor_on_team=A.OK,
                assessor_off_team=A.OK,
                admin=A.OK,
            ),
        },
        note="assessors schedule, and admins (who alone mark pilots); an empty post shows errors",
    ),
    Row(
        "assessments:calibration",
        {"GET": answers(A.FORBIDDEN, anonymous=A.LOGIN, admin=A.OK, qa=A.OK)},
        note="every ratified rating beside its metrics' quartiles; ?format=csv (&list=pairs)",
    ),
    Row(
        "assessments:assessment_detail",
        {},
        kwargs="assessment",
        by_state=by_assessment_state(GET=A.OK),
        note="QA sees it from qa_review on, CQC from factual_accuracy on; other trusts get 404",
    ),
    Row(
        "assessments:assessment_transition",
        {},
        kwargs="workflow_action",
        by_state=by_assessment_rule(
            GET=action_page((ACT.QA,), ("qa_review",)),
            POST=action_page((ACT.QA,), ("qa_review",)),
        ),
        note="QA's return: check page, confirm (an empty post asks for the note); stale: back",
    ),
    Row("assessments:team_change", {}, kwargs="assessment", by_state=TEAM_CHANGE_PAGE),
    *(
        Row(
            name,
            {},
            kwargs="assessment",
            by_state=by_assessment_rule(GET=AGENDA_OPEN, POST=AGENDA_OPEN),
            note="the team, until the rating is proposed; an empty post shows the errors",
        )
        for name in (
            "assessments:agenda_edit",
            "assessments:agenda_session_add",
            "assessments:agenda_session_remove",
        )
    ),
    Row(
        "assessments:deadline_edit",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=team_while(("scheduled",)), POST=team_while(("scheduled",))
        ),
        note="the team, while the trust can still write commentary",
    ),
    Row(
        "assessments:commentary_edit",
        {},
        kwargs="kloe",
        by_state=by_assessment_rule(
            GET=trust_own_while(tuple(ASSESSMENT_STATES)), POST=trust_own_while(("scheduled",))
        ),
        note="the trust's own page; read-only once submitted; the team reads it in its workspace",
    ),
    Row(
        "assessments:kloe_workspace",
        {},
        kwargs="kloe",
        by_state=by_assessment_rule(GET=staff_only, POST=team_while(("evidence",))),
        note="staff read; the team proposes the KLOE rating while gathering evidence",
    ),
    Row(
        "assessments:site_visit_edit",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=team_while(("scheduled", "evidence")), POST=team_while(("scheduled", "evidence"))
        ),
        note="the lead moves the site visit with a reason, until the rating goes to QA",
    ),
    Row(
        "assessments:overall_rating",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=staff_only, POST=team_while(("evidence",))),
        note="staff read; the team proposes the overall rating while gathering evidence",
    ),
    Row(
        "assessments:evidence_create",
        {},
        kwargs="kloe",
        by_state=by_assessment_rule(GET=team_while(("evidence",)), POST=team_while(("evidence",))),
        note="the team while gathering evidence",
    ),
    Row(
        "assessments:evidence_from_metric",
        {},
        kwargs="kloe",
        by_state=by_assessment_rule(POST=team_while(("evidence",), ok=A.REDIRECT)),
        note="one metric of the pack becomes evidence; back to the workspace",
    ),
    Row(
        "assessments:evidence_detail",
        {},
        kwargs="evidence",
        by_state=by_assessment_rule(GET=internal, POST=internal_then(team_while(("evidence",)))),
        note="a trust gets 404 until the draft report is shared; the team edits while open",
    ),
    Row(
        "assessments:evidence_withdraw",
        {},
        kwargs="evidence",
        by_state=by_assessment_rule(
            GET=internal_then(team_while(("evidence",))),
            POST=internal_then(team_while(("evidence",))),
        ),
        note="the team withdraws a finding with a reason while gathering evidence",
    ),
    Row(
        "assessments:attachment_download",
        {},
        kwargs="evidence_attachment",
        by_state=by_assessment_rule(GET=internal),
        note="a file of evidence: as the evidence; commentary files follow the commentary",
    ),
    Row(
        "assessments:report_list",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=internal, POST=internal_then(report_requester)),
        note="versions and status; a trust sees them once the draft is shared; the lead "
        "requests the draft at draft_report, CQC the final report once finalised",
    ),
    Row(
        "assessments:report_status",
        {},
        kwargs="report",
        by_state=by_assessment_rule(GET=internal),
        note="JSON for the page's poll; as the report list",
    ),
    Row(
        "assessments:report_download",
        {},
        kwargs="report",
        by_state=by_assessment_rule(GET=internal),
        note="a ready draft's PDF (SHA-256 checked); a trust gets 404 until the draft is shared",
    ),
    Row(
        "assessments:record",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=staff_record, POST=staff_record_then(A.REDIRECT)),
        note="the internal decision record: staff who see the assessment read it and queue its "
        "PDF (back to the reports page); the trust gets 404, as for other internal things",
    ),
    Row(
        "assessments:challenge_list",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=internal),
        note="challenges and signed-off answers; a trust gets 404 until the draft is shared",
    ),
    Row(
        "assessments:challenge_create",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=internal_then(trust_own_while(("factual_accuracy",))),
            POST=internal_then(trust_own_while(("factual_accuracy",))),
        ),
        note="the trust, until the deadline; an empty post shows the errors",
    ),
    Row(
        "assessments:no_more_challenges",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=internal_then(trust_own_while(("factual_accuracy",))),
            POST=internal_then(trust_own_while(("factual_accuracy",), ok=A.REDIRECT)),
        ),
        note="the trust, while it can raise challenges: a check page, then it confirms",
    ),
    Row(
        "assessments:challenge_answer",
        {},
        kwargs="challenge",
        by_state=by_assessment_rule(
            GET=internal_then(team_while(("factual_accuracy",))),
            POST=internal_then(team_while(("factual_accuracy",))),
        ),
        note="the team drafts the answer while the check is open",
    ),
    Row(
        "assessments:challenge_sign_off",
        {},
        kwargs="challenge",
        by_state=by_assessment_rule(
            GET=internal_then(only((ACT.ADMIN, ACT.QA), ("factual_accuracy",))),
            POST=internal_then(only((ACT.ADMIN, ACT.QA), ("factual_accuracy",))),
        ),
        note="NHSI outside the team (admin, QA; an assessor off the team cannot see it); an "
        "unanswered challenge is refused on the page",
    ),
    Row(
        "assessments:challenge_resolve",
        {},
        kwargs="accepted_challenge",
        by_state=by_assessment_rule(
            GET=internal_then(team_while(("factual_accuracy",))),
            POST=internal_then(team_while(("factual_accuracy",))),
        ),
        note="the team resolves an accepted challenge while the check is open; an empty post "
        "shows the errors",
    ),
    Row(
        "assessments:fa_deadline_edit",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=team_while(("factual_accuracy",)), POST=team_while(("factual_accuracy",))
        ),
        note="the lead assessor sets or extends the deadline with a reason",
    ),
    Row(
        "assessments:discussion",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=staff_only, POST=only((ACT.ASSESSOR_ON_TEAM, ACT.CQC), ("dispute",))
        ),
        note="the team and CQC while the rating is disputed; never the trust",
    ),
    Row(
        "assessments:agree_rating",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=only((ACT.CQC,), ("dispute",)), POST=only((ACT.CQC,), ("dispute",))
        ),
        note="CQC records the agreed rating; an empty post shows the errors",
    ),
    Row(
        "assessments:quality_ratings",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=only((ACT.CQC,), QUALITY_STATES), POST=only((ACT.CQC,), QUALITY_STATES)
        ),
        note="CQC, while it reviews the rating and before finalising (the report needs them)",
    ),
    Row(
        "assessments:rationale_revision",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=team_while(("revision",)), POST=team_while(("revision",))),
        note="the lead revises each rationale CQC's rating changed, CQC's reasons beside it",
    ),
    Row(
        "assessments:review_request",
        {},
        kwargs="published",
        by_state=by_assessment_rule(
            GET=only(tuple(ACT), ("published",)),
            POST=only((ACT.TRUST_OWN,), ("published",)),
        ),
        note="the trust asks once within 15 working days; CQC decides once a request exists",
    ),
    Row(
        "assessments:published_register",
        {"GET": PUBLIC},
        note="public information (CQC publishes these ratings): anyone, signed in or not",
    ),
    Row(
        "assessments:published_trust",
        {"GET": PUBLIC},
        kwargs="published_trust",
        note="a trust's public page (its published ratings and report): anyone; 404 for a trust "
        "with no published rating",
    ),
    Row(
        "assessments:published_report",
        {},
        kwargs="published_report",
        by_state={
            state: {"GET": PUBLIC if state == "published" else answers(A.NOT_FOUND)}
            for state in ASSESSMENT_STATES
        },
        note="the published final report (PDF): anyone once published; 404 for everyone before",
    ),
    Row(
        "assessments:trust_use_of_resources",
        {"GET": OWN_TRUST},
        kwargs="trust",
        note="finance score and UoR rating side by side",
    ),
    *API_ROWS,
]
