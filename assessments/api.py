"""REST API of the assessments app: the same services, selectors and policies as the pages.

An action asks its policy before reading the request body, as the pages do before reading
the form: a refused user gets 403 with the policy's message, whatever they sent.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core import text_limits
from metrics.api_permissions import PolicyPermission
from metrics.models import Role, Trust, User
from metrics.policies import may_use_service

from . import policies
from .consistency.api import ConsistencyActionsMixin
from .cqc_review.api import CqcReviewActionsMixin
from .factual_accuracy.api import ChallengeActionsMixin
from .models import Assessment, Characteristic, Commentary, Evidence, Framework, KloeRating
from .publication.api import PublicationActionsMixin
from .reports.api import ReportActionsMixin
from .selectors import (
    assessments_visible_to,
    commentary_for_user,
    evidence_for_user,
    ratings_for_user,
)
from .services import (
    assessment_create,
    commentary_save,
    evidence_create,
    notice_warning,
    rating_propose,
    site_visit_move,
)
from .team.api import TeamActionsMixin
from .workflow import actions_for, assessment_transition

UNKNOWN_KLOE = "This assessment's framework has no KLOE {code!r}."
UNKNOWN_PROMPT = "KLOE {kloe} has no prompt {code!r}."
VERSION_HELP = (
    "The `version` you last read. Required to change an item that exists (428 without it, "
    "409 if someone saved since); left out only to write the first one."
)


class AssessmentSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", queryset=Trust.objects.all())
    framework = serializers.SlugRelatedField(slug_field="code", queryset=Framework.objects.all())
    lead = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(role=Role.ASSESSOR)
    )
    members = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=User.objects.filter(role=Role.ASSESSOR),
    )
    commentary_deadline = serializers.DateField(required=False)
    status = serializers.CharField(read_only=True)
    pilot = serializers.BooleanField(
        required=False, default=False, help_text="Admins only: a pilot may use the draft."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "trust",
            "framework",
            "site_visit_date",
            "commentary_deadline",
            "status",
            "lead",
            "members",
            "pilot",
            "commentary_submitted_at",
        ]
        read_only_fields = ["commentary_submitted_at"]


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=text_limits.CODE)
    note = serializers.CharField(
        max_length=text_limits.NOTE, required=False, allow_blank=True, default=""
    )
    agreed_ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=4), required=False
    )
    cqc_reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=text_limits.NOTE), required=False
    )
    publication_date = serializers.DateField(required=False, allow_null=True, default=None)
    findings_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ratify: QA has read the consistency findings the team left unanswered.",
    )


class TransitionOptionSerializer(serializers.Serializer):
    """An action the signed-in user may take now (GET .../transitions/)."""

    action = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField(help_text="The status the action moves the assessment to.")
    needs_note = serializers.BooleanField()


class SiteVisitSerializer(serializers.Serializer):
    site_visit_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=text_limits.REASON)


class CommentarySerializer(serializers.ModelSerializer):
    kloe = serializers.SlugRelatedField(slug_field="code", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Commentary
        fields = ["id", "kloe", "text", "version", "updated_by", "updated_at"]


class CommentaryWriteSerializer(serializers.Serializer):
    kloe = serializers.CharField(max_length=text_limits.CODE)
    text = serializers.CharField(max_length=text_limits.LONG_TEXT, allow_blank=True)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=VERSION_HELP
    )


class EvidenceSerializer(serializers.ModelSerializer):
    kloe = serializers.SlugRelatedField(slug_field="code", read_only=True)
    prompt = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    metrics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kloe",
            "prompt",
            "source",
            "finding",
            "text",
            "metrics",
            "figures",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]


class EvidenceWriteSerializer(serializers.Serializer):
    kloe = serializers.CharField(max_length=text_limits.CODE)
    prompt = serializers.CharField(
        max_length=text_limits.CODE, required=False, allow_blank=True, default=""
    )
    source = serializers.ChoiceField(choices=Evidence.Source.choices)
    finding = serializers.ChoiceField(choices=Evidence.Finding.choices)
    text = serializers.CharField(max_length=text_limits.LONG_TEXT)
    metrics = serializers.ListField(
        child=serializers.CharField(max_length=text_limits.CODE), required=False, default=list
    )


class RatingSerializer(serializers.ModelSerializer):
    kloe = serializers.SerializerMethodField()
    characteristics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = KloeRating
        fields = [
            "id",
            "kloe",
            "rating",
            "rationale",
            "areas_for_improvement",
            "outstanding_practice",
            "characteristics",
            "agreed_rating",
            "cqc_reasons",
            "version",
        ]

    def get_kloe(self, rating) -> str:
        return rating.kloe.code if rating.kloe else "overall"


class RatingWriteSerializer(serializers.Serializer):
    kloe = serializers.CharField(
        max_length=text_limits.CODE, help_text='A KLOE code, or "overall".'
    )
    rating = serializers.IntegerField()
    rationale = serializers.CharField(max_length=text_limits.LONG_TEXT, allow_blank=True)
    characteristics = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=VERSION_HELP
    )
    areas_for_improvement = serializers.CharField(
        max_length=text_limits.PASSAGE, required=False, allow_blank=True, default=""
    )
    outstanding_practice = serializers.CharField(
        max_length=text_limits.PASSAGE, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(
        max_length=text_limits.LONG_TEXT,
        required=False,
        allow_null=True,
        default=None,
        help_text='The summary of findings; with kloe "overall" only.',
    )


class AssessmentViewSet(
    ReportActionsMixin,
    ConsistencyActionsMixin,
    ChallengeActionsMixin,
    CqcReviewActionsMixin,
    PublicationActionsMixin,
    TeamActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessments the signed-in user may see; assessors schedule new ones."""

    serializer_class = AssessmentSerializer
    permission_classes = [PolicyPermission]
    policy = may_use_service

    def get_queryset(self):
        return assessments_visible_to(user=self.request.user).prefetch_related("members")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = assessment_create(
            trust=data["trust"],
            framework=data["framework"],
            site_visit_date=data["site_visit_date"],
            commentary_deadline=data.get("commentary_deadline"),
            lead=data["lead"],
            members=data.get("members", []),
            created_by=self.request.user,
            today=timezone.localdate(),
            pilot=data.get("pilot", False),
        )

    def create(self, request, *args, **kwargs):
        policies.may_create_assessment(request.user).enforce()
        response = super().create(request, *args, **kwargs)
        created = Assessment.objects.get(pk=response.data["id"])
        warning = notice_warning(
            site_visit_date=created.site_visit_date, today=timezone.localdate()
        )
        response.data["warnings"] = [warning] if warning else []
        return response

    def _kloe(self, assessment, code, *, overall=False):
        """The assessment's KLOE `code`; None for "overall" where `overall` (ratings) allows."""
        if overall and code == "overall":
            return None
        kloe = assessment.framework.kloes.filter(code=code).first()
        if kloe is None:
            raise ValidationError({"kloe": [UNKNOWN_KLOE.format(code=code)]})
        return kloe

    @extend_schema(methods=["GET"], responses=TransitionOptionSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, pk=None):
        """GET: the actions you may take now. POST {"action", "note"}: take one."""
        assessment = self.get_object()
        if request.method == "GET":
            return Response(
                [
                    {"action": a.name, "label": a.label, "to": a.target, "needs_note": a.needs_note}
                    for a in actions_for(user=request.user, assessment=assessment)
                ]
            )
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        moved = assessment_transition(
            assessment=assessment,
            actor=request.user,
            action=serializer.validated_data["action"],
            note=serializer.validated_data["note"],
            data={
                name: serializer.validated_data.get(name)
                for name in (
                    "agreed_ratings",
                    "cqc_reasons",
                    "publication_date",
                    "findings_confirmed",
                )
            },
        )
        return Response(AssessmentSerializer(moved).data)

    @extend_schema(request=SiteVisitSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="site-visit")
    def site_visit(self, request, pk=None):
        """The lead moves the site visit with a reason (kept in the history)."""
        assessment = self.get_object()
        policies.may_move_site_visit(request.user, assessment).enforce()
        serializer = SiteVisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = site_visit_move(
            assessment=assessment, actor=request.user, **serializer.validated_data
        )
        return Response(AssessmentSerializer(moved).data)

    @extend_schema(methods=["GET"], responses=CommentarySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CommentaryWriteSerializer, responses={201: CommentarySerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def commentary(self, request, pk=None):
        """The trust's commentary per KLOE; the trust user saves drafts with POST."""
        assessment = self.get_object()
        if request.method == "GET":
            items = commentary_for_user(user=request.user, assessment=assessment)
            return Response(CommentarySerializer(items, many=True).data)
        policies.may_edit_commentary(request.user, assessment).enforce()
        serializer = CommentaryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        saved = commentary_save(
            assessment=assessment,
            kloe=self._kloe(assessment, data["kloe"]),
            text=data["text"],
            actor=request.user,
            version=data["version"],
        )
        return Response(CommentarySerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("source", str, enum=Evidence.Source.values)],
        responses=EvidenceSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"], request=EvidenceWriteSerializer, responses={201: EvidenceSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request, pk=None):
        """Evidence per KLOE (NHS Improvement's; a trust sees it once the draft is shared)."""
        assessment = self.get_object()
        if request.method == "GET":
            items = evidence_for_user(
                user=request.user,
                assessment=assessment,
                source=request.query_params.get("source", ""),
            )
            return Response(EvidenceSerializer(items, many=True).data)
        policies.may_record_evidence(request.user, assessment).enforce()
        serializer = EvidenceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        kloe = self._kloe(assessment, data["kloe"])
        prompt = None
        if data["prompt"]:
            prompt = kloe.prompts.filter(code=data["prompt"]).first()
            if prompt is None:
                raise ValidationError(
                    {"prompt": [UNKNOWN_PROMPT.format(kloe=kloe.code, code=data["prompt"])]}
                )
        saved = evidence_create(
            assessment=assessment,
            actor=request.user,
            kloe=kloe,
            prompt=prompt,
            source=data["source"],
            finding=data["finding"],
            text=data["text"],
            metrics=list(kloe.metrics.filter(code__in=data["metrics"])),
        )
        return Response(EvidenceSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=RatingSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=RatingWriteSerializer, responses={201: RatingSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def ratings(self, request, pk=None):
        """Proposed KLOE and overall ratings (a trust sees them once the draft is shared)."""
        assessment = self.get_object()
        if request.method == "GET":
            items = ratings_for_user(user=request.user, assessment=assessment)
            return Response(RatingSerializer(items, many=True).data)
        policies.may_propose_ratings(request.user, assessment).enforce()
        serializer = RatingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        kloe = self._kloe(assessment, data["kloe"], overall=True)
        chosen = Characteristic.objects.filter(
            framework=assessment.framework, pk__in=data["characteristics"]
        )
        saved = rating_propose(
            assessment=assessment,
            actor=request.user,
            kloe=kloe,
            rating=data["rating"],
            rationale=data["rationale"],
            characteristics=list(chosen),
            version=data["version"],
            areas_for_improvement=data["areas_for_improvement"],
            outstanding_practice=data["outstanding_practice"],
            summary=data["summary"] if kloe is None else None,
        )
        return Response(RatingSerializer(saved).data, status=status.HTTP_201_CREATED)
