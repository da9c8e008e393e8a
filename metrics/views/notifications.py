"""Each person's notifications: the list (newest first) and opening one, which marks it read."""

from django.shortcuts import redirect
from django.views.generic import ListView, View

from metrics.mixins import PolicyRequiredMixin
from metrics.policies import may_use_service
from metrics.selectors import notifications_for
from metrics.services import notification_open


class NotificationListView(PolicyRequiredMixin, ListView):
    policy = may_use_service
    template_name = "metrics/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return notifications_for(user=self.request.user)


class NotificationOpenView(PolicyRequiredMixin, View):
    """Mark the notification read and go to the thing it is about (marking twice is harmless)."""

    policy = may_use_service
    http_method_names = ["get"]

    def get(self, request, pk):
        notification = notification_open(user=request.user, pk=pk)
        return redirect(notification.url or "metrics:notification_list")
