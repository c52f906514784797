"""The security bar of quality.md: deploy checks, headers, CSRF on every form, no state change on
GET, login lockout, staff idle timeout, password rules, and the Django admin gate."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from culture.accounts.tests.factories import PASSWORD, UserFactory, staff_user
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.core.tests.test_access_matrix import (
    ENDPOINTS,
    ROLES,
    build_world,
    cases_of,
    client_for,
    endpoint_url,
    fingerprint,
    sides,
    target_of,
)

BASE_DIR = settings.BASE_DIR


# ----- manage.py check --deploy ---------------------------------------------------------------------


def _deploy_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="pk9!w2@v7#x4$z8%q1^m6&n3*b5(c0)d-e+f=g_h~jr;ks:lt<ou>iy?P",
        PERSONAL_DATA_KEY="dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMDEyMzQ=",
        PERSONAL_DATA_HASH_KEY="deploy-check-hash-key",
        DATABASE_URL="postgres://culture:secret@127.0.0.1:5432/culture",
        DJANGO_ALLOWED_HOSTS="culture.gongshu.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://culture.gongshu.gov.cn",
    )
    env.update(overrides)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _check_deploy(_deploy_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_catch_a_weak_secret_key():
    """The check is live: the same run with a short key fails (security.W009)."""
    result = _check_deploy(_deploy_env(DJANGO_SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


# ----- headers ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(client, tree, users):
    for url in ("/", reverse("accounts:login"), "/api/openapi.json"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    client.force_login(users["district"])
    response = client.get(reverse("accounts:me"))
    assert response["X-Frame-Options"] == "DENY"
    assert "sessionid" not in response.cookies or response.cookies["sessionid"]["httponly"]


# ----- CSRF on every form -------------------------------------------------------------------------


def _page_urls(world) -> list[tuple[str, str]]:
    urls = []
    for key, endpoint in ENDPOINTS.items():
        if endpoint.kind != "page":
            continue
        for case in cases_of(key):
            for side in sides(case):
                urls.append((key, endpoint_url(endpoint, case, target_of(world, case, side))))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "community", "district"])
def test_every_post_without_the_csrf_token_is_refused(tree, users, role):
    world = build_world(tree, users)
    client = client_for(world, role, enforce_csrf_checks=True)
    before = fingerprint()
    refused = 0
    for key, url in _page_urls(world):
        response = client.post(url, {"name": "x", "on": "1", "username": "u", "password": "p"})
        if response.status_code == 405 or (role == "anonymous" and response.status_code == 302):
            continue  # the URL takes no POST, or sign-in comes first: nothing reached a form
        assert response.status_code == 403, (
            f"{key} {url}: POST without CSRF token -> {response.status_code}"
        )
        refused += 1
    assert fingerprint() == before
    assert refused >= (5 if role == "anonymous" else 15)


@pytest.mark.django_db
def test_every_post_form_on_a_page_carries_the_csrf_token(tree, users):
    world = build_world(tree, users)
    checked = 0
    for role in ("anonymous", "district"):
        client = client_for(world, role)
        for key, url in _page_urls(world):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            for form in re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S | re.I):
                if re.search(r'method\s*=\s*"?post', form, flags=re.I):
                    checked += 1
                    assert 'name="csrfmiddlewaretoken"' in form, (
                        f"{key} {url}: a POST form without CSRF token"
                    )
    assert checked >= 3  # sign-in, sign-out, elderly mode at least


@pytest.mark.django_db
def test_login_form_refuses_a_post_without_csrf(tree):
    user = UserFactory(username="csrf-victim")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# ----- no state change on GET ---------------------------------------------------------------------


@pytest.mark.django_db
def test_no_get_changes_anything_for_a_district_officer(tree, users):
    """Walk every page and API GET as a district officer: no row changes except sessions, axes
    and the audit log (the access matrix repeats this for every role)."""
    world = build_world(tree, users)
    client = client_for(world, "district")
    before = fingerprint()
    walked = 0
    for key, endpoint in ENDPOINTS.items():
        if endpoint.kind == "api" and endpoint.method != "GET":
            continue
        for case in cases_of(key):
            for side in sides(case):
                url = endpoint_url(endpoint, case, target_of(world, case, side))
                response = client.get(url)
                assert response.status_code < 500, url
                walked += 1
    assert walked >= len(ENDPOINTS) // 2
    assert fingerprint() == before


# ----- login lockout (django-axes) ------------------------------------------------------------


@pytest.mark.django_db
def test_login_locks_after_the_failure_limit_even_for_the_right_password(tree):
    user = UserFactory(username="lockme")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "lockme", "password": "wrong-password-000"})
        assert response.status_code == 200
        assert "用户名/手机号或密码不正确" in response.content.decode()
    response = client.post(url, {"username": "lockme", "password": "wrong-password-000"})
    assert response.status_code in (403, 429)
    assert "账号已暂时锁定" in response.content.decode()

    response = client.post(url, {"username": "lockme", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session

    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert failed.count() >= settings.AXES_FAILURE_LIMIT - 1
    assert not AuditEntry.objects.filter(action="auth.login", actor=user).exists()


@pytest.mark.django_db
def test_another_account_is_not_locked_by_someone_elses_failures(tree):
    UserFactory(username="lockme2")
    other = UserFactory(username="innocent")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "lockme2", "password": "wrong-password-000"})
    response = client.post(url, {"username": "innocent", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


# ----- staff idle timeout ---------------------------------------------------------------------


def _age_session(client: Client, seconds: float) -> None:
    session = client.session
    session["last_seen"] = time.time() - seconds
    session.save()


@pytest.mark.django_db
def test_staff_session_ends_after_the_idle_timeout(tree, users):
    client = Client()
    client.force_login(users["subdistrict"])
    me = reverse("accounts:me")
    assert client.get(me).status_code == 200
    assert "last_seen" in client.session

    _age_session(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() - 60)
    assert client.get(me).status_code == 200  # still within the limit: the clock restarts

    _age_session(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() + 1)
    response = client.get(me)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get(me).status_code == 302  # and stays signed out
    assert AuditEntry.objects.filter(
        action="auth.idle_timeout", actor=users["subdistrict"]
    ).exists()


@pytest.mark.django_db
def test_idle_staff_api_session_gets_401(tree, users):
    client = Client()
    client.force_login(users["district"])
    assert client.get("/api/accounts/me").status_code == 200
    _age_session(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() + 1)
    assert client.get("/api/accounts/me").status_code == 401


@pytest.mark.django_db
def test_residents_are_not_subject_to_the_staff_idle_timeout(tree):
    resident = UserFactory()
    client = Client()
    client.force_login(resident)
    _age_session(client, settings.STAFF_IDLE_TIMEOUT.total_seconds() * 10)
    assert client.get(reverse("accounts:me")).status_code == 200


# ----- passwords ------------------------------------------------------------------------------


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def test_password_rules_length_ten_and_not_common():
    assert "password_too_short" in _codes("Ab3$fgh9k")  # 9 characters
    assert _codes("Ab3$fgh9kL") == set()  # 10 characters
    assert "password_too_common" in _codes("qwertyuiop")
    assert "password_too_common" in _codes("password123")
    assert "password_entirely_numeric" in _codes("4829105736")


# ----- Django admin ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_admits_only_superusers_and_district_officers(tree, users):
    world = build_world(tree, users)
    for role in ROLES:
        client = client_for(world, role)
        response = client.get("/admin/")
        if role == "district":
            assert response.status_code == 200, role
        else:
            assert response.status_code == 302, role
            assert "/admin/login/" in response["Location"]
    staff_flag_only = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff_flag_only)
    assert client.get("/admin/").status_code == 302
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_audit_log_in_the_admin_is_read_only(tree, users):
    officer = users["district"]
    client = Client()
    client.force_login(officer)
    entry = AuditEntry.objects.filter(action="org.unit_created").first()
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    change = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    response = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/admin/core/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.action == "org.unit_created"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_evaluator_may_not_enter_the_admin(tree, users):
    evaluator = users["evaluator"]
    evaluator.is_staff = True  # even with Django's staff flag
    evaluator.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(evaluator)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/core/auditentry/").status_code == 302


@pytest.mark.django_db
def test_subdistrict_officer_cannot_use_the_admin_login_form(tree):
    staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"], username="sub-admin", is_staff=True)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "sub-admin", "password": PASSWORD}
    )
    assert client.get("/admin/").status_code == 302
    assert response.status_code in (200, 302)


# ----- open redirects -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http:/\\evil.example"]
)
def test_no_open_redirect_after_sign_in_or_mode_switch(tree, target):
    UserFactory(username="redirectme")
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=" + target,
        {"username": "redirectme", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(reverse("core:elderly_mode"), {"on": "1", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
