"""Who may reach the routes of the well-led app and its API (rows for core.access)."""

from core.access import (
    NHSI_ONLY,
    OWN_TRUST,
    SIGNED_IN,
    A,
    Row,
    answers,
)

# Well-led: the trust writes its own review cycle; NHSI and CQC write their own decisions.
# A trust user of another trust never learns the object exists (404).
WELLLED_TRUST_WRITES = answers(
    A.FORBIDDEN, anonymous=A.LOGIN, trust_own=A.OK, trust_other=A.NOT_FOUND
)
WELLLED_NHSI_WRITES = answers(
    A.OK, anonymous=A.LOGIN, cqc=A.FORBIDDEN, trust_own=A.FORBIDDEN, trust_other=A.NOT_FOUND
)
WELLLED_CQC_WRITES = answers(A.FORBIDDEN, anonymous=A.LOGIN, cqc=A.OK, trust_other=A.NOT_FOUND)


ROWS: list[Row] = [
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
        "wellled:oversight_concerns",
        {"GET": WELLLED_NHSI_WRITES, "POST": WELLLED_NHSI_WRITES},
        kwargs="trust",
        note="NHS Improvement records and closes warning notices and concerns",
    ),
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
]
