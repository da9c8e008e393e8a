"""REST API of the well-led app under /api/v1/wellled/: the same selectors, services and
policies as the pages. Trust users see their own trust only (another trust's records are a
404, from the selectors); a write asks its wellled.policies predicate before reading the body
and goes through wellled.services, so a refusal is the same 403 and message as the page's
(core.api turns the services' exceptions into answers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from metrics.api_permissions import PolicyPermission
from metrics.models import Trust
from metrics.selectors import trusts_visible_to

from . import policies, selectors, services
from .models import (
    Action,
    DevelopmentalReview,
    GoodPractice,
    Kloe,
    PriorityLevel,
    SelfReview,
    SelfReviewEntry,
    WellLedRating,
)

UNKNOWN_KLOE = "The framework has no KLOE {code!r}."


def _own_trust(request, policy) -> Trust:
    """The trust a record posted by the caller belongs to: their own, once `policy` allows
    them to record it there (staff have no trust of their own, so they are refused)."""
    trust = request.user.trust
    policy(request.user, trust).enforce()
    return trust


def _kloe(code: str) -> Kloe:
    framework = selectors.framework_latest()
    kloe = framework.kloes.filter(code=code).first() if framework else None
    if kloe is None:
        raise ValidationError({"kloe": UNKNOWN_KLOE.format(code=code)})
    return kloe


# The framework ------------------------------------------------------------------------------


class PromptSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    applies_to = serializers.CharField()


class CharacteristicSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    level_label = serializers.CharField(source="get_level_display")
    text = serializers.CharField()
    mental_health = serializers.BooleanField()


class GoodPracticeSerializer(serializers.ModelSerializer):
    descriptions = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)

    class Meta:
        model = GoodPractice
        fields = ["characteristic", "descriptions"]


class KloeSerializer(serializers.ModelSerializer):
    prompts = PromptSerializer(many=True, read_only=True)
    characteristics = CharacteristicSerializer(many=True, read_only=True)
    good_practice = GoodPracticeSerializer(many=True, read_only=True)

    class Meta:
        model = Kloe
        fields = [
            "code",
            "number",
            "title",
            "question",
            "prompts",
            "characteristics",
            "good_practice",
        ]


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """The well-led KLOEs W1-W8 with prompts, ratings characteristics and good practice."""

    serializer_class = KloeSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return Kloe.objects.none()
        framework = selectors.framework_latest()
        if framework is None:
            return Kloe.objects.none()
        return selectors.framework_kloes(framework=framework)


# Self-reviews -------------------------------------------------------------------------------


class EntrySerializer(serializers.ModelSerializer):
    kloe = serializers.SlugRelatedField(slug_field="code", read_only=True)
    priority = serializers.SlugRelatedField(slug_field="number", read_only=True)
    priority_label = serializers.CharField(source="priority.label", default="", read_only=True)

    class Meta:
        model = SelfReviewEntry
        fields = ["kloe", "priority", "priority_label", "explanation", "assurance", "actions"]


class SelfReviewSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = SelfReview
        fields = [
            "id",
            "trust",
            "title",
            "status",
            "scheme",
            "signed_off_on",
            "signed_off_by_name",
            "created_at",
            "entries",
        ]
        read_only_fields = [
            "status",
            "signed_off_on",
            "signed_off_by_name",
            "created_at",
        ]


class EntryWriteSerializer(serializers.Serializer):
    kloe = serializers.CharField()
    priority = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The level's number"
    )
    explanation = serializers.CharField(allow_blank=True, default="")
    assurance = serializers.CharField(allow_blank=True, default="")
    actions = serializers.CharField(allow_blank=True, default="")


class SignOffSerializer(serializers.Serializer):
    signed_off_on = serializers.DateField()
    signed_off_by_name = serializers.CharField()


class SelfReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Board self-reviews. A trust user starts one for their trust, saves each KLOE's entry
    while it is a draft, then records the board's sign-off; after that every write is 403."""

    serializer_class = SelfReviewSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return selectors.self_reviews_visible_to(user=self.request.user).prefetch_related(
            "entries__kloe", "entries__priority"
        )

    def create(self, request, *args, **kwargs):
        trust = _own_trust(request, policies.may_create_self_review)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.self_review_create(
            trust=trust, actor=request.user, title=serializer.validated_data["title"]
        )
        return Response(self.get_serializer(review).data, status=201)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def entry(self, request, pk=None):
        """Save one KLOE's entry of a draft self-review (403 once signed off)."""
        review = self.get_object()
        policies.may_edit_self_review(request.user, review).enforce()
        data = EntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kloe = _kloe(values["kloe"])
        priority = None
        if values["priority"] is not None:
            priority = PriorityLevel.objects.filter(
                scheme=review.scheme, number=values["priority"]
            ).first()
            if priority is None:
                raise ValidationError({"priority": services.PRIORITY_NOT_IN_SCHEME})
        entry = services.self_review_entry_save(
            review=review,
            kloe=kloe,
            actor=request.user,
            priority=priority,
            explanation=values["explanation"],
            assurance=values["assurance"],
            actions=values["actions"],
        )
        return Response(EntrySerializer(entry).data)

    @extend_schema(request=SignOffSerializer, responses=SelfReviewSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """Record the board's sign-off (date and name); the review is read-only after."""
        review = self.get_object()
        policies.may_sign_off_self_review(request.user, review).enforce()
        data = SignOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.self_review_sign_off(
            review=review, actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(review).data)


# Developmental reviews ----------------------------------------------------------------------


class FacilitatorRatingField(serializers.DictField):
    child = serializers.IntegerField(min_value=1, max_value=4)


class DevelopmentalReviewSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    kloes = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Kloe.objects.all())
    ratings = FacilitatorRatingField(
        required=False, write_only=True, help_text="KLOE code to rating 1-4"
    )
    facilitator_ratings = serializers.SerializerMethodField()
    next_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = DevelopmentalReview
        fields = [
            "id",
            "trust",
            "facilitator_name",
            "facilitator_organisation",
            "peer_reviewers",
            "independence",
            "safeguard",
            "kloes",
            "extra_areas",
            "started_on",
            "completed_on",
            "findings",
            "good_practice",
            "material_concerns",
            "concerns_text",
            "letter_sent_on",
            "ratings",
            "facilitator_ratings",
            "agreed_next_due_on",
            "next_due_on",
        ]
        read_only_fields = ["agreed_next_due_on"]

    def get_facilitator_ratings(self, instance) -> dict[str, int]:
        return {rating.kloe.code: rating.rating for rating in instance.ratings.all()}


class DevelopmentalReviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Externally facilitated developmental reviews; the trust records its own."""

    serializer_class = DevelopmentalReviewSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return selectors.developmental_reviews_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        trust = _own_trust(request, policies.may_record_developmental_review)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        kloes = values.pop("kloes")
        ratings = {_kloe(code): rating for code, rating in values.pop("ratings", {}).items()}
        review = services.developmental_review_save(
            trust=trust, actor=request.user, kloes=kloes, ratings=ratings, **values
        )
        return Response(self.get_serializer(review).data, status=201)


# Action plans -------------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    kloe = serializers.CharField(source="kloe.code")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "trust",
            "self_review",
            "developmental_review",
            "kloe",
            "text",
            "owner",
            "due_on",
            "status",
            "overdue",
            "notes",
        ]
        read_only_fields = ["status"]

    def get_notes(self, action) -> list[dict]:
        return [{"noted_on": note.noted_on, "text": note.text} for note in action.notes.all()]


class ActionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Actions of the trusts' plans, with their progress notes and overdue flag."""

    serializer_class = ActionSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return selectors.actions_visible_to(user=self.request.user).prefetch_related("notes")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "self_review" in serializer.fields:
            user = self.request.user
            serializer.fields["self_review"].queryset = selectors.self_reviews_visible_to(user=user)
            serializer.fields[
                "developmental_review"
            ].queryset = selectors.developmental_reviews_visible_to(user=user)
        return serializer

    def create(self, request, *args, **kwargs):
        trust = _own_trust(request, policies.may_create_action)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        kloe = _kloe(values.pop("kloe")["code"])
        action = services.action_create(trust=trust, actor=request.user, kloe=kloe, **values)
        return Response(self.get_serializer(action).data, status=201)


# CQC well-led ratings -----------------------------------------------------------------------


class WellLedRatingSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", queryset=Trust.objects.all())
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WellLedRating
        fields = ["id", "trust", "rating", "rated_on", "note", "recorded_by", "recorded_at"]


class WellLedRatingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """CQC's well-led ratings, newest first per trust (the history); CQC records them."""

    serializer_class = WellLedRatingSerializer
    permission_classes = [PolicyPermission]
    policy = policies.may_see_wellled

    def get_queryset(self):
        return selectors.wellled_ratings_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        # NOTE: asked before the body is read, so the trust is not known yet; the service asks
        # again with it, and the trust field offers only the trusts the caller may see.
        policies.may_record_wellled_rating(request.user).enforce()
        serializer = self.get_serializer(data=request.data)
        serializer.fields["trust"].queryset = trusts_visible_to(user=request.user)
        serializer.is_valid(raise_exception=True)
        rating = services.wellled_rating_record(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(rating).data, status=201)


# The oversight rows -------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField()


class OversightRowSerializer(serializers.Serializer):
    trust = serializers.CharField(source="trust.ods_code")
    name = serializers.CharField(source="trust.name")
    region = serializers.CharField(source="trust.region")
    trust_type = serializers.CharField(source="trust.trust_type")
    finance_score = serializers.IntegerField(allow_null=True)
    finance_moderated = serializers.BooleanField()
    finance_period = serializers.DateField(allow_null=True)
    uor_rating = serializers.IntegerField(allow_null=True)
    wellled_rating = serializers.IntegerField(allow_null=True)
    wellled_rated_on = serializers.DateField(allow_null=True)
    last_review_completed_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    segment = serializers.IntegerField(allow_null=True)
    flags = FlagSerializer(many=True)


class OversightViewSet(viewsets.ViewSet):
    """Every trust's oversight row (NHS Improvement only); filter with ?region=,
    ?trust_type=, ?flag=, order with ?sort= (name, flags, finance, due, segment)."""

    permission_classes = [PolicyPermission]
    policy = policies.may_see_oversight

    @extend_schema(responses=OversightRowSerializer(many=True))
    def list(self, request):
        params = request.query_params
        rows = selectors.oversight_rows(
            user=request.user,
            region=params.get("region", ""),
            trust_type=params.get("trust_type", ""),
            flag=params.get("flag", ""),
            sort=params.get("sort", "name"),
        )
        return Response(OversightRowSerializer(rows, many=True).data)


wellled_router = SimpleRouter()
wellled_router.register("framework", FrameworkViewSet, basename="kloe")
wellled_router.register("self-reviews", SelfReviewViewSet, basename="selfreview")
wellled_router.register(
    "developmental-reviews", DevelopmentalReviewViewSet, basename="developmentalreview"
)
wellled_router.register("actions", ActionViewSet, basename="action")
wellled_router.register("cqc-ratings", WellLedRatingViewSet, basename="wellledrating")
wellled_router.register("oversight", OversightViewSet, basename="oversight")
