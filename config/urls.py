from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("culture.core.urls")),
    path("accounts/", include("culture.accounts.urls")),
    path("org/", include("culture.org.urls")),
    path("spreadsheets/", include("culture.spreadsheets.urls")),
    path("venues/", include("culture.venues.urls")),
    path("activities/", include("culture.activities.urls")),
    path("teams/", include("culture.teams.urls")),
    path("standards/", include("culture.standards.urls")),
    path("cockpit/", include("culture.cockpit.urls")),
    path("circles/", include("culture.circles.urls")),
    path("booking/", include("culture.booking.urls")),
    path("library/", include("culture.library.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
