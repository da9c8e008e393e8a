"""Serve the well-led KLOEs W1-W8 with their prompts, ratings characteristics and good
practice (read only)."""

from rest_framework import serializers, viewsets

from metrics.api_permissions import PolicyPermission

from .. import policies
from ..models.framework import GoodPractice, Kloe
from ..selectors.framework import framework_kloes, framework_latest


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
        framework = framework_latest()
        if framework is None:
            return Kloe.objects.none()
        return framework_kloes(framework=framework)
