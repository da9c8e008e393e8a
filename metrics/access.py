"""Who may reach the routes of accounts, trusts, metrics and their API (rows for core.access)."""

from core.access import (
    ADMIN_ONLY,
    DJANGO_ADMIN,
    OWN_TRUST,
    PUBLIC,
    READ_ONLY_ADMIN,
    SIGNED_IN,
    STAFF_ONLY,
    A,
    Row,
    answers,
)

# Deciding a finance score's moderation: NHS Improvement's admins and assessors.
MODERATION = answers(
    A.OK,
    anonymous=A.LOGIN,
    qa=A.FORBIDDEN,
    cqc=A.FORBIDDEN,
    trust_own=A.FORBIDDEN,
    trust_other=A.FORBIDDEN,
)

ROWS: list[Row] = [
    Row("health", {"GET": PUBLIC}, note="load-balancer check; no data"),
    Row("access_matrix", {"GET": ADMIN_ONLY}, note="this table"),
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
    Row("accounts:two_factor_enrol", {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    Row(
        "accounts:recovery_codes",
        {"POST": answers(A.REDIRECT, anonymous=A.LOGIN)},
        note="without an authenticator, back to the account page to set one up",
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
    Row("metrics:trust_list", {"GET": SIGNED_IN}, note="a trust user sees only their own"),
    Row("metrics:trust_detail", {"GET": OWN_TRUST}, kwargs="trust"),
    Row("metrics:trust_load", {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY}),
    Row("metrics:metric_load", {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY}),
    Row("metrics:data_load_detail", {"GET": ADMIN_ONLY}, kwargs="data_load"),
    Row("metrics:security_log", {"GET": ADMIN_ONLY}),
    Row("metrics:notification_list", {"GET": SIGNED_IN}, note="only your own notifications"),
    Row(
        "metrics:notification_open",
        {"GET": answers(A.NOT_FOUND, anonymous=A.LOGIN, trust_own=A.REDIRECT)},
        kwargs="notification",
        note="the trust user's own: marked read, then the thing it is about; others' 404",
    ),
    Row("metrics:metrics_pack", {"GET": OWN_TRUST}, kwargs="trust", note="charts and benchmarks"),
    Row(
        "metrics:context_note_edit",
        {
            "GET": answers(A.OK, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_other=A.NOT_FOUND),
            "POST": answers(
                A.REDIRECT, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_other=A.NOT_FOUND
            ),
        },
        kwargs="metric_context",
        note="the trust's own people or NHS Improvement; an empty post removes the note",
    ),
    Row(
        "metrics:peer_recompute_detail",
        {"GET": ADMIN_ONLY},
        kwargs="peer_recompute",
        note="progress of a cohort change's benchmarks recompute",
    ),
    Row("metrics:finance_scores", {"GET": STAFF_ONLY}, note="every trust's score; ?format=csv"),
    Row(
        "metrics:moderation_decide",
        {"GET": MODERATION, "POST": MODERATION},
        kwargs="finance_score_month",
        note="NHS Improvement confirms or sets the month's finance score; an empty post: errors",
    ),
    Row(
        "metrics:moderation_list",
        {"GET": MODERATION},
        note="months whose moderation waits for a decision",
    ),
    Row("api:trust-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:trust-detail", {"GET": OWN_TRUST}, kwargs="trust"),
    Row("api:metricdefinition-list", {"GET": SIGNED_IN}),
    Row("api:metricdefinition-detail", {"GET": SIGNED_IN}, kwargs="metric_definition"),
    Row("api:metricvalue-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:financescore-list", {"GET": SIGNED_IN}, note="a trust user gets only their own"),
    Row("api:me", {"GET": SIGNED_IN}),
    Row("api:schema", {"GET": SIGNED_IN}, note="OpenAPI schema"),
    Row(
        "admin:metrics_user_reset_second_factor",
        {"GET": DJANGO_ADMIN, "POST": answers(A.LOGIN, admin=A.REDIRECT)},
        kwargs="admin_object",
        note="asks to confirm, then removes the user's second factor (never the admin's own)",
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
        "admin:metrics_peergroup_delete",
        {"GET": READ_ONLY_ADMIN, "POST": READ_ONLY_ADMIN},
        kwargs="admin_object",
        note="the first group is a trust type's default, which cannot be deleted",
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
]
