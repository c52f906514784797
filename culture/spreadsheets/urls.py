from django.urls import path

from culture.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.import_home, name="import_home"),
]
