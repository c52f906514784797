from django.urls import path

from culture.cockpit import views

app_name = "cockpit"

urlpatterns = [
    path("", views.cockpit, name="home"),
    path("screen/", views.screen, name="screen"),
    path("evaluate/", views.evaluate, name="evaluate"),
    path("download/", views.download, name="download"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<str:indicator_id>/", views.indicator_detail, name="indicator"),
]
