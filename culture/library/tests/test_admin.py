"""The circulation admin: district officers read loans (not change them) and set loan rules
through the service."""

from __future__ import annotations

import pytest
from django.contrib import admin

from culture.accounts.tests.factories import staff_user
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.library.models import Loan, LoanRule
from culture.library.services import loan_checkout
from culture.library.tests.factories import branch, card_of, copy, reader

pytestmark = pytest.mark.django_db


def test_a_district_officer_reads_loans_and_cannot_change_them(tree, client, rf):
    here = branch()
    item = copy(branch=here, barcode="ADM0001")
    loan = loan_checkout(actor=None, branch=here, card=card_of(reader()), barcode=item.barcode)
    officer = staff_user(Role.DISTRICT_OFFICER, is_staff=True)
    client.force_login(officer)
    listing = client.get("/admin/library/loan/")
    assert listing.status_code == 200 and "ADM0001" in listing.content.decode()
    model_admin = admin.site._registry[Loan]
    request = rf.get("/admin/library/loan/")
    request.user = officer
    assert not model_admin.has_change_permission(request, loan)
    assert not model_admin.has_delete_permission(request, loan)


def test_a_loan_rule_saved_in_the_admin_goes_through_the_service(tree, client):
    client.force_login(staff_user(Role.DISTRICT_OFFICER, is_staff=True))
    answer = client.post(
        "/admin/library/loanrule/add/",
        {
            "reader_category": "child",
            "item_type": "children",
            "loan_limit": "4",
            "loan_days": "21",
            "renewals": "1",
            "hold_expiry_days": "5",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    rule = LoanRule.objects.get(reader_category="child", item_type="children")
    assert (rule.loan_limit, rule.loan_days) == (4, 21)
    assert AuditEntry.objects.filter(action="library.loan_rule_set").count() == 1


def test_others_do_not_see_the_library_admin(tree, client):
    client.force_login(staff_user(Role.COMMUNITY_WORKER, tree["c11"], is_staff=True))
    assert client.get("/admin/library/loan/").status_code in (302, 403)
