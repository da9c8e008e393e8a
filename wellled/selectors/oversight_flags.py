"""The flags of the oversight view: each trigger of potential support need the 2019/20
oversight annex names (seeds/002, paragraphs 37-61) under one of its five themes, with its
source, and apart from them the service's own flags about the review cycle."""

import datetime
from dataclasses import dataclass

from core.ratings import Rating

from ..models.oversight import OversightTheme
from ..models.ratings_and_segments import RATING_TRIGGERS

SERVICE = "service"  # the theme of the service's own flags: not one of the annex's
THEMES = {**dict(OversightTheme.choices), SERVICE: "The service's own flags"}

# The CQC questions whose rating is a quality-of-care trigger (annex paragraph 37).
QUALITY_QUESTIONS = ("overall", "safe", "effective", "caring", "responsive")
# The NHS Constitution standards of the operational performance theme (paragraph 47) and
# the organisational-health indicators of the leadership theme (paragraphs 56 and 59), by
# metric code; their thresholds and names are in fixtures/metric_definitions.yaml.
STANDARDS = {
    "ae_four_hours": "A&E four-hour standard",
    "rtt_18_weeks": "18 weeks referral to treatment standard",
    "cancer_62_days": "Cancer 62-day standard",
    "diagnostics_six_weeks": "Diagnostics six-week standard",
}
ORG_HEALTH = {
    "sickness_absence": "Staff sickness absence",
    "staff_turnover": "Staff turnover",
    "vacancy_rate": "Vacancy rate",
    "staff_survey_engagement": "Staff survey engagement",
}
RI_OR_INADEQUATE = "Requires improvement or Inadequate"

FLAG_THEMES: dict[str, str] = {}
FLAGS: dict[str, str] = {}


def _register(theme: str, entries: dict[str, str]) -> None:
    for code, label in entries.items():
        FLAGS[code], FLAG_THEMES[code] = label, str(theme)


_register(
    OversightTheme.QUALITY,
    {
        **{f"cqc_{q}": f"CQC {q} rating {RI_OR_INADEQUATE}" for q in QUALITY_QUESTIONS},
        "warning_notice": "CQC warning notice",
    },
)
_register(
    OversightTheme.FINANCE,
    {
        "finance": "Finance score 3 or 4",
        "uor": f"Use of resources rating {RI_OR_INADEQUATE} (published)",
        "uor_ratified": f"Use of resources rating {RI_OR_INADEQUATE} (ratified, not yet published)",
    },
)
_register(
    OversightTheme.OPERATIONAL,
    {
        f"standard_{code}": f"{name} missed two consecutive months"
        for code, name in STANDARDS.items()
    },
)
_register(
    OversightTheme.LEADERSHIP,
    {
        "wellled": f"Well-led rating {RI_OR_INADEQUATE}",
        "governance": "Material governance concerns from a developmental review",
        **{
            f"org_health_{code}": f"{name} in the bottom quartile of peers"
            for code, name in ORG_HEALTH.items()
        },
    },
)
_register(
    SERVICE,
    {
        "review_overdue": "Developmental review overdue",
        "no_review": "No completed developmental review recorded",
        "actions_overdue": "Actions overdue",
    },
)
for _theme in OversightTheme.values:  # any theme can carry one (recorded by NHS Improvement)
    _register(_theme, {f"concern_{_theme}": "Other material concern"})


@dataclass
class Flag:
    code: str
    label: str
    source: str  # where the flag comes from, in words
    theme: str = ""  # an OversightTheme value, or SERVICE for the service's own flags

    @property
    def theme_label(self) -> str:
        return THEMES.get(self.theme, "")

    @property
    def is_services(self) -> bool:
        return self.theme == SERVICE


def flag(code: str, source: str) -> Flag:
    return Flag(code, FLAGS[code], source, FLAG_THEMES[code])


def _rated(rating: int | None) -> bool:
    return rating in RATING_TRIGGERS


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def quality_flags(row) -> list[Flag]:
    flags = []
    for question in QUALITY_QUESTIONS:
        rating, rated_on = row.cqc.get(question, (None, None))
        if _rated(rating):
            flags.append(
                flag(
                    f"cqc_{question}",
                    f"CQC {question} rating of {_day(rated_on)}: {Rating(rating).label}",
                )
            )
    return flags


def finance_flags(row) -> list[Flag]:
    flags = []
    if row.finance_score in (3, 4):
        flags.append(
            flag("finance", f"SOF finance score {row.finance_score} for {row.finance_period:%B %Y}")
        )
    if _rated(row.uor_rating):
        flags.append(
            flag(
                "uor",
                f"Published UoR rating, version {row.uor_version} of "
                f"{_day(row.uor_published_on)}: {row.uor_label}",
            )
        )
    if _rated(row.uor_ratified_rating):
        flags.append(
            flag(
                "uor_ratified",
                "Proposed UoR rating ratified by the QA committee, not yet published: "
                f"{Rating(row.uor_ratified_rating).label}",
            )
        )
    return flags


def leadership_flags(row) -> list[Flag]:
    flags = []
    if _rated(row.wellled_rating):
        flags.append(
            flag(
                "wellled",
                f"CQC well-led rating of {_day(row.wellled_rated_on)}: {row.wellled_label}",
            )
        )
    if row.material_concerns:
        flags.append(
            flag(
                "governance",
                f"Developmental review completed {_day(row.last_review_completed_on)}",
            )
        )
    return flags


def service_flags(row) -> list[Flag]:
    flags = []
    if row.last_review_id is None:
        flags.append(
            flag(
                "no_review",
                "The service's own flag, not the oversight framework's: with no completed "
                "review recorded, no three-yearly due date can be worked out",
            )
        )
    if row.review_overdue:
        flags.append(flag("review_overdue", f"Due {_day(row.due_on)}; no accepted explanation"))
    if row.overdue_actions:
        flags.append(
            flag(
                "actions_overdue",
                f"{row.overdue_actions} of {row.open_actions} open actions past their due date",
            )
        )
    return flags
