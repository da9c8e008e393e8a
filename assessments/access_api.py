"""Who may reach the REST API of UoR assessments (rows for core.access, gathered into
assessments/access.py's ROWS). The pages' rows are in access.py."""

from core.access import (
    ACT,
    PUBLIC,
    SIGNED_IN,
    A,
    Row,
    answers,
)

from .access_rules import (
    TEAM_CHANGE_API,
    by_assessment_rule,
    by_assessment_state,
    findings_answer,
    internal,
    internal_then,
    only,
    report_requester,
    staff_only,
    staff_record,
    team_while,
    trust_own_while,
)

# CQC records the quality ratings while it reviews the rating, before finalising.
QUALITY_STATES = ("cqc_review", "dispute", "revision")

API_ROWS: list[Row] = [
    Row(
        "api:assessment-list",
        {
            "GET": SIGNED_IN,
            "POST": answers(
                A.FORBIDDEN,
                anonymous=A.LOGIN,
                assessor_on_team=A.INVALID,
                assessor_off_team=A.INVALID,
                admin=A.INVALID,
            ),
        },
        note="assessors and admins schedule; the empty post is refused as invalid",
    ),
    Row("api:assessment-detail", {}, kwargs="assessment", by_state=by_assessment_state(GET=A.OK)),
    Row("api:assessment-team", {}, kwargs="assessment", by_state=TEAM_CHANGE_API),
    Row(
        "api:assessment-transitions",
        {},
        kwargs="assessment",
        by_state=by_assessment_state(GET=A.OK, POST=A.INVALID),
        note="whoever may see the assessment may ask; the action's policy decides who may act",
    ),
    Row(
        "api:assessment-consistency",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(GET=staff_record, POST=findings_answer(A.INVALID)),
        note="consistency findings: staff read; the team answers (the empty post is invalid); "
        "a trust gets 404",
    ),
    Row(
        "api:assessment-site-visit",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(POST=team_while(("scheduled", "evidence"), ok=A.INVALID)),
        note="the lead moves the site visit with a reason; the empty post is invalid",
    ),
    # The API asks the page's policy before reading the body: a refused user gets 403, as on
    # the page, and only those the policy allows learn their (empty) post is invalid.
    Row(
        "api:assessment-commentary",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=lambda state, actor: A.OK, POST=trust_own_while(("scheduled",), ok=A.INVALID)
        ),
        note="the trust writes commentary while it is open",
    ),
    *[
        Row(
            f"api:assessment-{name}",
            {},
            kwargs="assessment",
            by_state=by_assessment_rule(
                GET=lambda state, actor: A.OK, POST=team_while(("evidence",), ok=A.INVALID)
            ),
            note="the team records evidence and proposes ratings while gathering evidence",
        )
        for name in ("evidence", "ratings")
    ],
    Row(
        "api:assessment-reports",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=internal,
            POST=internal_then(
                lambda state, actor: (
                    A.OK if report_requester(state, actor) == A.REDIRECT else A.FORBIDDEN
                )
            ),
        ),
        note="as the report page; POST queues the report you may request now (201)",
    ),
    Row(
        "api:assessment-report-download",
        {},
        kwargs="report",
        by_state=by_assessment_rule(GET=internal),
        note="a ready version's PDF; a trust gets 404 until the draft is shared",
    ),
    Row(
        "api:assessment-challenges",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=internal,
            POST=internal_then(trust_own_while(("factual_accuracy",), ok=A.INVALID)),
        ),
        note="the trust raises challenges until the deadline; the empty post is invalid",
    ),
    Row(
        "api:assessment-challenge-answer",
        {},
        kwargs="challenge",
        by_state=by_assessment_rule(
            POST=internal_then(team_while(("factual_accuracy",), ok=A.INVALID))
        ),
        note="the team answers while the check is open",
    ),
    Row(
        "api:assessment-challenge-sign-off",
        {},
        kwargs="challenge",
        by_state=by_assessment_rule(
            POST=internal_then(only((ACT.ADMIN, ACT.QA), ("factual_accuracy",), ok=A.INVALID))
        ),
        note="NHSI outside the team; an unanswered challenge is refused as invalid",
    ),
    Row(
        "api:assessment-challenge-resolve",
        {},
        kwargs="accepted_challenge",
        by_state=by_assessment_rule(
            POST=internal_then(team_while(("factual_accuracy",), ok=A.INVALID))
        ),
        note="the team resolves an accepted challenge while the check is open",
    ),
    Row(
        "api:assessment-discussion",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=staff_only,
            POST=only((ACT.ASSESSOR_ON_TEAM, ACT.CQC), ("dispute",), ok=A.INVALID),
        ),
        note="the team and CQC while the rating is disputed; never the trust",
    ),
    Row(
        "api:assessment-quality-ratings",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=staff_only,
            POST=only((ACT.CQC,), QUALITY_STATES, ok=A.INVALID),
        ),
        note="staff read; CQC records them before publication (the empty post is invalid)",
    ),
    Row(
        "api:assessment-rationale-revision",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(POST=team_while(("revision",), ok=A.INVALID)),
        note="the lead revises a rationale CQC's rating changed; the empty post is invalid",
    ),
    Row(
        "api:assessment-review-request",
        {},
        kwargs="published",
        by_state=by_assessment_rule(
            GET=lambda state, actor: A.OK,
            POST=only((ACT.TRUST_OWN,), ("published",), ok=A.INVALID),
        ),
        note="the trust asks once after publication; CQC decides once a request exists",
    ),
    Row(
        "api:publishedrating-list",
        {"GET": PUBLIC},
        note="the public register; ?region=&trust_type=&sort=",
    ),
]
