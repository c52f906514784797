"""The org-unit importer and exporter (``org_units``) on the spreadsheets framework."""

from __future__ import annotations

from decimal import Decimal

import pytest

from culture.core.models import AuditEntry
from culture.org.models import OrgUnit
from culture.org.services import org_unit_upsert
from culture.spreadsheets.models import ImportJob
from culture.spreadsheets.tests.helpers import ORG_HEADERS, csv_text, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(users, login):
    return login(users["district"])


def run(client, rows, name="units.xlsx") -> ImportJob:
    upload(client, "org_units", xlsx_bytes(ORG_HEADERS, rows), name)
    return ImportJob.objects.order_by("-created_at").first()


def reasons(job) -> list[tuple]:
    return [(e["row"], e["column"], e["reason"]) for e in job.errors]


def test_a_new_subdistrict_and_its_communities_in_one_file(officer, tree):
    job = run(
        officer,
        [
            ["330105018", "街道", "330105", "半山街道", "Banshan", 52000, 19.5],
            ["330105018001", "社区", "330105018", "半山社区", "", 6100, ""],
            ["330105018002", "社区", "330105018", "永和社区", "", 5400, 1.2],
        ],
    )
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    banshan = OrgUnit.objects.get(code="330105018")
    assert banshan.path == "330105/330105018/"
    assert banshan.area_km2 == Decimal("19.500")
    assert list(banshan.children.values_list("name_zh", flat=True)) == ["半山社区", "永和社区"]
    assert OrgUnit.objects.get(code="330105018002").path == "330105/330105018/330105018002/"
    created = AuditEntry.objects.filter(
        action="org.unit_created", target_label__in=["半山街道", "半山社区", "永和社区"]
    )
    assert created.count() == 3


def test_a_child_above_its_new_parent_is_an_error(officer, tree):
    job = run(
        officer,
        [
            ["330105018001", "社区", "330105018", "半山社区", "", 6100, ""],
            ["330105018", "街道", "330105", "半山街道", "", 52000, ""],
        ],
    )
    assert reasons(job) == [
        (2, "上级区划代码", "上级单位 330105018 不存在（如在同一文件中新建，请放在本行之前）")
    ]
    assert not OrgUnit.objects.filter(code__startswith="330105018").exists()


def test_code_rules(officer, tree):
    job = run(
        officer,
        [
            ["3301050011", "社区", "330105001", "位数不对", "", 1, ""],
            ["330105002009", "社区", "330105001", "前缀不对", "", 1, ""],
            ["330105001009", "社区", "330105001001", "上级是社区", "", 1, ""],
            ["330106", "区", "330105", "区有上级", "", 1, ""],
            ["330105001010", "社区", "", "没有上级", "", 1, ""],
        ],
    )
    assert reasons(job) == [
        (2, "区划代码", "社区的区划代码应为12位数字"),
        (3, "区划代码", "区划代码应以上级代码 330105001 开头"),
        (4, "上级区划代码", "社区的上级必须是街道"),
        (5, "上级区划代码", "区不能有上级单位，请留空"),
        (6, "上级区划代码", "社区必须填写上级区划代码"),
    ]


def test_value_rules(officer, tree):
    job = run(
        officer,
        [
            ["330105001011", "社区", "330105001", "负人口", "", -5, ""],
            ["330105001012", "社区", "330105001", "面积太精细", "", 5, "1.2345"],
            ["330105001013", "社区", "330105001", "", "", 5, ""],
            ["330105001014", "镇", "330105001", "不是层级", "", 5, ""],
        ],
    )
    assert reasons(job) == [
        (2, "常住人口", "人口不能为负数"),
        (3, "面积（平方公里）", "面积最多三位小数"),
        (4, "名称", "必填项不能为空"),
        (5, "层级", "应为以下之一：区、街道、社区"),
    ]


