"""Importers and exporters: teams, organisations, households, talents, developments."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from culture.org.models import ResidentialDevelopment
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import csv_text, upload, xlsx_bytes
from culture.teams.models import CulturalOrganisation, CulturalTeam, CultureHousehold
from culture.teams.tests.factories import organisation, team

pytestmark = pytest.mark.django_db

TEAM_HEADERS = [
    "团队编号",
    "团队名称",
    "团队类别",
    "所属单位代码",
    "成员人数",
    "负责人",
    "排练场馆编码",
    "排练地点",
    "成立日期",
    "活跃",
    "最近活动日期",
    "成员名单",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(client, name, headers, rows, filename="file.xlsx") -> ImportJob:
    upload(client, name, xlsx_bytes(headers, rows), filename)
    return ImportJob.objects.order_by("-created_at").first()


def team_rows(tree):
    return [
        [
            "T-001",
            "湖墅合唱团",
            "合唱团",
            tree["s1"].code,
            30,
            "张老师",
            "",
            "街道文化站三楼",
            "2015-04-01",
            "是",
            "2024-10-01",
            "张三:团长，李四",
        ],
        ["T-002", "运河书画社", "书画社", tree["c11"].code, 12, "", "", "", "", "", "", ""],
        ["T-003", "社区舞蹈队", "dance", tree["c12"].code, "", "", "", "", "", "否", "", ""],
    ]


def test_teams_import_then_reimport_changes_nothing(login, users, tree):
    client = login(users["subdistrict"])
    job = run(client, "teams", TEAM_HEADERS, team_rows(tree))
    assert job.errors == [] and job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    first = CulturalTeam.objects.get(code="T-001")
    assert first.kind == "choir" and first.org_unit == tree["s1"]
    assert first.members == [{"name": "张三", "role": "团长"}, {"name": "李四", "role": ""}]
    dance = CulturalTeam.objects.get(code="T-003")
    assert (dance.kind, dance.is_active, dance.members_count) == ("dance", False, 0)
    again = run(client, "teams", TEAM_HEADERS, team_rows(tree))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert CulturalTeam.objects.count() == 3


def test_one_bad_row_imports_nothing_and_names_row_and_column(login, users, tree):
    rows = team_rows(tree) + [
        ["T-004", "越界团", "合唱团", tree["c21"].code, 1, "", "", "", "", "", "", ""],
        ["T-005", "怪团", "歌剧院", tree["c11"].code, 1, "", "", "", "", "", "", ""],
        ["T-006", "无场馆团", "合唱团", tree["c11"].code, 1, "", "V-NONE", "", "", "", "", ""],
    ]
    job = run(login(users["subdistrict"]), "teams", TEAM_HEADERS, rows)
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(5, "所属单位代码"), (6, "团队类别"), (7, "排练场馆编码")}
    assert "不在您的管辖范围内" in next(e["reason"] for e in job.errors if e["row"] == 5)
    assert not CulturalTeam.objects.exists()


def test_a_team_outside_scope_cannot_be_pulled_in_by_import(login, users, tree):
    team("T-OUT", tree["c21"])
    rows = [["T-OUT", "拉进来", "合唱团", tree["c11"].code, 1, "", "", "", "", "", "", ""]]
    job = run(login(users["subdistrict"]), "teams", TEAM_HEADERS, rows)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "团队编号")]
    assert CulturalTeam.objects.get(code="T-OUT").org_unit == tree["c21"]


def test_blank_optional_cells_keep_stored_values(login, users, tree):
    team("T-K", tree["c11"], members_count=44, leader_name="老队长", rehearsal_place="礼堂")
    rows = [["T-K", "改名团", "合唱团", tree["c11"].code, "", "", "", "", "", "", "", ""]]
    job = run(login(users["community"]), "teams", TEAM_HEADERS, rows)
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 0}
    kept = CulturalTeam.objects.get(code="T-K")
    assert (kept.name, kept.members_count, kept.leader_name, kept.rehearsal_place) == (
        "改名团",
        44,
        "老队长",
        "礼堂",
    )


def test_team_export_reimports_unchanged_and_is_scoped(login, users, tree):
    team("T-1", tree["c11"], name="=危险公式团", members=[{"name": "甲", "role": "团长"}])
    team("T-2", tree["c21"], name="越界团")
    client = login(users["subdistrict"])
    response = client.get("/spreadsheets/export/teams/", {"format": "xlsx"})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["团队编号", "团队名称", "团队类别", "所属单位代码"]
    assert [r[0] for r in rows[1:]] == ["T-1"]
    assert rows[1][1] == "'=危险公式团" and rows[1][2] == "合唱团"
    upload(client, "teams", data, "export.xlsx")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.errors == [] and job.counts == {"created": 0, "updated": 0, "unchanged": 1}


def test_organisation_export_masks_the_phone_and_reimports_unchanged(login, users, tree):
    organisation("O-1", tree["s1"], name="湖墅青少年宫", kind="youth_centre", phone="13912345678")
    client = login(users["district"])
    response = client.get("/spreadsheets/export/organisations/", {"format": "csv"})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = data.decode("utf-8-sig")
    assert "139****5678" in text and "13912345678" not in text
    upload(client, "organisations", data, "orgs.csv")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.errors == [] and job.counts == {"created": 0, "updated": 0, "unchanged": 1}
    assert CulturalOrganisation.objects.get(code="O-1").phone_masked == "139****5678"


def test_households_import_from_a_gbk_csv(login, users, tree):
    content = csv_text(
        ["编号", "户名", "所在社区代码", "文化特长", "有效"],
        [
            ["H-1", "运河人家", tree["c11"].code, "书法", "是"],
            ["H-2", "邻居家", tree["c12"].code, "", ""],
        ],
    ).encode("gbk")
    upload(login(users["subdistrict"]), "culture_households", content, "households.csv")
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert CultureHousehold.objects.get(code="H-1").speciality == "书法"


def test_developments_import_with_a_subdistrict_row_refused(login, users, tree):
    headers = [
        "小区编号",
        "小区名称",
        "所在社区代码",
        "居住人口",
        "室内健身面积（平方米）",
        "室外健身面积（平方米）",
        "文化空间面积（平方米）",
        "未来社区",
        "建成年份",
    ]
    rows = [["D-1", "运河湾", tree["c11"].code, 3000, 250.5, 0, 300, "是", 2023]]
    client = login(users["subdistrict"])
    bad = run(
        client,
        "developments",
        headers,
        rows + [["D-2", "街道级", tree["s1"].code, 1, 0, 0, 0, "", ""]],
    )
    assert [(e["row"], e["column"]) for e in bad.errors] == [(3, "所在社区代码")]
    assert not ResidentialDevelopment.objects.exists()
    job = run(client, "developments", headers, rows)
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0}
    dev = ResidentialDevelopment.objects.get(code="D-1")
    assert dev.indoor_fitness_m2 == Decimal("250.5") and dev.is_future_community
    assert run(client, "developments", headers, rows).counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }
