"""Resident self sign-up with a one-time SMS code (read from the log), and sign-in by phone."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from culture.accounts.models import SmsCode, User
from culture.accounts.tests.helpers import IDS
from culture.core.models import AuditEntry

PHONE = "13800000001"
PASSWORD = "Canal-evening-2026"


@pytest.fixture
def signup_data(tree):
    return {
        "name": "王建国",
        "phone": PHONE,
        "id_number": IDS[1],
        "community": tree["c11"].code,
        "password": PASSWORD,
        "password2": PASSWORD,
        "agree": "on",
    }


def start(client, data, caplog, capture):
    with caplog.at_level(logging.INFO, logger="culture.sms"), capture(execute=True):
        response = client.post("/accounts/signup/", data)
    return response


def code_from_log(caplog) -> str:
    messages = [r.getMessage() for r in caplog.records if r.name == "culture.sms"]
    assert messages, "no SMS was logged"
    return re.search(r"(\d{6})", messages[-1]).group(1)


def test_signup_with_sms_code_activates_and_signs_in(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    response = start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/verify/"
    user = User.objects.get(resident__name="王建国")
    assert not user.is_active  # not before the code is confirmed
    sms_line = [r.getMessage() for r in caplog.records if r.name == "culture.sms"][-1]
    assert "138****0001" in sms_line and PHONE not in sms_line
    code = code_from_log(caplog)
    stored = SmsCode.objects.get(user=user)
    assert code not in stored.code_hash and stored.expires_at > timezone.now()

    page = client.get("/accounts/signup/verify/").content.decode()
    assert "138****0001" in page and PHONE not in page
    response = client.post("/accounts/signup/verify/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    user.refresh_from_db()
    assert user.is_active and user.resident.phone_verified_at is not None
    assert client.get("/accounts/me/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.resident_signup_verified").exists()
    # the code cannot be used twice
    client.logout()
    session_less = client.post("/accounts/signup/verify/", {"code": code})
    assert session_less.status_code == 302 and session_less["Location"] == "/accounts/signup/"


def test_resend_waits_a_minute(client, signup_data, caplog, django_capture_on_commit_callbacks):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    response = client.post("/accounts/signup/verify/", {"resend": "1"}, follow=True)
    assert "验证码已发送，请1分钟后再试" in response.content.decode()
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    with (
        caplog.at_level(logging.INFO, logger="culture.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/accounts/signup/verify/", {"resend": "1"}, follow=True)
    assert "验证码已重新发送" in response.content.decode()
    assert SmsCode.objects.filter(used_at__isnull=True).count() == 1  # the old code is void
    response = client.post("/accounts/signup/verify/", {"code": code_from_log(caplog)})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"


def test_wrong_code_is_refused_and_counted(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    code = code_from_log(caplog)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/accounts/signup/verify/", {"code": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert SmsCode.objects.get().attempts == 1
    assert not User.objects.get(resident__name="王建国").is_active
    assert AuditEntry.objects.filter(action="accounts.signup_code_failed").count() == 1


def test_too_many_wrong_codes_lock_the_code(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    code = code_from_log(caplog)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/accounts/signup/verify/", {"code": wrong})
    response = client.post("/accounts/signup/verify/", {"code": code})
    assert "错误次数过多" in response.content.decode()
    assert not User.objects.get(resident__name="王建国").is_active


def test_expired_code_is_refused(client, signup_data, caplog, django_capture_on_commit_callbacks):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    code = code_from_log(caplog)
    sms = SmsCode.objects.get()
    SmsCode.objects.filter(pk=sms.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/accounts/signup/verify/", {"code": code})
    assert "验证码已过期" in response.content.decode()


def test_signup_form_errors_are_clear(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    data = {
        **signup_data,
        "id_number": "330105199001011234",
        "phone": "1380000",
        "password2": "other",
    }
    response = start(client, data, caplog, django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert response.status_code == 200
    assert "两次输入的密码不一致" in page
    data = {**signup_data, "id_number": "330105199001011234", "phone": "1380000"}
    page = start(client, data, caplog, django_capture_on_commit_callbacks).content.decode()
    assert "身份证号校验位不正确" in page and "手机号应为以1开头的11位数字" in page
    assert not User.objects.filter(resident__isnull=False).exists()


def test_signup_refuses_a_registered_phone(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    client.post("/accounts/signup/verify/", {"code": code_from_log(caplog)})
    client.logout()
    again = {**signup_data, "id_number": IDS[2]}
    page = start(client, again, caplog, django_capture_on_commit_callbacks).content.decode()
    assert "该手机号已注册，请直接登录" in page


def test_unverified_signup_can_be_restarted_after_a_minute(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    again = {**signup_data, "name": "王建国二"}
    page = start(client, again, caplog, django_capture_on_commit_callbacks).content.decode()
    assert "验证码已发送，请1分钟后再试" in page  # no SMS flooding
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    response = start(
        client, {**signup_data, "name": "王建国二"}, caplog, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert list(
        User.objects.filter(resident__isnull=False).values_list("resident__name", flat=True)
    ) == ["王建国二"]


def test_login_by_phone_after_signup(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    client.post("/accounts/signup/verify/", {"code": code_from_log(caplog)})
    client.logout()
    response = client.post("/accounts/login/", {"username": "138 0000 0001", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/me/").context["user"].resident.name == "王建国"


def test_unverified_account_cannot_sign_in(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    start(client, signup_data, caplog, django_capture_on_commit_callbacks)
    client.get("/accounts/signup/")  # leave the flow
    response = client.post("/accounts/login/", {"username": PHONE, "password": PASSWORD})
    assert response.status_code == 200 and "用户名/手机号或密码不正确" in response.content.decode()


def test_no_plaintext_numbers_in_audit_or_log(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.DEBUG):
        start(client, signup_data, caplog, django_capture_on_commit_callbacks)
        client.post("/accounts/signup/verify/", {"code": code_from_log(caplog)})
    text = " ".join(r.getMessage() for r in caplog.records)
    assert PHONE not in text and IDS[1] not in text
    for e in AuditEntry.objects.all():
        blob = f"{e.actor_label} {e.target_label} {e.before} {e.after}"
        assert PHONE not in blob and IDS[1] not in blob


def test_signup_page_is_phone_friendly(client, tree):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="viewport"' in page
    assert 'inputmode="tel"' in page and 'autocomplete="new-password"' in page
    assert "big-button" in page
    assert '<optgroup label="湖墅街道">' in page  # communities grouped by subdistrict


def test_signup_in_english_explains_bad_id_number(
    client, signup_data, caplog, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    data = {**signup_data, "id_number": "33010519900101123"}
    page = start(client, data, caplog, django_capture_on_commit_callbacks).content.decode()
    assert "An ID number has 18 characters; this one has 17" in page
