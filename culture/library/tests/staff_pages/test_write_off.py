"""馆藏注销 through real requests and the service: only the branch's own copies on a shelf, with a
reason; the copy leaves the stock (S17) and is no longer lent or found free."""

from __future__ import annotations

import pytest

from culture.core.models import AuditEntry
from culture.library.errors import CirculationRefused
from culture.library.models import Copy, CopyStatus
from culture.library.selectors import title_holdings
from culture.library.services import copy_write_off
from culture.library.tests.staff_pages.world import as_, counts, lend, text, url

pytestmark = pytest.mark.django_db


def test_a_copy_on_the_shelf_is_written_off_with_a_reason(w):
    client = as_(w["manager"])
    page = client.get(url("write_off_page", "LIB-IN"))
    assert page.status_code == 200 and 'data-testid="write-off-form"' in text(page)

    no_reason = client.post(url("write_off", "LIB-IN"),
                            {"barcode": "B0001", "status": "withdrawn", "reason": ""})  # fmt: skip
    assert no_reason.status_code == 422
    assert Copy.objects.get(barcode="B0001").status == CopyStatus.AVAILABLE

    done = client.post(url("write_off", "LIB-IN"),
                       {"barcode": " b0001 ", "status": "lost", "reason": "读者报失"},
                       follow=True)  # fmt: skip
    assert "已注销（遗失）" in text(done) and "B0001" in text(done)
    assert Copy.objects.get(barcode="B0001").status == CopyStatus.LOST
    entry = AuditEntry.objects.get(action="library.copy_written_off")
    assert entry.after == {"status": "lost", "reason": "读者报失"}
    listed = text(client.get(url("write_off_page", "LIB-IN")))
    assert "B0001" in listed.split('data-testid="written-off"')[1]
    # no longer free for anyone: the title shows one copy on the shelf here, B0002
    here = [h for h in title_holdings(w["santi"]) if h.branch.pk == w["branch"].pk]
    assert [h.available for h in here] == [1]


def test_refusals_change_nothing(w):
    client = as_(w["manager"])
    lend(w, "B0002")
    before = counts()
    on_loan = client.post(url("write_off", "LIB-IN"),
                          {"barcode": "B0002", "status": "withdrawn", "reason": "破损"})  # fmt: skip
    assert on_loan.status_code == 409 and "请先归还或收回后再注销" in text(on_loan)
    elsewhere = client.post(url("write_off", "LIB-IN"),
                            {"barcode": "B0900", "status": "withdrawn", "reason": "破损"})  # fmt: skip
    assert elsewhere.status_code in (403, 409)
    assert counts() == before
    assert set(Copy.objects.values_list("status", flat=True)) <= {
        CopyStatus.AVAILABLE, CopyStatus.ON_LOAN}  # fmt: skip


def test_the_service_refuses_another_branchs_copy_and_answers_a_second_write_off(w):
    with pytest.raises(CirculationRefused) as err:
        copy_write_off(actor=None, branch=w["other"], barcode="B0001", status="withdrawn",
                       reason="破损")  # fmt: skip
    assert err.value.code == "not_home"
    first = copy_write_off(actor=None, branch=w["branch"], barcode="B0001", status="withdrawn",
                           reason="破损")  # fmt: skip
    again = copy_write_off(actor=None, branch=w["branch"], barcode="B0001", status="lost",
                           reason="又报失")  # fmt: skip
    assert first.pk == again.pk and again.status == CopyStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="library.copy_written_off").count() == 1
