"""Navigation for the signed-in user: each item shown when the policies let them use it."""

from django.urls import reverse

from metrics.policies import (
    is_nhsi_member,
    is_qa_or_admin,
    may_decide_moderation,
    may_see_access_matrix,
    may_see_every_trust,
    may_see_security_log,
    must_enrol_second_factor,
)
from metrics.selectors import notifications_unread_count


def service(request):
    user = getattr(request, "user", None)
    items = []
    unread = 0
    search_box = False
    if user is not None and must_enrol_second_factor(user):
        # Nothing else opens before enrolment, so offer nothing else.
        items.append(("Account", reverse("accounts:two_factor")))
    elif user is not None and user.is_authenticated:
        unread = notifications_unread_count(user=user)
        search_box = True
        items.append(("Home", reverse("home")))
        items.append(("Assessments", reverse("assessments:assessment_list")))
        # NOTE: other apps' pages are named by URL only, so metrics imports none of them.
        if may_see_every_trust(user):
            items.append(("Trusts", reverse("metrics:trust_list")))
            items.append(("Finance scores", reverse("metrics:finance_scores")))
            items.append(("Well-led", reverse("wellled:framework")))
        else:
            items.append(("Your trust", user.trust.get_absolute_url()))
            items.append(("Well-led", reverse("wellled:trust_detail", args=[user.trust.ods_code])))
        if is_nhsi_member(user):
            items.append(("Oversight", reverse("wellled:oversight")))
        if is_qa_or_admin(user):
            items.append(("Calibration", reverse("assessments:calibration")))
        if may_decide_moderation(user):
            items.append(("Moderation", reverse("metrics:moderation_list")))
        if may_see_security_log(user):
            items.append(("Security log", reverse("metrics:security_log")))
        if may_see_access_matrix(user):
            items.append(("Access matrix", reverse("access_matrix")))
        items.append(("Notifications", reverse("metrics:notification_list")))
        items.append(("Account", reverse("accounts:two_factor")))
    current = request.path if request else ""
    return {
        "service_name": "Use of Resources",
        "search_box": search_box,
        "nav_items": [
            {
                "label": label,
                "url": url,
                "active": url != "/" and current.startswith(url),
                # The header's unread count, beside the link to the list.
                "unread": unread if label == "Notifications" else 0,
            }
            for label, url in items
        ],
    }
