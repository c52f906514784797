"""The spreadsheet import journey in a real browser: download the template, upload a file with
mistakes (nothing saved, each mistake listed), fix it, upload again (saved)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from culture.accounts.tests.factories import PASSWORD
from culture.core.tests.browser_fixtures import sign_in
from culture.org.models import OrgUnit

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def filled(template: bytes, rows: list[list]) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page, name: str, content: bytes) -> None:
    page.goto(reverse("spreadsheets:import", args=["org_units"]))
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": content}
    )
    with page.expect_navigation(url="**/spreadsheets/jobs/**"):
        page.locator("#main form button[type=submit]").click()
    # The job page polls (htmx) until the import has finished one way or the other.
    page.locator("#job:not([hx-get])").wait_for()


def test_template_download_bad_upload_then_good_upload(page, tree, users):
    sign_in(page, users["district"].username, PASSWORD)
    page.goto(reverse("spreadsheets:import_home"))
    row = page.locator("[data-testid=importers] tr").filter(has_text="组织单位")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="下载模板").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template = download.path().read_bytes()
    headers = [c.value for c in load_workbook(io.BytesIO(template)).worksheets[0][1]]
    assert headers[:4] == ["区划代码", "层级", "上级区划代码", "名称"]
    before = OrgUnit.objects.count()

    s1 = tree["s1"].code
    bad = filled(
        template,
        [
            [f"{s1}003", "社区", s1, "运河新村社区", "Yunhe Xincun", 5200, 0.8],
            [f"{s1}04", "社区", s1, "短代码社区", "", 3000, 0.5],
            [f"{s1}005", "社区", s1, "人口不详社区", "", "很多", 0.5],
        ],
    )
    upload(page, "communities.xlsx", bad)

    assert page.locator("#job").get_attribute("data-status") == "invalid"
    errors = page.get_by_test_id("errors")
    assert errors.is_visible()
    error_rows = errors.locator("tbody tr")
    rows_named = error_rows.locator("td:nth-child(1)").all_inner_texts()
    assert sorted(set(rows_named)) == ["3", "4"]
    columns = " ".join(error_rows.locator("td:nth-child(2)").all_inner_texts())
    assert "区划代码" in columns
    assert "常住人口" in columns
    assert page.get_by_role("link", name="下载标注了错误的文件").is_visible()
    assert OrgUnit.objects.count() == before

    good = filled(
        template,
        [
            [f"{s1}003", "社区", s1, "运河新村社区", "Yunhe Xincun", 5200, 0.8],
            [f"{s1}004", "社区", s1, "卖鱼桥社区", "Maiyuqiao", 3000, 0.5],
        ],
    )
    upload(page, "communities-fixed.xlsx", good)

    assert page.locator("#job").get_attribute("data-status") == "done"
    assert page.get_by_test_id("created").inner_text() == "2"
    assert page.get_by_test_id("errors").count() == 0
    assert OrgUnit.objects.count() == before + 2
    assert OrgUnit.objects.get(code=f"{s1}004").name_zh == "卖鱼桥社区"

    page.goto(reverse("org:unit", args=[s1]))
    assert "卖鱼桥社区" in page.locator("#main").inner_text()
