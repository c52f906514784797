"""The audit log: append-only in the model and in the database, records sign-ins, failed sign-ins
and refused accesses, and never holds a personal number in clear."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD, UserFactory
from culture.core.audit import audit_record, mask_text
from culture.core.models import AuditEntry

ID_NUMBER = "330105199001011233"
PHONE = "13957112345"


def _entry() -> AuditEntry:
    return audit_record(actor="system", action="test.something", target_label="一条记录")


# ----- append-only --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_model_refuses_update_and_delete():
    entry = _entry()
    entry.action = "test.forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


def _raw(sql: str, params: list | None = None) -> None:
    """Run raw SQL in its own savepoint (a refused statement leaves the test's transaction usable)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


TABLE = AuditEntry._meta.db_table


@pytest.mark.django_db
def test_database_refuses_raw_update_and_delete():
    entry = _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["test.forged", entry.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT action FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
        assert cursor.fetchone()[0] == "test.something"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
def test_postgresql_refuses_truncate():
    _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"TRUNCATE {TABLE}")
    assert AuditEntry.objects.count() >= 1


@pytest.mark.django_db
def test_inserting_still_works_after_a_refused_change():
    entry = _entry()
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    second = _entry()
    assert second.pk > entry.pk


# ----- what is recorded -----------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_failed_sign_in_and_sign_out_are_recorded(tree):
    user = UserFactory(username="auditme")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "auditme", "password": "not-the-password"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.actor is None
    assert failed.actor_label == "auditme"
    assert failed.ip == "127.0.0.1"

    response = client.post(reverse("accounts:login"), {"username": "auditme", "password": PASSWORD})
    assert response.status_code == 302
    login = AuditEntry.objects.get(action="auth.login")
    assert login.actor == user
    assert login.ip == "127.0.0.1"

    client.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(action="auth.logout", actor=user).count() == 1


@pytest.mark.django_db
def test_failed_sign_in_with_a_phone_number_is_logged_masked(tree):
    Client().post(reverse("accounts:login"), {"username": PHONE, "password": "not-the-password"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.actor_label == "139****2345"


@pytest.mark.django_db
def test_a_refused_page_is_recorded(tree, users, login):
    client = login(users["community"])
    url = reverse("org:unit", kwargs={"code": tree["c21"].code})
    response = client.get(url)
    assert response.status_code == 403
    refused = AuditEntry.objects.get(action="access.refused")
    assert refused.actor == users["community"]
    assert refused.target_label == url
    assert refused.after["method"] == "GET"


@pytest.mark.django_db
def test_a_refused_api_call_is_recorded(tree, users, login):
    client = login(users["community"])
    response = client.get(f"/api/org/units/{tree['c21'].code}")
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        refused = AuditEntry.objects.get(action="access.refused")
        assert refused.actor == users["community"]
        assert refused.after["channel"] == "api"
    response = client.patch(
        f"/api/org/units/{tree['c21'].code}", {"population": 1}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(action="access.refused", actor=users["community"]).exists()


@pytest.mark.django_db
def test_an_evaluators_refused_write_is_recorded(tree, users, login):
    client = login(users["evaluator"])
    url = reverse("org:unit_edit", kwargs={"code": tree["c11"].code})
    response = client.post(url, {"name_zh": "改名", "population": 1})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="access.refused", actor=users["evaluator"]).exists()
    assert tree["c11"].name_zh != "改名"


# ----- masking --------------------------------------------------------------------------------


def test_mask_text_masks_id_numbers_and_phones_in_free_text():
    text = f"居民 张三 身份证{ID_NUMBER}，电话 {PHONE}；工号 12345"
    assert mask_text(text) == "居民 张三 身份证330105********1233，电话 139****2345；工号 12345"
    assert mask_text("11010519491231002X") == "110105********002X"


@pytest.mark.django_db
def test_before_and_after_are_masked_and_secrets_left_out():
    entry = audit_record(
        actor="system",
        action="test.masking",
        target_label=f"居民 {ID_NUMBER}",
        before={
            "note": f"旧号码 {PHONE}",
            "phone_enc": "gAAAA-ciphertext",
            "id_number_hash": "ab12",
        },
        after={"note": f"身份证 {ID_NUMBER}", "nested": [{"phone": PHONE}], "password": "x"},
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.target_label == "居民 330105********1233"
    assert entry.before == {"note": "旧号码 139****2345"}
    assert entry.after == {
        "note": "身份证 330105********1233",
        "nested": [{"phone": "139****2345"}],
    }


@pytest.mark.django_db
def test_no_audit_row_holds_a_personal_number_after_registering_a_resident(tree):
    resident_register(
        actor=None,
        name="审计居民",
        phone=PHONE,
        password="a-long-resident-password-7",
        id_number=ID_NUMBER,
        community=tree["c11"],
    )
    rows = list(AuditEntry.objects.values_list())
    assert rows, "registering a resident is audited"
    dump = json.dumps(rows, default=str, ensure_ascii=False)
    assert ID_NUMBER not in dump
    assert PHONE not in dump


@pytest.mark.django_db
def test_district_officer_browses_the_audit_log(tree, users, login):
    client = login(users["district"])
    _entry()
    response = client.get(reverse("core:audit_list"), {"action": "test."})
    assert response.status_code == 200
    assert "test.something" in response.content.decode()
