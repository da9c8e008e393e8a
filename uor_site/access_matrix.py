"""The authorization matrix: who may reach every route, by HTTP method.

One row per URL name (or a wildcard over a namespace). The test in
tests/security/test_access_matrix.py enumerates every route the URL resolver knows, fails on
a route without a row, and requests each one as each actor with each method. The admin page
/access-matrix/ shows this same table.

To add a route: add its row here in the same change, naming which world object fills its URL
arguments (`kwargs`); the test builds that object for two trusts.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase


class Actor(StrEnum):
    ANONYMOUS = "anonymous"
    ADMIN = "admin"
    ASSESSOR_ON_TEAM = "assessor on team"
    ASSESSOR_OFF_TEAM = "assessor not on team"
    QA = "qa"
    CQC = "cqc"
    TRUST_OWN = "trust (own)"
    TRUST_OTHER = "trust (other)"


class Answer(StrEnum):
    OK = "200"  # 2xx: the page, the data, or a form shown again with its errors
    REDIRECT = "302"  # sent on to another page (the success of most form posts)
    LOGIN = "login"  # redirect to the sign-in page; 401 from the API
    FORBIDDEN = "403"
    NOT_FOUND = "404"  # where the object's existence is itself private
    NOT_ALLOWED = "405"
    INVALID = "400"  # the API refused the (empty) input: the caller got past every check


A, ACT = Answer, Actor


def answers(default: Answer, **overrides: Answer) -> dict[Actor, Answer]:
    """Give every actor `default`, except those named (by Actor member name, lower case)."""
    table = dict.fromkeys(Actor, default)
    for name, answer in overrides.items():
        table[Actor[name.upper()]] = answer
    return table


PUBLIC = answers(A.OK)
SIGNED_IN = answers(A.OK, anonymous=A.LOGIN)
STAFF_ONLY = answers(A.OK, anonymous=A.LOGIN, trust_own=A.FORBIDDEN, trust_other=A.FORBIDDEN)
ADMIN_ONLY = answers(A.FORBIDDEN, anonymous=A.LOGIN, admin=A.OK)
OWN_TRUST = answers(A.OK, anonymous=A.LOGIN, trust_other=A.NOT_FOUND)
# Well-led: the trust writes its own review cycle; NHSI and CQC write their own decisions.
# A trust user of another trust never learns the object exists (404).
WELLLED_TRUST_WRITES = answers(
    A.FORBIDDEN, anonymous=A.LOGIN, trust_own=A.OK, trust_other=A.NOT_FOUND
)
WELLLED_NHSI_WRITES = answers(
    A.OK, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_own=A.FORBIDDEN, trust_other=A.NOT_FOUND
)
WELLLED_CQC_WRITES = answers(A.FORBIDDEN, anonymous=A.LOGIN, cqc=A.OK, trust_other=A.NOT_FOUND)
NHSI_ONLY = answers(
    A.OK, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_own=A.FORBIDDEN, trust_other=A.FORBIDDEN
)
# Django admin sends anyone who is not a signed-in admin to the sign-in page.
DJANGO_ADMIN = answers(A.LOGIN, admin=A.OK)
READ_ONLY_ADMIN = answers(A.LOGIN, admin=A.FORBIDDEN)


# The workflow states in order (assessments.models.Status); kept here as data so this table
# reads on its own.
ASSESSMENT_STATES = [
    "scheduled",
    "evidence",
    "qa_review",
    "draft_report",
    "factual_accuracy",
    "cqc_review",
    "dispute",
    "finalised",
    "published",
]


def assessment_visibility(state: str, seen: Answer = Answer.OK) -> dict[Actor, Answer]:
    """Who sees an assessment of the own trust in `state`: its team, admins and the trust
    always; QA from qa_review on; CQC from factual_accuracy on (the shared draft, for
    information); everyone else gets 404."""
    index = ASSESSMENT_STATES.index
    return answers(
        A.NOT_FOUND,
        anonymous=A.LOGIN,
        admin=seen,
        assessor_on_team=seen,
        trust_own=seen,
        qa=seen if index(state) >= index("qa_review") else A.NOT_FOUND,
        cqc=seen if index(state) >= index("factual_accuracy") else A.NOT_FOUND,
    )


def by_assessment_state(**method_answers: Answer) -> dict[str, dict[str, dict[Actor, Answer]]]:
    """A by_state table: for each method, who sees the assessment in each state."""
    return {
        state: {
            method: assessment_visibility(state, seen) for method, seen in method_answers.items()
        }
        for state in ASSESSMENT_STATES
    }


def by_assessment_rule(**method_rules) -> dict[str, dict[str, dict[Actor, Answer]]]:
    """A by_state table where those who see the assessment get what `rule(state, actor)`
    says (those who do not see it get 404, anonymous people the sign-in page, as above)."""

    def table(state: str, rule) -> dict[Actor, Answer]:
        seen = assessment_visibility(state)
        return {
            actor: rule(state, actor) if seen[actor] == Answer.OK else seen[actor]
            for actor in Actor
        }

    return {
        state: {method: table(state, rule) for method, rule in method_rules.items()}
        for state in ASSESSMENT_STATES
    }


def team_while(states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: the assessor on the team gets `ok` in `states`; everyone else who sees the
    assessment gets 403 (they may look at it but not act)."""
    return lambda state, actor: (
        ok if actor == Actor.ASSESSOR_ON_TEAM and state in states else Answer.FORBIDDEN
    )


