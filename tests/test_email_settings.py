"""EMAIL_URL chooses the e-mail backend: the console by default, SMTP when given one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)"
)


def email_settings(**env) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="uor_site.settings.local", **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_embedded_default_prints_mail_to_the_console():
    assert email_settings().startswith("django.core.mail.backends.console.EmailBackend")


def test_an_smtp_url_with_tls_is_used_as_given():
    assert email_settings(EMAIL_URL="smtp+tls://uor%40nhs:secret@mail.example.nhs.uk:587") == (
        "django.core.mail.backends.smtp.EmailBackend mail.example.nhs.uk 587 True uor@nhs"
    )
