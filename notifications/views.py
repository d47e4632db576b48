from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import PreferencesForm
from notifications.models import Notification
from notifications.services import notifications_mark_read

LIST_SIZE = 50


@login_required
def notification_list(request):
    """The user's notifications, mailed or not, and their e-mail preferences."""
    notifications = (
        Notification.objects.filter(recipient=request.user)
        .exclude(status__in=[Notification.Status.PENDING, Notification.Status.STALE])
        .exclude(subject="")[:LIST_SIZE]
    )
    # Not ``request.POST or None``: unticking the only box posts no field at all.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("notification_list")
    return render(
        request,
        "notifications/notification_list.html",
        {"notifications": notifications, "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def notification_read_all(request):
    notifications_mark_read(user=request.user)
    return redirect("notification_list")
