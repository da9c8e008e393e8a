"""Two trusts whose every kind of item holds the word WORD, and one more word of its own, so a
test can tell whose item (or whose hidden text) reached a page; used by the search tests."""

import datetime

from django.utils import timezone

from assessments.models import Challenge, Characteristic, Commentary, Kloe, Prompt, Status
from metrics.models import Role
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    FrameworkFactory,
    TrustFactory,
    UserFactory,
    WellLedFrameworkFactory,
)
from wellled.models import GoodPractice, GoodPracticeDescription, RatingsCharacteristic
from wellled.models import Kloe as WellLedKloe

WORD = "kingfisher"


def _framework_text(framework, own: str) -> None:
    """Put WORD and `own` into a KLOE question, a prompt and a characteristic."""
    kloe = framework.kloes.get(code="finance")
    Kloe.objects.filter(pk=kloe.pk).update(question=f"How is the {WORD} {own}question managed?")
    Prompt.objects.filter(kloe=kloe, number=1).update(text=f"The {WORD} {own}prompt")
    Characteristic.objects.filter(kloe=kloe, level=2).update(text=f"A {WORD} {own}statement")


def _challenge(assessment, number: int, raised_by, **fields) -> Challenge:
    defaults = {
        "kind": Challenge.Kind.INACCURATE,
        "section": "Finance",
        "passage": "Agency spend",
        "correction": "Nothing to see",
        "reason": "A typing error",
    }
    return Challenge.objects.create(
        assessment=assessment, number=number, raised_by=raised_by, **{**defaults, **fields}
    )


def build_world() -> dict:
    """Alpha (the trust of `trust_a`) and Bravo, each with a shared draft, and Alpha with an
    assessment gathering evidence and one still taking commentary."""
    now = timezone.now()
    alpha = TrustFactory(ods_code="RAA", name=f"Alpha {WORD.title()} NHS Trust")
    beta = TrustFactory(ods_code="RBB", name=f"Bravo {WORD.title()} NHS Trust")
    people = {
        "admin": UserFactory(username="s-admin", role=Role.ADMIN),
        "lead": UserFactory(username="s-lead", role=Role.ASSESSOR),
        "outsider": UserFactory(username="s-outsider", role=Role.ASSESSOR),
        "qa": UserFactory(username="s-qa", role=Role.QA),
        "cqc": UserFactory(username="s-cqc", role=Role.CQC),
        "trust_a": UserFactory(username="s-trust-a", role=Role.TRUST, trust=alpha),
        "trust_b": UserFactory(username="s-trust-b", role=Role.TRUST, trust=beta),
    }
    lead = people["lead"]
    framework_a = FrameworkFactory()
    framework_b = FrameworkFactory(code="other-framework", name="Other UoR framework")
    _framework_text(framework_a, "alpha")
    _framework_text(framework_b, "beta")

    def assessment(trust, framework, status, **fields):
        return AssessmentFactory(
            trust=trust, framework=framework, lead=lead, status=status, **fields
        )

    shared_a = assessment(alpha, framework_a, Status.FACTUAL_ACCURACY, commentary_submitted_at=now)
    shared_b = assessment(beta, framework_b, Status.FACTUAL_ACCURACY, commentary_submitted_at=now)
    early_a = assessment(alpha, framework_a, Status.EVIDENCE, commentary_submitted_at=now)
    open_a = assessment(alpha, framework_a, Status.SCHEDULED)
    EvidenceFactory(assessment=shared_a, text=f"Agency {WORD} alphaevidence")
    EvidenceFactory(assessment=shared_b, text=f"Agency {WORD} betaevidence")
    EvidenceFactory(assessment=early_a, text=f"Agency {WORD} earlysecret before sharing")
    for item, text in [
        (shared_a, "alphacommentary"),
        (shared_b, "betacommentary"),
        (open_a, "draftcommentary not yet submitted"),
    ]:
        Commentary.objects.create(
            assessment=item,
            kloe=item.framework.kloes.get(code="finance"),
            text=f"Our {WORD} {text}",
            updated_by=people["trust_a"] if item.trust == alpha else people["trust_b"],
        )
    answered = {"outcome": Challenge.Outcome.NOT_ACCEPTED, "answered_by": lead, "answered_at": now}
    _challenge(
        shared_a,
        1,
        people["trust_a"],
        correction=f"The {WORD} alphachallenge",
        response=f"The {WORD} alphadraftanswer",
        **answered,
    )
    _challenge(
        shared_a,
        2,
        people["trust_a"],
        response=f"A {WORD} alphasignedanswer",
        signed_off_by=people["qa"],
        signed_off_at=now,
        **answered,
    )
    _challenge(shared_a, 3, people["trust_a"], response=f"A {WORD} alphaonlyanswer", **answered)
    _challenge(shared_b, 1, people["trust_b"], correction=f"The {WORD} betachallenge")
    _wellled_text()
    return {
        "people": people,
        "alpha": alpha,
        "beta": beta,
        "shared_a": shared_a,
        "shared_b": shared_b,
        "early_a": early_a,
        "open_a": open_a,
    }


def _wellled_text() -> None:
    framework = WellLedFrameworkFactory()
    kloe = framework.kloes.order_by("number").first()
    WellLedKloe.objects.filter(pk=kloe.pk).update(question=f"Is there a {WORD} wlquestion?")
    kloe.prompts.update(text=f"A {WORD} wlprompt")
    RatingsCharacteristic.objects.create(
        framework=framework, kloe=kloe, level=2, number=1, text=f"A {WORD} wlstatement"
    )
    # The reader page does not show overall statements, so search must not find them.
    RatingsCharacteristic.objects.create(
        framework=framework, kloe=None, level=2, number=1, text=f"A {WORD} wloverall"
    )
    practice = GoodPractice.objects.create(kloe=kloe, number=1, characteristic="Clear vision")
    GoodPracticeDescription.objects.create(
        good_practice=practice, number=1, text=f"The board shares a {WORD} wlpractice"
    )


def more_trusts(count: int, start: int = 0) -> None:
    """`count` more trusts, each with a shared draft holding evidence, commentary and a
    challenge with WORD in it (for the query counts)."""
    lead = UserFactory(role=Role.ASSESSOR)
    framework = FrameworkFactory()
    kloe = framework.kloes.get(code="finance")
    for n in range(start, start + count):
        trust = TrustFactory(ods_code=f"Q{n:04d}", name=f"Quail {WORD.title()} {n} NHS Trust")
        item = AssessmentFactory(
            trust=trust,
            framework=framework,
            lead=lead,
            status=Status.FACTUAL_ACCURACY,
            commentary_submitted_at=timezone.now(),
            site_visit_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        )
        EvidenceFactory(assessment=item, kloe=kloe, text=f"A {WORD} finding {n}")
        Commentary.objects.create(
            assessment=item, kloe=kloe, text=f"A {WORD} comment {n}", updated_by=lead
        )
        _challenge(item, 1, lead, correction=f"A {WORD} correction {n}")
