"""Create users with a role and, for trust users, their trust."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from metrics.models import Role, Trust, User
from metrics.policies import gets_django_admin_flags

UNKNOWN_ROLE = "Unknown role {role!r}: choose one of {choices}."
TRUST_REQUIRED = "A trust user needs --trust with the trust's ODS code."
TRUST_NOT_ALLOWED = "Only trust users belong to a trust; a {role} user cannot have --trust."
UNKNOWN_TRUST = "No trust has the ODS code {code!r}."
CONTACT_NOT_TRUST = "Only trust users can be a trust's contact; a {role} user cannot."
USERNAME_TAKEN = "The username {username!r} is already taken."


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    trust_code: str | None = None,
    email: str = "",
    full_name: str = "",
    first_name: str = "",
    last_name: str = "",
    trust_contact: bool = False,
) -> User:
    """Create a user who can sign in at once, or raise ValidationError and create nothing."""
    if role not in Role.values:
        raise ValidationError(UNKNOWN_ROLE.format(role=role, choices=", ".join(Role.values)))
    trust = None
    if role == Role.TRUST:
        if not trust_code:
            raise ValidationError(TRUST_REQUIRED)
        trust = Trust.objects.filter(ods_code=trust_code.upper()).first()
        if trust is None:
            raise ValidationError(UNKNOWN_TRUST.format(code=trust_code))
    elif trust_code:
        raise ValidationError(TRUST_NOT_ALLOWED.format(role=role))
    if trust_contact and role != Role.TRUST:
        raise ValidationError(CONTACT_NOT_TRUST.format(role=role))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(USERNAME_TAKEN.format(username=username))

    user = User(
        username=username,
        role=role,
        trust=trust,
        email=email,
        full_name=full_name,
        first_name=first_name,
        last_name=last_name,
        is_trust_contact=trust_contact,
    )
    user.is_staff = user.is_superuser = gets_django_admin_flags(user)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
