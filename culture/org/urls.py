from django.urls import path

from culture.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
]