def staff_only(state: str, actor: Actor) -> Answer:
    """A rule: NHS Improvement and CQC staff who see the assessment read; a trust gets 403."""
    return Answer.FORBIDDEN if actor == Actor.TRUST_OWN else Answer.OK


def internal(state: str, actor: Actor) -> Answer:
    """A rule for NHSI's internal evidence: staff who see the assessment see it; the trust
    gets 404 (it must not learn the evidence exists) until the draft report is shared."""
    if actor == Actor.TRUST_OWN:
        shared = ASSESSMENT_STATES.index(state) >= ASSESSMENT_STATES.index("factual_accuracy")
        return Answer.OK if shared else Answer.NOT_FOUND
    return Answer.OK


def internal_then(rule):
    """`internal` first (404 for a trust before the draft is shared), then `rule`."""
    return lambda state, actor: (
        Answer.NOT_FOUND if internal(state, actor) == Answer.NOT_FOUND else rule(state, actor)
    )


def trust_own_while(states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: the trust's own users get `ok` in `states`, 403 after; everyone else 403."""
    return lambda state, actor: (
        ok if actor == Actor.TRUST_OWN and state in states else Answer.FORBIDDEN
    )


def only(actors: tuple[Actor, ...], states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: `actors` get `ok` in `states`; everyone else who sees the assessment 403."""
    return lambda state, actor: ok if actor in actors and state in states else Answer.FORBIDDEN


def report_requester(state: str, actor: Actor) -> Answer:
    """A rule: the lead assessor requests the draft at draft_report, CQC the final report
    once finalised (then sent back to the report list); anyone else who sees it gets 403."""
    if (actor, state) in ((Actor.ASSESSOR_ON_TEAM, "draft_report"), (Actor.CQC, "finalised")):
        return Answer.REDIRECT
    return Answer.FORBIDDEN


@dataclass(frozen=True)
class Row:
    route: str  # "namespace:name"; a pattern with * (fnmatch) covers every route it matches
    methods: dict[str, dict[Actor, Answer]]
    kwargs: str = ""  # the world object whose values fill the URL (see the test's KWARGS)
    note: str = ""
    query: str = ""  # a query string the request carries
    by_state: dict[str, dict[str, dict[Actor, Answer]]] = field(default_factory=dict)

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.route


MATRIX: list[Row] = [
    # Public and service endpoints
    Row("home", {"GET": SIGNED_IN}, note="each role's own to-do list"),
    Row("health", {"GET": PUBLIC}, note="load-balancer check; no data"),
    Row("access_matrix", {"GET": ADMIN_ONLY}, note="this table"),
    # Sign-in and account
    Row(
        "accounts:login",
        {
            "GET": answers(A.REDIRECT, anonymous=A.OK),
            "POST": answers(A.REDIRECT, anonymous=A.OK),
        },
        note="signed-in people are sent home; an empty post shows the errors",
    ),
    Row(
        "accounts:login_code",
        {"GET": answers(A.LOGIN), "POST": answers(A.LOGIN)},
        note="only after a correct password in the same session; otherwise back to sign-in",
    ),
    Row("accounts:logout", {"POST": answers(A.LOGIN)}, note="sign out, then the sign-in page"),
    Row("accounts:two_factor", {"GET": SIGNED_IN}, note="your account and second factor"),
    Row("accounts:two_factor_enrol", {"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    Row(
        "accounts:recovery_codes",
        {
            "POST": answers(
                A.REDIRECT, anonymous=A.LOGIN, trust_own=A.FORBIDDEN, trust_other=A.FORBIDDEN
            )
        },
    ),
    Row("accounts:password_change", {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    Row("accounts:password_change_done", {"GET": SIGNED_IN}),
    Row("accounts:password_reset", {"GET": PUBLIC, "POST": PUBLIC}),
    Row("accounts:password_reset_done", {"GET": PUBLIC}),
    Row(
        "accounts:password_reset_confirm",
        {"GET": answers(A.REDIRECT), "POST": answers(A.REDIRECT)},
        kwargs="reset_link",
        note="a valid link moves on to the set-password form",
    ),
    Row("accounts:password_reset_complete", {"GET": PUBLIC}),
    # Trusts and loads
    Row("metrics:trust_list", {"GET": SIGNED_IN}, note="a trust user sees only their own"),
    Row("metrics:trust_detail", {"GET": OWN_TRUST}, kwargs="trust"),
    Row("metrics:trust_load", {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY}),
    Row("metrics:metric_load", {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY}),
    Row("metrics:data_load_detail", {"GET": ADMIN_ONLY}, kwargs="data_load"),
    Row("metrics:security_log", {"GET": ADMIN_ONLY}),
    Row("metrics:metrics_pack", {"GET": OWN_TRUST}, kwargs="trust", note="charts and benchmarks"),
    Row("metrics:finance_scores", {"GET": STAFF_ONLY}, note="every trust's score; ?format=csv"),
    # Assessments
    Row("assessments:assessment_list", {"GET": SIGNED_IN}, note="each sees only what they may"),
    Row(
        "assessments:assessment_create",
        {
            "GET": answers(
                A.FORBIDDEN, anonymous=A.LOGIN, assessor_on_team=A.OK, assessor_off_team=A.OK
            ),
            "POST": answers(
                A.FORBIDDEN, anonymous=A.LOGIN, assessor_on_team=A.OK, assessor_off_team=A.OK
            ),
        },
        note="assessors schedule; an empty post shows the errors",
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
        kwargs="assessment",
        by_state=by_assessment_state(POST=A.REDIRECT),
        note="an action not allowed is refused on the page with its reason",
    ),
    Row(
        "assessments:agenda_edit",
        {},
        kwargs="assessment",
        by_state=by_assessment_rule(
            GET=team_while(("scheduled", "evidence")), POST=team_while(("scheduled", "evidence"))
        ),
        note="the team, until the rating is proposed; an empty post shows the errors",
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
    # Well-led (wellled/urls.py)
    Row("wellled:framework", {"GET": SIGNED_IN}, note="the framework; ?q= searches its text"),
    Row("wellled:oversight", {"GET": NHSI_ONLY}, note="every trust's flags; ?format=csv"),
    Row("wellled:trust_detail", {"GET": OWN_TRUST}, kwargs="trust", note="segments: NHSI only"),
    *[
        Row(
            f"wellled:{name}",
            {"GET": WELLLED_TRUST_WRITES, "POST": WELLLED_TRUST_WRITES},
            kwargs="trust",
            note="the trust's own users; an empty post shows the errors",
        )
        for name in ("selfreview_create", "devreview_create", "action_create")
    ],
    *[
        Row(
            f"wellled:{name}",
            {"GET": WELLLED_NHSI_WRITES, "POST": WELLLED_NHSI_WRITES},
            kwargs="trust",
            note="NHS Improvement; an empty post shows the errors",
        )
        for name in ("explanation_create", "segment_create")
    ],
    Row(
        "wellled:rating_create",
        {"GET": WELLLED_CQC_WRITES, "POST": WELLLED_CQC_WRITES},
        kwargs="trust",
        note="CQC records the well-led rating",
    ),
    Row("wellled:selfreview_detail", {"GET": OWN_TRUST}, kwargs="self_review"),
    Row(
        "wellled:selfreview_entry",
        {"GET": OWN_TRUST, "POST": WELLLED_TRUST_WRITES},
        kwargs="self_review_kloe",
        note="staff read; the trust edits while a draft (403 after sign-off)",
    ),
    Row(
        "wellled:selfreview_signoff",
        {"GET": WELLLED_TRUST_WRITES, "POST": WELLLED_TRUST_WRITES},
        kwargs="self_review",
        note="the trust, while a draft",
    ),
    Row(
        "wellled:selfreview_reports",
        {"GET": OWN_TRUST, "POST": answers(A.REDIRECT, anonymous=A.LOGIN, trust_other=A.NOT_FOUND)},
        kwargs="self_review",
        note="PDF versions; anyone who sees the review may queue one",
    ),
    Row("wellled:selfreview_report_download", {"GET": OWN_TRUST}, kwargs="self_review_report"),
    Row(
        "wellled:selfreview_attachment",
        {"GET": OWN_TRUST},
        kwargs="self_review_attachment",
        note="a file of evidence, as a download",
    ),
    Row("wellled:devreview_detail", {"GET": OWN_TRUST}, kwargs="dev_review"),
    Row(
        "wellled:devreview_edit",
        {"GET": WELLLED_TRUST_WRITES, "POST": WELLLED_TRUST_WRITES},
        kwargs="dev_review",
    ),
    Row(
        "wellled:devreview_due_date",
        {"GET": WELLLED_NHSI_WRITES, "POST": WELLLED_NHSI_WRITES},
        kwargs="dev_review",
        note="NHSI agrees the next date, at most five years after completion",
    ),
    Row(
        "wellled:action_detail",
        {"GET": OWN_TRUST, "POST": WELLLED_TRUST_WRITES},
        kwargs="wellled_action",
        note="progress notes; the trust records them",
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
            GET=only((ACT.CQC,), ("cqc_review", "dispute", "finalised")),
            POST=only((ACT.CQC,), ("cqc_review", "dispute", "finalised")),
        ),
        note="CQC, before publication",
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
        "assessments:trust_use_of_resources",
        {"GET": OWN_TRUST},
        kwargs="trust",
        note="finance score and UoR rating side by side",
    ),
    # REST API
    Row("api:trust-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:trust-detail", {"GET": OWN_TRUST}, kwargs="trust"),
    Row("api:metricdefinition-list", {"GET": SIGNED_IN}),
    Row("api:metricdefinition-detail", {"GET": SIGNED_IN}, kwargs="metric_definition"),
    Row("api:metricvalue-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:financescore-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:me", {"GET": SIGNED_IN}),
    Row("api:schema", {"GET": SIGNED_IN}, note="OpenAPI schema"),
    Row(
        "api:assessment-list",
        {
            "GET": SIGNED_IN,
            "POST": answers(
                A.FORBIDDEN,
                anonymous=A.LOGIN,
                assessor_on_team=A.INVALID,
                assessor_off_team=A.INVALID,
            ),
        },
        note="only assessors schedule; the empty post is refused as invalid",
    ),
    Row("api:assessment-detail", {}, kwargs="assessment", by_state=by_assessment_state(GET=A.OK)),
    *[
        Row(
            f"api:assessment-{name}",
            {},
            kwargs="assessment",
            by_state=by_assessment_state(GET=A.OK, POST=A.INVALID),
            note="whoever may see the assessment may ask; the services decide who may write",
        )
        for name in ("transitions", "commentary", "evidence", "ratings")
    ],
    # Well-led REST API (wellled/api.py)
    Row("wellled-api:kloe-list", {"GET": SIGNED_IN}),
    Row("wellled-api:kloe-detail", {"GET": SIGNED_IN}, kwargs="wellled_kloe"),
    *[
        Row(
            f"wellled-api:{name}-list",
            {
                "GET": SIGNED_IN,
                "POST": answers(
                    A.FORBIDDEN, anonymous=A.LOGIN, trust_own=A.INVALID, trust_other=A.INVALID
                ),
            },
            note="a trust user gets only their own and records for their own trust",
        )
        for name in ("selfreview", "developmentalreview", "action")
    ],
    Row("wellled-api:selfreview-detail", {"GET": OWN_TRUST}, kwargs="self_review"),
    *[
        Row(
            f"wellled-api:selfreview-{name}",
            {
                "POST": answers(
                    A.FORBIDDEN, anonymous=A.LOGIN, trust_own=A.INVALID, trust_other=A.NOT_FOUND
                )
            },
            kwargs="self_review",
            note="the trust, while a draft; 403 once signed off",
        )
        for name in ("entry", "sign-off")
    ],
    Row("wellled-api:developmentalreview-detail", {"GET": OWN_TRUST}, kwargs="dev_review"),
    Row("wellled-api:action-detail", {"GET": OWN_TRUST}, kwargs="wellled_action"),
    Row(
        "wellled-api:wellledrating-list",
        {"GET": SIGNED_IN, "POST": answers(A.FORBIDDEN, anonymous=A.LOGIN, cqc=A.INVALID)},
        note="CQC records; everyone reads what they may see",
    ),
    Row("wellled-api:oversight-list", {"GET": NHSI_ONLY}),
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
            POST=only((ACT.CQC,), ("cqc_review", "dispute", "finalised"), ok=A.INVALID),
        ),
        note="staff read; CQC records them before publication (the empty post is invalid)",
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
    # Django admin. Specific rows first; the wildcard rows at the end cover the rest.
    Row(
        "admin:login",
        {"GET": answers(A.LOGIN), "POST": answers(A.LOGIN)},
        note="admin's own form would skip the second factor; it sends everyone to ours",
    ),
    Row(
        "admin:logout",
        {
            "GET": answers(A.REDIRECT, admin=A.NOT_ALLOWED),
            "POST": answers(A.REDIRECT, admin=A.LOGIN),
        },
        note="signs the admin out (then the sign-in page); others are sent to the admin index",
    ),
    Row("admin:password_change_done", {"GET": DJANGO_ADMIN}),
    Row("admin:jsi18n", {"GET": DJANGO_ADMIN}),
    Row(
        "admin:/admin/(?P<url>.*)$",
        {"GET": answers(A.LOGIN, admin=A.NOT_FOUND), "POST": answers(A.LOGIN, admin=A.NOT_FOUND)},
        kwargs="admin_unknown_page",
        note="admin's catch-all: an unknown admin page",
    ),
    Row(
        "admin:/admin/*/<path:object_id>/",
        {"GET": answers(A.LOGIN, admin=A.REDIRECT), "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_object",
        note="old-style object address, redirected to the change page",
    ),
    Row(
        "admin:view_on_site",
        {"GET": answers(A.LOGIN, admin=A.REDIRECT), "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_view_on_site",
    ),
    Row(
        "admin:autocomplete",
        {"GET": answers(A.LOGIN, admin=A.FORBIDDEN)},
        note="no admin field uses autocomplete yet, so even admins are refused",
    ),
    Row(
        "admin:metrics_securityevent_add",
        {"GET": READ_ONLY_ADMIN, "POST": READ_ONLY_ADMIN},
        note="the security log is written by the service only",
    ),
    Row(
        "admin:metrics_securityevent_change",
        {"GET": DJANGO_ADMIN, "POST": READ_ONLY_ADMIN},
        kwargs="admin_object",
    ),
    Row(
        "admin:metrics_dataload_add",
        {"GET": READ_ONLY_ADMIN, "POST": READ_ONLY_ADMIN},
        note="loads are made by uploading a file",
    ),
    Row(
        "admin:metrics_dataload_change",
        {"GET": DJANGO_ADMIN, "POST": READ_ONLY_ADMIN},
        kwargs="admin_object",
    ),
    Row(
        "admin:axes_accessattempt_add",
        {"GET": READ_ONLY_ADMIN, "POST": READ_ONLY_ADMIN},
        note="attempts are recorded by the sign-in; deleting one lifts a lock-out",
    ),
    Row(
        "admin:axes_accessattempt_change",
        {"GET": DJANGO_ADMIN, "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_object",
        note="every field is read-only, so a post saves nothing and returns to the list",
    ),
    Row(
        "admin:*",
        {"GET": DJANGO_ADMIN, "POST": DJANGO_ADMIN},
        kwargs="admin_object",
        note="every other admin page; an empty post shows its form again (or the delete question)",
    ),
]

# Not in the URL resolver: served by WhiteNoise before any view runs.
STATIC_PATHS = ["/static/build/uor.css", "/static/js/uor.js"]


def row_for(route_name: str) -> Row | None:
    """The row that covers `route_name`: its own row first, then the first wildcard row."""
    for row in MATRIX:
        if row.route == route_name:
            return row
    for row in MATRIX:
        if row.is_wildcard and fnmatchcase(route_name, row.route):
            return row
    return None


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:<pattern>" for an unnamed route
    path: str  # the pattern, for people to read
    pattern: object  # the URLPattern, for the test to fill its arguments


def resolver_routes(urlconf=None) -> list[Route]:
    """Every route the URL resolver knows, admin and API included, named or not."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Route] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                name = pattern.name or full  # an unnamed route is known by its pattern
                found.append(Route(f"{namespace}:{name}" if namespace else name, full, pattern))

    walk(get_resolver(urlconf).url_patterns, "", "/")
    return found


def routes_without_rows(urlconf=None) -> list[str]:
    return sorted({route.name for route in resolver_routes(urlconf) if row_for(route.name) is None})
