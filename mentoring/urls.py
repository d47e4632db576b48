from django.contrib import admin
from django.urls import include, path, register_converter

from accounts import views as account_views
from mentoring.admin_login import admin_login
from mentoring.health import healthz
from mentoring.utils import IdConverter
from programmes import views as programme_views

admin.site.login = admin_login  # allauth's login and its rate limits, never a second form
register_converter(IdConverter, "id")  # before include() loads the apps' URLconfs

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("", include("programmes.urls")),
    path("", include("accounts.urls")),
    path("", include("matching.urls")),
    path("", include("pairs.urls")),
    path("", include("evaluation.urls")),
    path("", include("notifications.urls")),
    path("", include("audit.urls")),
    path("", include("privacy.urls")),
    # Before allauth's: sign-in addresses are HR's to change, not the user's.
    path("accounts/email/", account_views.email_managed_by_hr, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
