"""factory_boy factories for test objects. Reference data lives in fixtures/, not here."""

import factory
from factory.django import DjangoModelFactory

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
