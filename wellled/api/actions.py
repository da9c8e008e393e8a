"""Serve the actions of the trusts' plans, with their progress notes and overdue flag."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from core import text_limits
from core.text_limits import text_fields_limited
from metrics.api_permissions import PolicyPermission

from .. import policies
from ..models.actions import Action
from ..selectors.actions import actions_visible_to
from ..selectors.developmental_reviews import developmental_reviews_visible_to
from ..selectors.self_reviews import self_reviews_visible_to
from ..services.actions import action_create
from .lookups import kloe_by_code, own_trust


class ActionSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    kloe = serializers.CharField(source="kloe.code", max_length=text_limits.CODE)
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
        extra_kwargs = text_fields_limited(Action, text_limits.PASSAGE)

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
        return actions_visible_to(user=self.request.user).prefetch_related("notes")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "self_review" in serializer.fields:
            user = self.request.user
            serializer.fields["self_review"].queryset = self_reviews_visible_to(user=user)
            serializer.fields["developmental_review"].queryset = developmental_reviews_visible_to(
                user=user
            )
        return serializer

    def create(self, request, *args, **kwargs):
        trust = own_trust(request, policies.may_create_action)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        kloe = kloe_by_code(values.pop("kloe")["code"])
        action = action_create(trust=trust, actor=request.user, kloe=kloe, **values)
        return Response(self.get_serializer(action).data, status=201)
