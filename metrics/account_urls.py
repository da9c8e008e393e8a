"""Sign-in, sign-out, password and second-factor routes, under /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from metrics.views import accounts

app_name = "accounts"

urlpatterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("login/code/", accounts.SecondFactorView.as_view(), name="login_code"),
    path("logout/", accounts.SignOutView.as_view(), name="logout"),
    path("", accounts.AccountView.as_view(), name="two_factor"),
    path("two-factor/enrol/", accounts.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path("two-factor/recovery-codes/", accounts.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
