"""Navigation for the signed-in user, by role."""

from django.urls import reverse

from metrics.models import Role


def service(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home")))
        items.append(("Assessments", reverse("assessments:assessment_list")))
        if user.role == Role.TRUST:
            items.append(("Your trust", user.trust.get_absolute_url()))
        else:
            items.append(("Trusts", reverse("metrics:trust_list")))
            items.append(("Finance scores", reverse("metrics:finance_scores")))
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
