"""Corrections that land: an accepted challenge is resolved by a recorded change to the passage
it is about (or a recorded reason why nothing changes), the check cannot close before, and the
final report prints the corrected text and says what changed."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.factual_accuracy import services as fa
from assessments.models import (
    Challenge,
    EvidenceRevision,
    KloeRating,
    PassageRevision,
    Status,
)
from assessments.refusals import RESOLVE_NOT_UPHELD, RESOLVE_NOT_YOURS
from assessments.reports.services import report_request
from assessments.workflow import TransitionRefused, assessment_transition
from tests.assessments.test_reports import pdf_text
from tests.factories import EvidenceFactory, UserFactory

# The draft was shared today: closing the check now, before the deadline, needs a reason.
EARLY = "The trust told us by telephone that it has no more challenges."

pytestmark = pytest.mark.django_db

OLD = "Agency spend was -16.4 (%) of the pay bill in the year."
NEW = "Agency spend was -6.4 (%) of the pay bill in the year."


@pytest.fixture
def checked(assessment, people):
    """`assessment` in its factual-accuracy check: a finding with a figure in each KLOE, a
    rationale per KLOE and overall, a summary, and the deadline for challenges."""
    finance, other = assessment.framework.kloes.order_by("number")
    EvidenceFactory(assessment=assessment, kloe=finance, text=OLD)
    EvidenceFactory(assessment=assessment, kloe=other, text="Sickness absence is low.")
    for kloe in (finance, other, None):
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=2,
            rationale=f"Rationale for {kloe or 'overall'}: margin of 1.2%.",
            updated_by=people["lead"],
        )
    assessment.summary = "The trust uses its resources well."
    assessment.status = Status.FACTUAL_ACCURACY
    assessment.save()
    fa.fa_deadline_start(assessment=assessment, actor=people["lead"], now=timezone.now())
    return assessment


def finding(assessment, text=OLD):
    return assessment.evidence.get(text=text)


def accepted(challenge, people, outcome=Challenge.Outcome.ACCEPTED):
    return fa.challenge_answer(
        challenge=challenge, actor=people["member"], outcome=outcome, response="Agreed."
    )


def api(client, user, path, data):
    client.force_login(user)
    return client.post(path, data, content_type="application/json")


def test_an_accepted_typo_in_a_figure_lands_in_the_final_report(
    checked, people, client, cqc_user, django_capture_on_commit_callbacks
):

    base = f"/api/v1/assessments/{checked.pk}/challenges/"
    raised = api(
        client,
        people["trust"],
        base,
        {
            "kind": "typing_or_numerical",
            "target": "finding",
            "evidence": finding(checked).pk,
            "passage": "-16.4 (%)",
            "correction": "-6.4 (%)",
            "reason": "A typing error: our accounts say -6.4%.",
        },
    )
    assert raised.status_code == HTTPStatus.CREATED, raised.json()
    number, pk = raised.json()["number"], raised.json()["id"]
    assert raised.json()["section"] == finding(checked).kloe.title
    answered = api(
        client,
        people["member"],
        f"{base}{pk}/answer/",
        {"outcome": "accepted", "response": "Agreed: the figure is corrected."},
    )
    assert answered.status_code == HTTPStatus.OK
    fa.challenge_sign_off(challenge=Challenge.objects.get(pk=pk), actor=people["qa"])

    # Signed off but not resolved: the check cannot close, and says which challenge.
    with pytest.raises(TransitionRefused) as refused:
        assessment_transition(
            assessment=checked, action="close_factual_accuracy", actor=people["lead"], note=EARLY
        )
    assert refused.value.messages == [fa.CHALLENGES_UNRESOLVED.format(numbers=str(number))]

    resolved = api(
        client, people["member"], f"{base}{pk}/resolve/", {"resolution": "changed", "text": NEW}
    )
    assert resolved.status_code == HTTPStatus.OK, resolved.json()
    assert resolved.json()["change_summary"] == "Changed “-16.4” to “-6.4”"
    evidence = checked.evidence.get(pk=raised.json()["evidence"])
    assert evidence.text == NEW
    assert EvidenceRevision.objects.get(evidence=evidence).snapshot["text"] == OLD
    revision = PassageRevision.objects.get(challenge_id=pk)
    assert (revision.passage, revision.evidence, revision.old_text, revision.new_text) == (
        PassageRevision.Passage.FINDING,
        evidence,
        OLD,
        NEW,
    )
    assert revision.reason == PassageRevision.Reason.FACTUAL_ACCURACY
    # Once resolved, the answer stands and a second resolution is refused.
    again = api(
        client, people["member"], f"{base}{pk}/resolve/", {"resolution": "changed", "text": OLD}
    )
    assert again.status_code == HTTPStatus.FORBIDDEN

    moved = assessment_transition(
        assessment=checked, action="close_factual_accuracy", actor=people["lead"], note=EARLY
    )
    assert moved.status == Status.CQC_REVIEW
    moved.status = Status.FINALISED
    moved.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(assessment=moved, user=cqc_user)
    report.refresh_from_db()
    text = pdf_text(bytes(report.pdf))
    assert "Agency spend was -6.4 (%)" in text
    # The corrected figure is gone from the whole report, its factual-accuracy table included,
    # which says what the passage now reads.
    assert "-16.4" not in text
    assert "Corrected: now reads “-6.4”" in text


def test_an_omission_names_its_place_and_is_resolved_by_a_new_finding(checked, people):
    finance = finding(checked).kloe
    with pytest.raises(ValidationError) as refused:
        fa.challenge_raise(
            assessment=checked,
            actor=people["trust"],
            kind=Challenge.Kind.OMISSION,
            section="",
            passage="",
            correction="The new theatre scheduling saves 2,000 hours a year.",
            reason="Left out.",
        )
    assert refused.value.message_dict == {"target": [fa.OMISSION_WHERE]}
    after = finding(checked)
    later = EvidenceFactory(assessment=checked, kloe=finance, text="A later finding.")
    challenge = fa.challenge_raise(
        assessment=checked,
        actor=people["trust"],
        kind=Challenge.Kind.OMISSION,
        section="",
        passage="",  # an omission quotes nothing
        correction="The new theatre scheduling saves 2,000 hours a year.",
        reason="Left out.",
        kloe=finance,
        evidence=after,
    )
    assert (challenge.target, challenge.kloe, challenge.section) == (
        Challenge.Target.SECTION,
        finance,
        finance.title,
    )
    accepted(challenge, people, Challenge.Outcome.PARTLY_ACCEPTED)
    added_text = "Theatre scheduling saves about 2,000 hours a year."
    resolved = fa.challenge_resolve(
        challenge=challenge,
        actor=people["member"],
        resolution=Challenge.Resolution.CHANGED,
        text=added_text,
    )
    texts = list(checked.evidence.filter(kloe=finance).values_list("text", flat=True))
    assert texts == [OLD, added_text, later.text]  # straight after the finding it follows
    revision = PassageRevision.objects.get(challenge=challenge)
    assert (revision.old_text, revision.new_text) == ("", added_text)
    assert resolved.change_summary == f"Added: “{added_text}”"


def test_an_omission_in_the_summary_adds_a_paragraph(checked, people):
    challenge = fa.challenge_raise(
        assessment=checked,
        actor=people["trust"],
        kind=Challenge.Kind.OMISSION,
        target=Challenge.Target.SUMMARY,
        section="",
        passage="",
        correction="Mention the estates strategy.",
        reason="Left out.",
    )
    accepted(challenge, people)
    resolved = fa.challenge_resolve(
        challenge=challenge,
        actor=people["member"],
        resolution=Challenge.Resolution.CHANGED,
        text="Its estates strategy is sound.",
    )
    checked.refresh_from_db()
    assert checked.summary == "The trust uses its resources well.\n\nIts estates strategy is sound."
    assert resolved.change_summary == "Added: “Its estates strategy is sound.”"


def test_a_figure_in_a_rationale_is_corrected_there(checked, people):
    rating = checked.ratings.get(kloe__isnull=True)
    challenge = fa.challenge_raise(
        assessment=checked,
        actor=people["trust"],
        kind=Challenge.Kind.TYPING,
        section="",
        passage="margin of 1.2%",
        correction="margin of 2.1%",
        reason="Transposed digits.",
        rating=rating,
    )
    assert (challenge.target, challenge.section) == (
        Challenge.Target.RATIONALE,
        "Why the overall rating",
    )
    accepted(challenge, people)
    resolved = fa.challenge_resolve(
        challenge=challenge,
        actor=people["member"],
        resolution=Challenge.Resolution.CHANGED,
        text="Rationale for overall: margin of 2.1%.",
    )
    rating.refresh_from_db()
    assert rating.rationale == "Rationale for overall: margin of 2.1%."
    assert resolved.change_summary == "Changed “1.2%.” to “2.1%.”"
    assert PassageRevision.objects.get(challenge=challenge).rating == rating


def test_no_change_is_resolved_with_its_reason_and_a_rating_challenge_stays_refused(
    checked, people
):
    with pytest.raises(ValidationError) as refused:
        fa.challenge_raise(
            assessment=checked,
            actor=people["trust"],
            kind=Challenge.Kind.TYPING,
            target=Challenge.Target.SUMMARY,
            section="",
            passage="well",
            correction="outstandingly",
            reason="We are outstanding.",
            about_rating=True,
        )
    assert refused.value.messages == [fa.CHALLENGE_TO_RATING]
    challenge = fa.challenge_raise(
        assessment=checked,
        actor=people["trust"],
        kind=Challenge.Kind.INACCURATE,
        section="",
        passage=OLD,
        correction="Agency spend fell.",
        reason="It fell.",
        evidence=finding(checked),
    )
    # Not answered yet: nothing to resolve; and never by the trust.
    with pytest.raises(PermissionDenied, match=RESOLVE_NOT_UPHELD):
        fa.challenge_resolve(
            challenge=challenge, actor=people["member"], resolution="no_change", reason="x"
        )
    accepted(challenge, people, Challenge.Outcome.PARTLY_ACCEPTED)
    with pytest.raises(PermissionDenied, match=RESOLVE_NOT_YOURS):
        fa.challenge_resolve(
            challenge=challenge, actor=people["trust"], resolution="no_change", reason="x"
        )
    with pytest.raises(ValidationError) as empty:
        fa.challenge_resolve(challenge=challenge, actor=people["member"], resolution="no_change")
    assert empty.value.message_dict == {"reason": [fa.RESOLVE_REASON_REQUIRED]}
    resolved = fa.challenge_resolve(
        challenge=challenge,
        actor=people["member"],
        resolution=Challenge.Resolution.NO_CHANGE,
        reason="The finding already says the spend fell in the second half.",
    )
    assert resolved.change_summary == (
        "No change: The finding already says the spend fell in the second half."
    )
    assert finding(checked).text == OLD
    assert not PassageRevision.objects.filter(challenge=challenge).exists()


def test_the_pages_raise_an_omission_without_a_quote_and_resolve_it(checked, people, client):
    finance = finding(checked).kloe
    client.force_login(people["trust"])
    raised = client.post(
        reverse("assessments:challenge_create", kwargs={"pk": checked.pk}),
        {
            "kind": "omission",
            "target": "section",
            "kloe": finance.pk,
            "correction": "Add the theatre scheduling savings.",
            "reason": "Left out.",
        },
    )
    assert raised.status_code == HTTPStatus.FOUND, raised.context["form"].errors
    challenge = checked.challenges.get()
    accepted(challenge, people)
    url = reverse(
        "assessments:challenge_resolve", kwargs={"pk": checked.pk, "challenge_pk": challenge.pk}
    )
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN  # the trust does not resolve
    client.force_login(people["member"])
    listed = client.get(reverse("assessments:challenge_list", kwargs={"pk": checked.pk}))
    assert url in listed.content.decode()
    assert "Not resolved yet" in listed.content.decode()
    empty = client.post(url, {"resolution": "no_change"})
    assert empty.status_code == HTTPStatus.OK
    assert "Give the reason why no text changes" in empty.content.decode()
    done = client.post(url, {"resolution": "changed", "text": "Theatre savings: 2,000 hours."})
    assert done.status_code == HTTPStatus.FOUND
    listed = client.get(reverse("assessments:challenge_list", kwargs={"pk": checked.pk}))
    assert "Added: “Theatre savings: 2,000 hours.”" in listed.content.decode()
    assert url not in listed.content.decode()


def test_only_the_team_resolves_while_the_check_is_open(checked, people, client):
    challenge = fa.challenge_raise(
        assessment=checked,
        actor=people["trust"],
        kind=Challenge.Kind.TYPING,
        target=Challenge.Target.SUMMARY,
        section="",
        passage="well",
        correction="very well",
        reason="x",
    )
    accepted(challenge, people)
    path = f"/api/v1/assessments/{checked.pk}/challenges/{challenge.pk}/resolve/"
    body = {"resolution": "changed", "text": "The trust uses its resources very well."}
    for who in ("trust", "qa", "admin"):
        assert api(client, people[who], path, body).status_code == HTTPStatus.FORBIDDEN
    cqc = UserFactory(username="cqc-r", role="cqc")
    assert api(client, cqc, path, body).status_code == HTTPStatus.FORBIDDEN
    assert api(client, people["lead"], path, body).status_code == HTTPStatus.OK
