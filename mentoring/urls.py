from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from programmes import views as programme_views

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("", include("programmes.urls")),
    path("", include("accounts.urls")),
    path("", include("matching.urls")),
    path("", include("pairs.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
