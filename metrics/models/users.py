from django.contrib.auth.models import AbstractUser
from django.db import models

from .trusts import Trust


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    ASSESSOR = "assessor", "Assessor"
    QA = "qa", "QA committee member"
    TRUST = "trust", "Trust user"
    CQC = "cqc", "CQC reviewer"


class Organisation(models.TextChoices):
    NHSI = "nhsi", "NHS Improvement"
    CQC = "cqc", "Care Quality Commission"
    TRUST = "trust", "NHS trust"


ORGANISATION_OF_ROLE = {
    Role.ADMIN: Organisation.NHSI,
    Role.ASSESSOR: Organisation.NHSI,
    Role.QA: Organisation.NHSI,
    Role.CQC: Organisation.CQC,
    Role.TRUST: Organisation.TRUST,
}


# NOTE: the user model lives in metrics, beside the trusts its users belong to: a trust user
# names their trust (a foreign key with a check constraint), and metrics is the base app every
# other app already depends on. uor_site/ holds no models, and core/ must not know about trusts.
class User(AbstractUser):
    """A person who signs in. The role decides the organisation; trust users name their trust."""

    # NOTE: one field for the whole name, as people write it ("Dr Amara Okafor"); Django's
    # first and last names stay for the admin but are not asked for.
    full_name = models.CharField(
        "full name", max_length=150, blank=True, help_text="As it appears in reports."
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    trust = models.ForeignKey(
        Trust,
        verbose_name="trust",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # NOTE: a trust's hand-overs go to the people an admin names, not every user of the trust.
    is_trust_contact = models.BooleanField(
        "trust contact",
        default=False,
        help_text="Receives the trust's notifications about assessments and well-led reviews.",
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            # A trust user belongs to exactly one trust; nobody else belongs to any.
            models.CheckConstraint(
                condition=(models.Q(role=Role.TRUST, trust__isnull=False))
                | (~models.Q(role=Role.TRUST) & models.Q(trust__isnull=True)),
                name="trust_user_has_trust",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="user_role_known",
            ),
            models.CheckConstraint(
                condition=models.Q(is_trust_contact=False) | models.Q(role=Role.TRUST),
                name="trust_contact_is_trust_user",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return self.full_name.strip() or super().get_full_name()

    @property
    def organisation(self) -> str:
        return ORGANISATION_OF_ROLE[self.role]

    @property
    def organisation_name(self) -> str:
        if self.role == Role.TRUST and self.trust_id:
            return self.trust.name
        return Organisation(self.organisation).label

    @property
    def is_staff_member(self) -> bool:
        """NHS Improvement and CQC people: everyone but trust users."""
        return self.role != Role.TRUST
