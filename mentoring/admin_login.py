"""The admin signs in through allauth, so its login is rate-limited like every other.

Django's own admin login form checks passwords outside allauth, where nothing
counts failed attempts. Here ``/admin/login/`` checks no password at all: it
sends anonymous visitors to allauth's login (whose limits run on the shared
cache: Redis in production), staff who are already signed in on to the admin,
and anyone else signed in gets a 403.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not next_url.startswith("/admin/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if admin.site.has_permission(request):
        return redirect(next_url)
    raise PermissionDenied
