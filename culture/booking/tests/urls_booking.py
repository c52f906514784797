"""TEMPORARY (until culture.booking.urls is mounted in config/urls.py): the site's URLs plus the
booking pages (residents' and managers') under /booking/."""

from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = [*site, path("booking/", include("culture.booking.urls"))]
