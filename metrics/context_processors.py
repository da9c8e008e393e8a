"""Navigation for the signed-in user, by role."""

from django.urls import reverse

from metrics.models import Role


def service(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home")))
        items.append(("Assessments", reverse("assessments:assessment_list")))
        # NOTE: other apps' pages are named by URL only, so metrics imports none of them.
        if user.role == Role.TRUST:
            items.append(("Your trust", user.trust.get_absolute_url()))
            items.append(("Well-led", reverse("wellled:trust_detail", args=[user.trust.ods_code])))
        else:
            items.append(("Trusts", reverse("metrics:trust_list")))
            items.append(("Finance scores", reverse("metrics:finance_scores")))
            items.append(("Well-led", reverse("wellled:framework")))
        if user.role in (Role.ADMIN, Role.ASSESSOR, Role.QA):
            items.append(("Oversight", reverse("wellled:oversight")))
        if user.role == Role.ADMIN:
            items.append(("Security log", reverse("metrics:security_log")))
            items.append(("Access matrix", reverse("access_matrix")))
        items.append(("Account", reverse("accounts:two_factor")))
    current = request.path if request else ""
    return {
        "service_name": "Use of Resources",
        "nav_items": [
            {"label": label, "url": url, "active": url != "/" and current.startswith(url)}
            for label, url in items
        ],
    }
