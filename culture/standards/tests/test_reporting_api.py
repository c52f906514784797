"""/api/standards/: submit, list and review figures; list and review attestations."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from culture.standards.models import ReportedFigure
from culture.standards.services.attestations import attestation_upload
from culture.standards.services.reporting import reported_figure_submit
from culture.standards.tests.reporting_fixtures import officers, test_catalogue  # noqa: F401
from culture.standards.tests.test_attestations import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def figure_body(unit, **kw):
    body = {"indicator_id": "S52", "field_key": "value", "org_unit": unit.code, "year": 2025}
    return {**body, "value": "88%", **kw}


def test_submit_list_and_review(tree, officers, login):
    community = login(officers["community"])
    created = post(community, "/api/standards/figures", figure_body(tree["c11"]))
    assert created.status_code == 201
    item = created.json()
    assert (item["value"], item["status"], item["org_unit"]) == (
        0.88,
        "submitted",
        tree["c11"].code,
    )
    again = post(community, "/api/standards/figures", figure_body(tree["c11"], value=0.9))
    assert again.status_code == 200 and again.json()["value"] == 0.9
    reviewer = login(officers["subdistrict"])
    listed = reviewer.get("/api/standards/figures", {"status": "submitted"}).json()
    assert [(i["indicator_id"], i["org_unit"]) for i in listed["items"]] == [
        ("S52", tree["c11"].code)
    ]
    reviewed = post(reviewer, f"/api/standards/figures/{item['id']}/review", {"approve": True})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "approved"


def test_errors_are_json_with_the_field(tree, officers, login):
    client = login(officers["community"])
    bad = post(client, "/api/standards/figures", figure_body(tree["c11"], value="1.5"))
    assert bad.status_code == 422
    assert "应在 0 到 1 之间" in bad.json()["errors"]["value"][0]
    out = post(client, "/api/standards/figures", figure_body(tree["c21"]))
    assert out.status_code == 403
    missing = post(client, "/api/standards/figures", figure_body(tree["c11"], org_unit="999"))
    assert missing.status_code == 422 and "单位代码 999 不存在" in missing.json()["message"]
    assert not ReportedFigure.objects.exists()


def test_a_reject_without_reason_and_an_out_of_scope_review(tree, officers, login):
    figure, _ = reported_figure_submit(
        actor=officers["community21"],
        indicator_id="S52",
        field_key="value",
        org_unit=tree["c21"],
        year=2025,
        value="0.9",
    )
    url = f"/api/standards/figures/{figure.pk}/review"
    assert post(login(officers["subdistrict"]), url, {"approve": True}).status_code == 403
    no_reason = post(login(officers["district"]), url, {"approve": False})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"


def test_attestations_list_and_review(tree, officers, login):
    a = attestation_upload(
        actor=officers["subdistrict"],
        indicator_id="S53",
        org_unit=tree["s1"],
        year=2025,
        title="评估报告",
        file=SimpleUploadedFile("r.pdf", PDF),
    )
    listed = login(officers["subdistrict"]).get("/api/standards/attestations").json()
    assert [(i["id"], i["status"], i["sha256"]) for i in listed["items"]] == [
        (a.pk, "pending", a.sha256)
    ]
    url = f"/api/standards/attestations/{a.pk}/review"
    assert post(login(officers["subdistrict"]), url, {"accept": True}).status_code == 403
    done = post(login(officers["district"]), url, {"accept": True})
    assert done.status_code == 200 and done.json()["status"] == "accepted"