def test_the_code_pins_level_and_parent_so_an_import_cannot_move_a_unit(officer, tree):
    job = run(
        officer,
        [
            ["330105002001", "社区", "330105001", "搬家", "", 1, ""],
        ],
    )
    assert reasons(job) == [
        (2, "区划代码", "区划代码应以上级代码 330105001 开头"),
    ]
    job = run(officer, [["330105001", "社区", "330105", "改层级", "", 1, ""]])
    assert reasons(job) == [
        (2, "区划代码", "社区的区划代码应为12位数字"),
        (2, "上级区划代码", "社区的上级必须是街道"),
    ]
    assert OrgUnit.objects.get(code="330105001").level == "subdistrict"


def test_blank_optional_values_keep_what_is_stored(officer, tree):
    tree["c11"].name_en = "Keep me"
    tree["c11"].save(update_fields=["name_en"])
    job = run(officer, [["330105001001", "社区", "330105001", "湖墅街道1社区", "", "", ""]])
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 1}
    tree["c11"].refresh_from_db()
    assert (tree["c11"].name_en, tree["c11"].population) == ("Keep me", 8000)


def test_an_update_is_audited_with_before_and_after(officer, tree):
    job = run(officer, [["330105001001", "社区", "330105001", "湖墅新社区", "", 8100, ""]])
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 0}
    entry = AuditEntry.objects.filter(action="org.unit_updated").get()
    assert entry.before == {"name_zh": "湖墅街道1社区", "population": 8000}
    assert entry.after == {
        "name_zh": "湖墅新社区",
        "population": 8100,
        "rolled_up_population": {"330105001": 15100, "330105": 26100},
    }


def test_community_worker_may_update_own_community_only(users, login, tree):
    client = login(users["community"])  # worker of c11
    job = run(
        client,
        [
            ["330105001001", "社区", "330105001", "湖墅街道1社区", "", 8200, ""],
            ["330105001002", "社区", "330105001", "湖墅街道2社区", "", 7200, ""],
            ["330105001020", "社区", "330105001", "新社区", "", 100, ""],
        ],
    )
    assert reasons(job) == [
        (3, "区划代码", "区划代码 330105001002 不在您的管辖范围内，不能导入"),
        (4, "区划代码", "区划代码 330105001020 不在您的管辖范围内，不能导入"),
    ]
    assert OrgUnit.objects.get(code="330105001001").population == 8000  # nothing saved


def test_subdistrict_officer_cannot_create_a_subdistrict(users, login, tree):
    job = run(login(users["subdistrict"]), [["330105017", "街道", "330105", "新街道", "", 1, ""]])
    assert reasons(job) == [(2, "区划代码", "区划代码 330105017 不在您的管辖范围内，不能导入")]


def test_csv_with_halfwidth_brackets_in_the_area_header(officer, tree):
    headers = [*ORG_HEADERS[:6], "面积(平方公里)"]
    text = csv_text(headers, [["330105001021", "社区", "330105001", "括号社区", "", "10", "2.5"]])
    upload(officer, "org_units", text.encode("gbk"), "gbk.csv")
    assert ImportJob.objects.get().status == "done"
    assert OrgUnit.objects.get(code="330105001021").area_km2 == Decimal("2.500")


def test_upsert_service_reports_what_it_did(users, tree):
    actor = users["district"]
    unit, outcome = org_unit_upsert(
        actor=actor,
        code="330105001030",
        level="community",
        parent=tree["s1"],
        name_zh="服务社区",
        population=10,
    )
    assert outcome == "created" and unit.path == "330105/330105001/330105001030/"
    assert (
        org_unit_upsert(
            actor=actor,
            code="330105001030",
            level="community",
            parent=tree["s1"],
            name_zh="服务社区",
            population=10,
        )[1]
        == "unchanged"
    )
    assert (
        org_unit_upsert(
            actor=actor,
            code="330105001030",
            level="community",
            parent=tree["s1"],
            name_zh="服务社区",
            area_km2=Decimal("1.5"),
        )[1]
        == "updated"
    )
    assert (
        org_unit_upsert(
            actor=actor,
            code="330105001030",
            level="community",
            parent=tree["s1"],
            name_zh="服务社区",
            area_km2=Decimal("1.500"),
        )[1]
        == "unchanged"
    )
