"""factory_boy factories for test objects. Reference data lives in fixtures/, not here."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from assessments.models import Assessment
from metrics.models import Role, Trust, User

TEST_PASSWORD = "correct-horse-battery-staple"


class TrustFactory(DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test Trust {n} NHS Trust")
    trust_type = Trust.TrustType.ACUTE
    region = "London"
    foundation_trust = False


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    role = Role.ASSESSOR
    trust = None
    is_staff = factory.LazyAttribute(lambda user: user.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda user: user.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        trust_user = factory.Trait(role=Role.TRUST, trust=factory.SubFactory(TrustFactory))


class FrameworkFactory(DjangoModelFactory):
    """A small framework of two KLOEs, each with two prompts and a characteristic per level."""

    class Meta:
        model = "assessments.Framework"
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "test-framework"
    name = "Test UoR framework"
    version = "2017"

    @factory.post_generation
    def kloes(framework, create, extracted, **kwargs):
        from assessments.models import Characteristic, Kloe, Prompt

        if not create or framework.kloes.exists():
            return
        for number, (code, title) in enumerate(
            [("finance", "Finance"), ("people", "People")], start=1
        ):
            kloe = Kloe.objects.create(
                framework=framework,
                code=code,
                number=number,
                title=title,
                question=f"How well does the trust manage its {title.lower()}?",
            )
            for prompt_number in (1, 2):
                Prompt.objects.create(
                    kloe=kloe,
                    code=f"{code[0].upper()}{prompt_number}",
                    number=prompt_number,
                    text=f"Prompt {prompt_number} about {title.lower()}",
                )
            for level in (1, 2, 3, 4):
                Characteristic.objects.create(
                    framework=framework,
                    kloe=kloe,
                    level=level,
                    number=1,
                    text=f"{title} statement at level {level}",
                )


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Assessment"

    trust = factory.SubFactory(TrustFactory)
    framework = factory.SubFactory(FrameworkFactory)
    site_visit_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=40)
    )
    commentary_deadline = factory.LazyAttribute(
        lambda a: a.site_visit_date - datetime.timedelta(days=14)
    )
    lead = factory.SubFactory(UserFactory, role=Role.ASSESSOR)
    created_by = factory.SelfAttribute("lead")


# A tiny but real PDF and PNG: their content passes the attachment checks.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


class CommentaryFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Commentary"

    assessment = factory.SubFactory(AssessmentFactory)
    kloe = factory.LazyAttribute(lambda c: c.assessment.framework.kloes.order_by("number").first())
    text = "Our commentary on this KLOE."
    updated_by = factory.SubFactory(UserFactory, trust_user=True)


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.Evidence"

    assessment = factory.SubFactory(AssessmentFactory)
    kloe = factory.LazyAttribute(lambda e: e.assessment.framework.kloes.order_by("number").first())
    source = "metric_analysis"
    finding = "negative"
    text = "Agency spend is above the cap in every month of the year."
    created_by = factory.SelfAttribute("assessment.lead")
    updated_by = factory.SelfAttribute("created_by")


class AttachmentFactory(DjangoModelFactory):
    """A PDF on evidence (or commentary: pass commentary= and evidence=None), stored for real."""

    class Meta:
        model = "assessments.Attachment"
        exclude = ("item",)

    evidence = factory.SubFactory(EvidenceFactory)
    commentary = None
    item = factory.LazyAttribute(lambda a: a.evidence or a.commentary)
    assessment = factory.SelfAttribute("item.assessment")
    original_name = "finance-report.pdf"
    stored_name = factory.Sequence(lambda n: f"{n:032x}.pdf")
    file = factory.LazyAttribute(lambda a: ContentFile(PDF_BYTES, name=a.stored_name))
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("assessment.lead")


class AgendaSessionFactory(DjangoModelFactory):
    class Meta:
        model = "assessments.AgendaSession"

    assessment = factory.SubFactory(AssessmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = datetime.time(9, 0)
    ends_at = datetime.time(10, 0)
    title = "Introduction from the chief executive"
    attendees = "Chief executive\nDirector of finance"


# Well-led ------------------------------------------------------------------------------------


class WellLedFrameworkFactory(DjangoModelFactory):
    """A small well-led framework of two KLOEs with a prompt each (the real one is loaded
    from fixtures/ by the tests that need it)."""

    class Meta:
        model = "wellled.Framework"
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "test-wellled"
    name = "Test well-led framework"
    version = "2017"

    @factory.post_generation
    def kloes(framework, create, extracted, **kwargs):
        from wellled.models import Kloe, Prompt

        if not create or framework.kloes.exists():
            return
        for number, (code, title) in enumerate(
            [("leadership_capacity", "Leadership"), ("culture", "Culture")], start=1
        ):
            kloe = Kloe.objects.create(
                framework=framework, code=code, number=number, title=title, question=f"{title}?"
            )
            Prompt.objects.create(
                kloe=kloe, code=f"W{number}.1", number=1, text=f"A prompt on {title.lower()}"
            )


class PrioritySchemeFactory(DjangoModelFactory):
    class Meta:
        model = "wellled.PriorityScheme"
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "test-scheme"
    name = "Four levels"
    active = True

    @factory.post_generation
    def levels(scheme, create, extracted, **kwargs):
        from wellled.models import PriorityLevel

        if not create or scheme.levels.exists():
            return
        for number, label in enumerate(
            ["No concerns", "Minor concerns", "Moderate concerns", "Significant concerns"], 1
        ):
            PriorityLevel.objects.create(scheme=scheme, number=number, label=label)


class SelfReviewFactory(DjangoModelFactory):
    """A draft self-review with an empty entry per KLOE."""

    class Meta:
        model = "wellled.SelfReview"
        skip_postgeneration_save = True

    trust = factory.SubFactory(TrustFactory)
    framework = factory.SubFactory(WellLedFrameworkFactory)
    scheme = factory.SubFactory(PrioritySchemeFactory)
    title = "Board self-review 2026"
    created_by = factory.SubFactory(
        UserFactory, role=Role.TRUST, trust=factory.SelfAttribute("..trust")
    )

    @factory.post_generation
    def entries(review, create, extracted, **kwargs):
        from wellled.models import SelfReviewEntry

        if create:
            for kloe in review.framework.kloes.all():
                SelfReviewEntry.objects.create(
                    review=review, kloe=kloe, updated_by=review.created_by
                )


class SelfReviewAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = "wellled.SelfReviewAttachment"

    review = factory.SubFactory(SelfReviewFactory)
    kloe = factory.LazyAttribute(lambda a: a.review.framework.kloes.order_by("number").first())
    original_name = "board-minutes.pdf"
    stored_name = factory.Sequence(lambda n: f"wl{n:030x}.pdf")
    file = factory.LazyAttribute(lambda a: ContentFile(PDF_BYTES, name=a.stored_name))
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("review.created_by")


class DevelopmentalReviewFactory(DjangoModelFactory):
    class Meta:
        model = "wellled.DevelopmentalReview"

    trust = factory.SubFactory(TrustFactory)
    facilitator_name = "Pat Reviewer"
    facilitator_organisation = "Independent Governance Partners"
    independence = "declared"
    started_on = datetime.date(2025, 1, 6)
    completed_on = datetime.date(2025, 3, 31)
    created_by = factory.SubFactory(
        UserFactory, role=Role.TRUST, trust=factory.SelfAttribute("..trust")
    )


class WellLedActionFactory(DjangoModelFactory):
    class Meta:
        model = "wellled.Action"

    developmental_review = factory.SubFactory(DevelopmentalReviewFactory)
    trust = factory.SelfAttribute("developmental_review.trust")
    kloe = factory.LazyFunction(lambda: WellLedFrameworkFactory().kloes.order_by("number").first())
    text = "Refresh the board development programme"
    owner = "Director of workforce"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    created_by = factory.SelfAttribute("developmental_review.created_by")


def visit_held(assessment, days_ago: int = 1):
    """Put the site visit `days_ago` days back (the commentary deadline no later): ratings and
    site-visit evidence wait for the visit's day, so tests that reach them set the dates."""
    visit = timezone.localdate() - datetime.timedelta(days=days_ago)
    deadline = min(assessment.commentary_deadline, visit)
    Assessment.objects.filter(pk=assessment.pk).update(
        site_visit_date=visit, commentary_deadline=deadline
    )
    assessment.refresh_from_db()
    return assessment


def embargo_ends(assessment):
    """Bring the publication date to today: the final report may be published only from the
    day its embargo ends, so tests that publish set the date they reach."""
    Assessment.objects.filter(pk=assessment.pk).update(publication_date=timezone.localdate())
    assessment.refresh_from_db()
    return assessment
