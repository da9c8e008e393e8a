"""Sign-in with a second step for a second factor, enrolment, and account security pages."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrics.forms import (
    GdsPasswordChangeForm,
    GdsPasswordResetForm,
    GdsSetPasswordForm,
    SecondFactorForm,
    SignInForm,
)
from metrics.mixins import PolicyRequiredMixin
from metrics.models import User
from metrics.policies import (
    may_manage_second_factor,
    must_enrol_second_factor,
    must_verify_second_factor,
)
from metrics.services import (
    recovery_codes_issue,
    totp_confirm,
    totp_device_start,
    two_factor_verify,
)
from metrics.services.two_factor import WRONG_CODE, has_second_factor

PENDING_USER_KEY = "uor_pending_user"
PENDING_NEXT_KEY = "uor_pending_next"
PENDING_BACKEND_KEY = "uor_pending_backend"
RECOVERY_CODES_KEY = "uor_new_recovery_codes"
ENROL_NEXT_KEY = "uor_enrol_next"
MAX_CODE_ATTEMPTS = 5
TOO_MANY_CODES = "Too many wrong codes. Sign in again."


def code_step_begin(request, *, user: User, next_url: str, backend: str | None = None):
    """Forget any signed-in state and send `user` to the code step, then to `next_url`."""
    backend = backend or request.session.get(BACKEND_SESSION_KEY)
    # NOTE: the user is not signed in until the code is checked; the session only
    # remembers who passed step one.
    request.session.flush()
    request.user = AnonymousUser()
    request.session[PENDING_USER_KEY] = user.pk
    request.session[PENDING_BACKEND_KEY] = backend
    request.session[PENDING_NEXT_KEY] = next_url
    request.session["uor_code_attempts"] = 0
    return redirect("accounts:login_code")


class SignInView(auth_views.LoginView):
    """Step one: username and password. Anyone with a second factor goes on to step two;
    anyone who must have one and has none is signed in only to enrol."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        # The user from the form has passed no code yet: anyone enrolled gives one.
        if must_verify_second_factor(user):
            return code_step_begin(
                self.request, user=user, next_url=self.get_success_url(), backend=user.backend
            )
        next_url = self.get_success_url()
        response = super().form_valid(form)
        if not must_enrol_second_factor(user):
            return response
        self.request.session[ENROL_NEXT_KEY] = next_url
        return redirect("accounts:two_factor_enrol")


class SecondFactorView(FormView):
    """Step two: a code from the authenticator app, or a recovery code."""

    form_class = SecondFactorForm
    template_name = "registration/login_code.html"

    def dispatch(self, request, *args, **kwargs):
        self.pending_user = User.objects.filter(
            pk=request.session.get(PENDING_USER_KEY), is_active=True
        ).first()
        if self.pending_user is None:
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        session = self.request.session
        device = two_factor_verify(
            user=self.pending_user, token=form.cleaned_data["token"], request=self.request
        )
        if device is None:
            session["uor_code_attempts"] = session.get("uor_code_attempts", 0) + 1
            if session["uor_code_attempts"] >= MAX_CODE_ATTEMPTS:
                session.flush()
                messages.error(self.request, TOO_MANY_CODES)
                return redirect("accounts:login")
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        next_url = session.get(PENDING_NEXT_KEY) or reverse(settings.LOGIN_REDIRECT_URL)
        self.pending_user.backend = session.get(PENDING_BACKEND_KEY)
        for key in (PENDING_USER_KEY, PENDING_BACKEND_KEY, PENDING_NEXT_KEY):
            session.pop(key, None)
        login(self.request, self.pending_user)
        otp_login(self.request, device)
        if isinstance(device, StaticDevice):
            remaining = device.token_set.count()
            messages.warning(
                self.request,
                f"You signed in with a recovery code. You have {remaining} left.",
            )
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            next_url = reverse(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(next_url)


class SignOutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GdsPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = GdsPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GdsSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class AccountView(LoginRequiredMixin, TemplateView):
    """The user's account page: password and second factor."""

    template_name = "registration/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["has_authenticator"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        recovery = StaticDevice.objects.filter(user=user).first()
        context["recovery_codes_left"] = recovery.token_set.count() if recovery else 0
        context["new_recovery_codes"] = self.request.session.pop(RECOVERY_CODES_KEY, None)
        context["two_factor_on"] = settings.UOR_TWO_FACTOR
        context["must_enrol"] = must_enrol_second_factor(user)
        context["may_manage_second_factor"] = may_manage_second_factor(user)
        if context["new_recovery_codes"] and not context["must_enrol"]:
            next_url = self.request.session.pop(ENROL_NEXT_KEY, None)
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={self.request.get_host()}
            ):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            context["continue_url"] = next_url
        return context


class TwoFactorEnrolView(PolicyRequiredMixin, FormView):
    """Show a new authenticator's QR code and secret; confirm it with a code from the app."""

    policy = may_manage_second_factor
    form_class = SecondFactorForm
    template_name = "registration/two_factor_enrol.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": "Confirm authenticator"}

    def get(self, request, *args, **kwargs):
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            messages.info(request, "You already have an authenticator.")
            return redirect("accounts:two_factor")
        self.device = totp_device_start(user=request.user)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if self.device is None:
            return redirect("accounts:two_factor_enrol")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        image = qrcode.make(self.device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        # The SVG is generated by qrcode from our own URL; it holds no user input.
        context["qr_svg"] = mark_safe(buffer.getvalue().decode())  # noqa: S308
        context["secret"] = base64.b32encode(self.device.bin_key).decode().rstrip("=")
        context["must_enrol"] = must_enrol_second_factor(self.request.user)
        return context

    def form_valid(self, form):
        result = totp_confirm(
            user=self.request.user, token=form.cleaned_data["token"], request=self.request
        )
        if result is None:
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        device, codes = result
        otp_login(self.request, device)
        self.request.session[RECOVERY_CODES_KEY] = codes
        messages.success(self.request, "Your authenticator is set up. Keep your recovery codes.")
        return redirect("accounts:two_factor")


class RecoveryCodesView(PolicyRequiredMixin, TemplateView):
    """POST: replace the recovery codes and show the new ones once."""

    policy = may_manage_second_factor
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not has_second_factor(request.user):
            messages.error(request, "Set up an authenticator before making recovery codes.")
            return redirect("accounts:two_factor")
        request.session[RECOVERY_CODES_KEY] = recovery_codes_issue(
            user=request.user, request=request
        )
        messages.success(request, "New recovery codes made. The old ones no longer work.")
        return redirect("accounts:two_factor")
