"""Add the factual-accuracy routes to AssessmentViewSet: challenges, answers, sign-off.

`ChallengeActionsMixin` is mixed into AssessmentViewSet (assessments/api.py). Each action asks
the policy the page asks before reading the body, and lets the services' refusals through to
the one exception handler (core/api.py). A trust gets 404 before the draft is shared.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from assessments import policies
from assessments.selectors import assessment_shared_or_404, evidence_for_user, ratings_for_user
from core import text_limits
from core.uploads import upload_read

from . import selectors, services
from .models import Challenge


class ChallengeSerializer(serializers.ModelSerializer):
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    signed_off_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    resolved_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    kloe = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    change_summary = serializers.CharField(read_only=True)
    files = serializers.SerializerMethodField(help_text="The files the trust added.")

    class Meta:
        model = Challenge
        fields = [
            "id",
            "number",
            "kind",
            "section",
            "target",
            "passage",
            "correction",
            "reason",
            "evidence",
            "rating",
            "kloe",
            "raised_by",
            "raised_at",
            "outcome",
            "response",
            "answered_by",
            "answered_at",
            "signed_off_by",
            "signed_off_at",
            "resolution",
            "resolution_reason",
            "resolved_by",
            "resolved_at",
            "change_summary",
            "files",
        ]

    def get_files(self, challenge) -> list[dict]:
        return [
            {
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "url": reverse(
                    "assessments:attachment_download",
                    kwargs={"pk": challenge.assessment_id, "attachment_pk": attachment.pk},
                ),
            }
            for attachment in challenge.attachments.all()
        ]

    def to_representation(self, challenge):
        data = super().to_representation(challenge)
        user = self.context.get("user")
        if user is not None and not policies.may_read_answer(user, challenge):
            # The trust reads the answer only once it is signed off.
            hidden = ("outcome", "response", "resolution", "resolution_reason", "change_summary")
            for key in (*hidden, "answered_by", "answered_at", "resolved_by", "resolved_at"):
                data[key] = "" if key in hidden else None
        return data


class ChallengeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Challenge.Kind.choices)
    target = serializers.ChoiceField(
        choices=Challenge.Target.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The passage: finding (name `evidence`), rationale (name `rating`) or summary; "
        "an omission names `section` (with `kloe`, optionally the `evidence` it follows) or "
        "summary. Left out, it follows from what is named.",
    )
    section = serializers.CharField(
        max_length=text_limits.TITLE, required=False, allow_blank=True, default=""
    )
    passage = serializers.CharField(
        max_length=text_limits.NOTE, required=False, allow_blank=True, default=""
    )
    correction = serializers.CharField(max_length=text_limits.NOTE)
    reason = serializers.CharField(max_length=text_limits.NOTE)
    about_rating = serializers.BooleanField(
        default=False, help_text="True if the challenge disagrees with the rating (refused)."
    )
    evidence = serializers.IntegerField(required=False, allow_null=True, default=None)
    rating = serializers.IntegerField(required=False, allow_null=True, default=None)
    kloe = serializers.CharField(
        max_length=text_limits.CODE, required=False, allow_blank=True, default="", help_text="code"
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Files to add (send the body as multipart/form-data, one `files` part each): "
        "PDF, DOCX, XLSX, CSV, PNG or JPEG, each under 20 MB, checked as the page checks them.",
    )

    def validate_files(self, uploads) -> tuple[tuple[str, bytes], ...]:
        # The page's check (core.uploads), so a file refused there is refused here too.
        return tuple(upload_read(upload) for upload in uploads)


class ChallengeResolveSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=Challenge.Resolution.choices)
    text = serializers.CharField(
        max_length=text_limits.PASSAGE,
        required=False,
        allow_blank=True,
        default="",
        help_text="The passage's new text (for an omission, the text added).",
    )
    reason = serializers.CharField(
        max_length=text_limits.NOTE,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why no text changes.",
    )


class ChallengeAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Challenge.Outcome.choices)
    response = serializers.CharField(max_length=text_limits.NOTE)


class ChallengeActionsMixin:
    """Routes of AssessmentViewSet for factual-accuracy challenges."""

    @extend_schema(methods=["GET"], responses=ChallengeSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ChallengeWriteSerializer, responses={201: ChallengeSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def challenges(self, request, pk=None):
        """GET: the challenges (a trust reads answers once signed off). POST: raise one."""
        assessment = assessment_shared_or_404(user=request.user, assessment=self.get_object())
        context = {"user": request.user}
        if request.method == "GET":
            items = selectors.challenges_for_user(user=request.user, assessment=assessment)
            return Response(ChallengeSerializer(items, many=True, context=context).data)
        policies.may_raise_challenge(request.user, assessment).enforce()
        serializer = ChallengeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        evidence_id, rating_id, kloe_code = (
            data.pop("evidence"),
            data.pop("rating"),
            data.pop("kloe"),
        )
        user = request.user
        evidence = rating = kloe = None
        if evidence_id is not None:
            evidence = evidence_for_user(user=user, assessment=assessment).filter(pk=evidence_id)
            evidence = evidence.first()
            if evidence is None:
                raise ValidationError({"evidence": [services.EVIDENCE_NOT_HERE]})
        if rating_id is not None:
            rating = ratings_for_user(user=user, assessment=assessment).filter(pk=rating_id)
            rating = rating.first()
            if rating is None:
                raise ValidationError({"rating": [services.RATING_NOT_HERE]})
        if kloe_code:
            kloe = assessment.framework.kloes.filter(code=kloe_code).first()
            if kloe is None:
                raise ValidationError({"kloe": [services.OMISSION_WHERE]})
        challenge = services.challenge_raise(
            assessment=assessment, actor=user, evidence=evidence, rating=rating, kloe=kloe, **data
        )
        return Response(
            ChallengeSerializer(challenge, context=context).data, status=status.HTTP_201_CREATED
        )

    def _challenge(self, request, pk, challenge_pk):
        assessment = assessment_shared_or_404(user=request.user, assessment=self.get_object())
        return selectors.challenge_get_for_user(
            user=request.user, assessment=assessment, pk=int(challenge_pk)
        )

    @extend_schema(request=ChallengeAnswerSerializer, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"], url_path=r"challenges/(?P<challenge_pk>[0-9]+)/answer")
    def challenge_answer(self, request, pk=None, challenge_pk=None):
        """The team's answer (accepted, partly accepted, not accepted) with a response."""
        challenge = self._challenge(request, pk, challenge_pk)
        policies.may_answer_challenge(request.user, challenge.assessment, challenge).enforce()
        serializer = ChallengeAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = services.challenge_answer(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(ChallengeSerializer(answered, context={"user": request.user}).data)

    @extend_schema(request=None, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"], url_path=r"challenges/(?P<challenge_pk>[0-9]+)/sign-off")
    def challenge_sign_off(self, request, pk=None, challenge_pk=None):
        """Sign off the answer: NHS Improvement staff who were not on the team."""
        challenge = self._challenge(request, pk, challenge_pk)
        policies.may_sign_off(request.user, challenge.assessment).enforce()
        signed = services.challenge_sign_off(challenge=challenge, actor=request.user)
        return Response(ChallengeSerializer(signed, context={"user": request.user}).data)

    @extend_schema(request=ChallengeResolveSerializer, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"], url_path=r"challenges/(?P<challenge_pk>[0-9]+)/resolve")
    def challenge_resolve(self, request, pk=None, challenge_pk=None):
        """Resolve an accepted or partly accepted challenge: the passage's new text (kept with
        the old in its history), or the reason why no text changes."""
        challenge = self._challenge(request, pk, challenge_pk)
        policies.may_resolve_challenge(request.user, challenge.assessment, challenge).enforce()
        serializer = ChallengeResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resolved = services.challenge_resolve(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(ChallengeSerializer(resolved, context={"user": request.user}).data)
