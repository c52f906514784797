"""Attestation pages: upload form (file rules shown on the form), scoped list and download,
the district officers' review queue."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from culture.standards.models import Attestation
from culture.standards.services.attestations import attestation_upload
from culture.standards.tests.reporting_fixtures import officers, test_catalogue  # noqa: F401
from culture.standards.tests.test_attestations import PDF, PNG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_catalogue")]

UPLOAD = "/standards/attestations/upload/"
LIST = "/standards/attestations/"
QUEUE = "/standards/attestations/review/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form(unit, content=PDF, name="第三方评估报告.pdf", indicator="S53"):
    return {
        "indicator_id": indicator,
        "org_unit": unit.code,
        "year": "2025",
        "title": "2025年度第三方绩效评估报告",
        "file": SimpleUploadedFile(name, content),
    }


def stored(officers, tree, unit="s1", content=PDF, title="湖墅评估报告"):
    actor = officers["subdistrict" if unit == "s1" else "subdistrict2"]
    return attestation_upload(
        actor=actor,
        indicator_id="S53",
        org_unit=tree[unit],
        year=2025,
        title=title,
        file=SimpleUploadedFile("r.pdf", content),
    )


def test_upload_through_the_form(tree, officers, login):
    client = login(officers["subdistrict"])
    page = client.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in page and "S53" in page
    assert tree["s1"].name_zh in page and tree["s2"].name_zh not in page
    response = client.post(UPLOAD, form(tree["s1"]))
    assert response.status_code == 302 and response["Location"] == LIST
    a = Attestation.objects.get()
    assert (a.org_unit, a.status, a.original_name) == (tree["s1"], "pending", "第三方评估报告.pdf")
    listing = client.get(LIST).content.decode()
    assert "2025年度第三方绩效评估报告" in listing and "待审核" in listing


def test_a_renamed_file_is_refused_on_the_form(tree, officers, login):
    response = login(officers["subdistrict"]).post(UPLOAD, form(tree["s1"], PNG, "报告.pdf"))
    assert response.status_code == 422
    assert "文件扩展名是 .pdf，但内容是 PNG 文件" in response.content.decode()
    assert not Attestation.objects.exists()


def test_a_unit_outside_the_scope_is_not_offered(tree, officers, login):
    response = login(officers["subdistrict"]).post(UPLOAD, form(tree["s2"]))
    assert response.status_code == 422
    assert not Attestation.objects.exists()


@pytest.mark.parametrize("role", ["evaluator", "venue"])
def test_readers_cannot_upload(tree, officers, login, role):
    client = login(officers[role])
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, form(tree["s1"])).status_code == 403


def test_the_list_and_the_download_are_scoped(tree, officers, login):
    mine, other = stored(officers, tree), stored(officers, tree, "s2", title="武林评估报告")
    client = login(officers["subdistrict"])
    listing = client.get(LIST).content.decode()
    assert "湖墅评估报告" in listing and "武林评估报告" not in listing
    response = client.get(f"/standards/attestations/{mine.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/standards/attestations/{other.pk}/file/").status_code == 403
    evaluator = login(officers["evaluator"])
    assert evaluator.get(f"/standards/attestations/{other.pk}/file/").status_code == 200


def test_the_district_officer_reviews_in_the_queue(tree, officers, login):
    a = stored(officers, tree)
    client = login(officers["district"])
    body = client.get(QUEUE).content.decode()
    assert "湖墅评估报告" in body and f"/standards/attestations/{a.pk}/review/" in body
    response = client.post(f"/standards/attestations/{a.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.reviewed_by) == ("accepted", officers["district"])
    after = client.get(QUEUE).content.decode()
    assert "已认定：湖墅评估报告" in after  # the message
    assert f"/standards/attestations/{a.pk}/review/" not in after


def test_rejection_without_a_reason_changes_nothing(tree, officers, login):
    a = stored(officers, tree)
    client = login(officers["district"])
    client.post(f"/standards/attestations/{a.pk}/review/", {"decision": "reject"})
    a.refresh_from_db()
    assert a.status == "pending"
    assert "不予认定时请填写原因" in client.get(QUEUE).content.decode()


def test_a_decision_that_is_not_offered_changes_nothing_and_goes_back_to_next(
    tree, officers, login
):
    a = stored(officers, tree)
    client = login(officers["district"])
    url = f"/standards/attestations/{a.pk}/review/"
    response = client.post(url, {"decision": "approve", "next": "/standards/attestations/"})
    assert (response.status_code, response["Location"]) == (302, "/standards/attestations/")
    a.refresh_from_db()
    assert a.status == "pending"
    assert "请选择审核结果" in client.get(QUEUE).content.decode()
    # An outside ``next`` is not followed: back to the queue.
    response = client.post(url, {"decision": "x", "next": "https://example.com/"})
    assert response["Location"] == QUEUE


@pytest.mark.parametrize("role", ["subdistrict", "community", "evaluator"])
def test_only_district_officers_review(tree, officers, login, role):
    a = stored(officers, tree)
    client = login(officers[role])
    assert client.get(QUEUE).status_code == 403
    response = client.post(f"/standards/attestations/{a.pk}/review/", {"decision": "accept"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == "pending"
