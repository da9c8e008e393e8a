"""What the page tests share: a signed-in client, an assessment's people, URLs, uploads."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, **kwargs})


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def set_status(assessment: Assessment, status: str) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment


# A factual-accuracy challenge as the trust fills in the form.
CHALLENGE = {
    "kind": "typing_or_numerical",
    "target": "summary",
    "section": "Finance",
    "passage": "Agency spend is 12%",
    "correction": "Agency spend is 2%",
    "reason": "A typing error",
}
