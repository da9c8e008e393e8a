from django.conf import settings
from django.db import models


class SecurityEvent(models.Model):
    """One line of the security log: sign-ins, lock-outs, second-factor changes, denials."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKED_OUT = "locked_out", "Locked out"
        OTP_FAILED = "otp_failed", "Wrong second-factor code"
        OTP_ENROLLED = "otp_enrolled", "Second factor enrolled"
        OTP_RESET = "otp_reset", "Second factor reset"
        RECOVERY_CODES = "recovery_codes", "Recovery codes issued"
        RECOVERY_USED = "recovery_used", "Recovery code used"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        FORBIDDEN = "forbidden", "Refused (403)"
        NOT_FOUND = "not_found", "Hidden (404)"

    created_at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    username = models.CharField("username", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("address", null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
