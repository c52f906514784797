"""The import pages: home, upload with htmx, job progress polling, templates, who sees which job."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from culture.spreadsheets.models import ImportJob, ImportStatus
from culture.spreadsheets.tests.helpers import ORG_HEADERS, community_rows, upload, xlsx_bytes


@pytest.fixture
def officer(users, login):
    return login(users["district"])


def test_home_lists_importers_exporters_and_recent_jobs(officer, tree):
    upload(
        officer,
        "org_units",
        xlsx_bytes(ORG_HEADERS, community_rows("330105001", 1, start=9)),
        "最近.xlsx",
    )
    page = officer.get("/spreadsheets/").content.decode()
    assert "组织单位（区/街道/社区）" in page
    assert 'href="/spreadsheets/template/org_units/"' in page
    assert 'href="/spreadsheets/import/org_units/"' in page
    assert 'href="/spreadsheets/export/org_units/?format=csv"' in page
    assert "最近.xlsx" in page


def test_upload_page_uses_htmx_with_progress(officer, tree):
    page = officer.get("/spreadsheets/import/org_units/").content.decode()
    assert 'hx-encoding="multipart/form-data"' in page
    assert 'hx-post="/spreadsheets/import/org_units/"' in page
    assert "<progress" in page
    assert "spreadsheets/upload.js" in page
    assert "面积（平方公里）" in page  # the column list


def test_htmx_upload_redirects_to_the_job_page_which_stops_polling_when_done(officer, tree):
    content = xlsx_bytes(ORG_HEADERS, community_rows("330105001", 2, start=9))
    response = upload(officer, "org_units", content, "htmx.xlsx", HTTP_HX_REQUEST="true")
    job = ImportJob.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/spreadsheets/jobs/{job.pk}/"
    full = officer.get(response["HX-Redirect"]).content.decode()
    assert "<html" in full and 'data-status="done"' in full
    fragment = officer.get(response["HX-Redirect"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'id="job"' in fragment and "hx-trigger" not in fragment
    assert 'data-testid="created">2<' in fragment


def test_running_job_fragment_polls_and_shows_progress(officer, users):
    job = ImportJob.objects.create(
        user=users["district"],
        importer="org_units",
        original_name="big.xlsx",
        kind="xlsx",
        status=ImportStatus.VALIDATING,
        rows_total=2000,
        rows_done=500,
    )
    fragment = officer.get(f"/spreadsheets/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="/spreadsheets/jobs/{job.pk}/"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress value="25"' in fragment
    assert "已检查 500 / 2000 行" in fragment


def test_users_see_only_their_own_jobs_district_officers_all(users, login, tree):
    own = ImportJob.objects.create(
        user=users["community"],
        importer="org_units",
        original_name="mine.xlsx",
        kind="xlsx",
        status=ImportStatus.DONE,
    )
    other = ImportJob.objects.create(
        user=users["subdistrict"],
        importer="org_units",
        original_name="theirs.xlsx",
        kind="xlsx",
        status=ImportStatus.DONE,
    )
    client = login(users["community"])
    assert client.get(f"/spreadsheets/jobs/{own.pk}/").status_code == 200
    assert client.get(f"/spreadsheets/jobs/{other.pk}/").status_code == 404
    assert client.get(f"/spreadsheets/jobs/{other.pk}/marked.xlsx").status_code == 404
    home = client.get("/spreadsheets/").content.decode()
    assert "mine.xlsx" in home and "theirs.xlsx" not in home
    client = login(users["district"])
    home = client.get("/spreadsheets/").content.decode()
    assert "mine.xlsx" in home and "theirs.xlsx" in home
    assert client.get(f"/spreadsheets/jobs/{other.pk}/").status_code == 200


def test_template_has_headers_instructions_and_dropdowns(officer, tree):
    response = officer.get("/spreadsheets/template/org_units/")
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    wb = load_workbook(io.BytesIO(response.content))
    data = wb.worksheets[0]
    assert [c.value for c in data[1]] == ORG_HEADERS
    assert data["A1"].comment.text.startswith("code · 文本 · 必填")
    validations = data.data_validations.dataValidation
    assert len(validations) == 1 and "B2" in str(validations[0].sqref)
    choices = wb["选项"]
    assert [choices.cell(row=r, column=2).value for r in (1, 2, 3)] == ["区", "街道", "社区"]
    info = wb["说明"]
    lines = [[c for c in row if c is not None] for row in info.iter_rows(values_only=True)]
    assert ["层级", "level", "从下拉列表中选择", "是", "区、街道、社区"] in lines
    assert ["常住人口", "population", "整数", "否", "不小于 0 的整数"] in lines


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/spreadsheets/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_english_interface(officer, tree):
    officer.cookies["django_language"] = "en"
    page = officer.get("/spreadsheets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import and export" in page


@pytest.mark.django_db(transaction=True)
def test_with_the_database_task_backend_the_job_waits_for_the_worker(settings, tree, users, client):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client.force_login(users["district"])
    content = xlsx_bytes(ORG_HEADERS, community_rows("330105001", 3, start=9))
    upload(client, "org_units", content, "queued.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    page = client.get(f"/spreadsheets/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "等待后台任务处理" in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
