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

from assessments import policies
from assessments.selectors import assessment_shared_or_404, evidence_for_user

from . import selectors, services
from .models import Challenge


class ChallengeSerializer(serializers.ModelSerializer):
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "number",
            "kind",
            "section",
            "passage",
            "correction",
            "reason",
            "evidence",
            "raised_by",
            "raised_at",
            "outcome",
            "response",
            "answered_by",
            "answered_at",
            "signed_off_by",
            "signed_off_at",
        ]

    def to_representation(self, challenge):
        data = super().to_representation(challenge)
        user = self.context.get("user")
        if user is not None and not policies.may_read_answer(user, challenge):
            # The trust reads the answer only once it is signed off.
            for key in ("outcome", "response", "answered_by", "answered_at"):
                data[key] = "" if key in ("outcome", "response") else None
        return data


class ChallengeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Challenge.Kind.choices)
    section = serializers.CharField(max_length=200)
    passage = serializers.CharField(max_length=10000)
    correction = serializers.CharField(max_length=10000)
    reason = serializers.CharField(max_length=10000)
    about_rating = serializers.BooleanField(
        default=False, help_text="True if the challenge disagrees with the rating (refused)."
    )
    evidence = serializers.IntegerField(required=False, allow_null=True, default=None)


class ChallengeAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Challenge.Outcome.choices)
    response = serializers.CharField(max_length=10000)


class ChallengeActionsMixin:
    """Routes of AssessmentViewSet for factual-accuracy challenges."""

    @extend_schema(request=ChallengeWriteSerializer, responses=ChallengeSerializer(many=True))
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
        evidence_id = data.pop("evidence")
        evidence = None
        if evidence_id is not None:
            evidence = (
                evidence_for_user(user=request.user, assessment=assessment)
                .filter(pk=evidence_id)
                .first()
            )
            if evidence is None:
                raise ValidationError({"evidence": [services.EVIDENCE_NOT_HERE]})
        challenge = services.challenge_raise(
            assessment=assessment, actor=request.user, evidence=evidence, **data
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
