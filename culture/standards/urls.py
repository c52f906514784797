from django.urls import path

from culture.standards.views import attestations, definitions, reporting

app_name = "standards"

urlpatterns = [
    path("reports/", reporting.report_sheet, name="report_sheet"),
    path("reports/review/", reporting.report_review_queue, name="report_review_queue"),
    path("reports/<id:pk>/review/", reporting.report_review, name="report_review"),
    path("attestations/", attestations.attestation_list, name="attestation_list"),
    path("attestations/upload/", attestations.attestation_upload, name="attestation_upload"),
    path(
        "attestations/review/",
        attestations.attestation_review_queue,
        name="attestation_review_queue",
    ),
    path(
        "attestations/<id:pk>/review/",
        attestations.attestation_review,
        name="attestation_review",
    ),
    path("attestations/<id:pk>/file/", attestations.attestation_file, name="attestation_file"),
    path("definitions/", definitions.definition_list, name="definition_list"),
    path("definitions/<slug:key>/", definitions.definition_set, name="definition_set"),
    path("definitions/<slug:key>/reset/", definitions.definition_reset, name="definition_reset"),
]
