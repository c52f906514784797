"""Downloading the cockpit's results: xlsx, Word and JSON for the focus unit and below, scoped,
audited, and a clear message when the year has no run."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from culture.cockpit.tests import helpers
from culture.core.models import AuditEntry
from culture.standards.services.evaluation import evaluation_run

pytestmark = pytest.mark.django_db
URL = reverse("cockpit:download")


def test_subdistrict_officer_downloads_only_their_units(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    evaluation_run(year=helpers.YEAR)
    client = login(users["subdistrict"])
    response = client.get(URL, {"year": helpers.YEAR, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="standards-{helpers.YEAR}-{tree["s1"].code}.json"'
    )
    doc = json.loads(response.content)
    codes = {r["org_unit"] for r in doc["results"]}
    assert codes and codes <= {tree["s1"].code, tree["c11"].code, tree["c12"].code}
    assert AuditEntry.objects.filter(action="standards.results_exported").count() == 1
    # Another subdistrict is out of scope.
    assert client.get(URL, {"year": helpers.YEAR, "unit": tree["s2"].code}).status_code in (
        403,
        404,
    )


def test_xlsx_and_word(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    evaluation_run(year=helpers.YEAR)
    client = login(users["district"])
    xlsx = client.get(URL, {"year": helpers.YEAR, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content), read_only=True)["评估结果"].values)
    assert rows[0][0] == "指标" and len(rows) > 1
    word = client.get(URL, {"year": helpers.YEAR, "format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert f"（{helpers.YEAR}年度）" in text


def test_no_run_yet_says_so(tree, users, login):
    client = login(users["district"])
    response = client.get(URL, {"year": 2025, "format": "xlsx"}, follow=True)
    assert "2025 年还没有评估结果，无法下载" in response.content.decode()
    assert not AuditEntry.objects.filter(action="standards.results_exported").exists()
