from django.urls import path

from culture.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.import_home, name="import_home"),
    path("import/<slug:name>/", views.import_upload, name="import"),
    path("template/<slug:name>/", views.template_download, name="template"),
    path("export/<slug:name>/", views.export, name="export"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/marked.xlsx", views.job_marked_file, name="job_marked"),
]
