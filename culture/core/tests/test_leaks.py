"""The leak scan: full ID numbers and phone numbers never appear in a response body, a log line or
an audit row, whoever asks and whatever they ask for.

The world of the access matrix holds residents and staff with known numbers; every GET page, API
operation and export declared there is fetched by every role (objects in and out of scope), plus
the sign-up and sign-in flows and a logged reveal.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from stdnum.cn import ric

from culture.accounts.tests.factories import grant_reveal
from culture.core.models import AuditEntry
from culture.core.personal import lookup_hash
from culture.core.tests.test_access_matrix import (
    ENDPOINTS,
    OTHER_RESIDENT_ID,
    OTHER_RESIDENT_PHONE,
    OUT_RESIDENT_ID,
    OUT_RESIDENT_PHONE,
    OUT_STAFF_PHONE,
    RESIDENT_ID,
    RESIDENT_PASSWORD,
    RESIDENT_PHONE,
    ROLES,
    STAFF_PHONE,
    body_text,
    build_world,
    cases_of,
    client_for,
    endpoint_url,
    sides,
    target_of,
)

SIGNUP_ID = "330105198503171232"
SIGNUP_PHONE = "13812398765"
SECRETS = [
    RESIDENT_ID,
    OTHER_RESIDENT_ID,
    OUT_RESIDENT_ID,
    SIGNUP_ID,
    RESIDENT_PHONE,
    OTHER_RESIDENT_PHONE,
    OUT_RESIDENT_PHONE,
    STAFF_PHONE,
    OUT_STAFF_PHONE,
    SIGNUP_PHONE,
]


ID_PATTERN = re.compile(r"(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])")
PHONE_PATTERN = re.compile(r"(?<![\dA-Za-z])1[3-9]\d{9}(?![\dA-Za-z])")


def _found(text: str) -> list[str]:
    """The known numbers, and anything else shaped like a valid ID number or a mobile number."""
    found = [s for s in SECRETS if s in text]
    found += [m for m in ID_PATTERN.findall(text) if ric.is_valid(m) and m not in found]
    found += [m for m in PHONE_PATTERN.findall(text) if m not in found]
    return found


def _found_beyond_own_input(response) -> list[str]:
    """A form re-shown after an error keeps what the caller just typed (``value="..."`` of its
    own inputs); that echo goes back to the person who typed it. Anything else is a leak."""
    text = body_text(response)
    for secret in SECRETS:
        text = text.replace(f'value="{secret}"', 'value="(own input)"')
    return _found(text)


def _audit_dump() -> str:
    return json.dumps(list(AuditEntry.objects.values_list()), default=str, ensure_ascii=False)


def _get_urls(world) -> list[tuple[str, str]]:
    urls = []
    for key, endpoint in ENDPOINTS.items():
        if endpoint.kind == "api" and endpoint.method != "GET":
            continue
        for case in cases_of(key):
            for side in sides(case):
                urls.append((key, endpoint_url(endpoint, case, target_of(world, case, side))))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_api_answer_or_export_shows_a_full_number(tree, users, role, caplog):
    caplog.set_level(logging.DEBUG)
    world = build_world(tree, users)
    client = client_for(world, role)
    fetched = 0
    for key, url in _get_urls(world):
        response = client.get(url)
        assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
        if response.status_code == 200:
            fetched += 1
            leaked = _found(body_text(response))
            assert not leaked, f"{role} GET {url} ({key}) shows {leaked}"
    assert fetched >= 3
    assert not _found(caplog.text), f"log lines hold {_found(caplog.text)}"
    assert not _found(_audit_dump())


@pytest.mark.django_db
def test_search_by_number_answers_without_echoing_another_number(tree, users):
    """Lists searched for a resident's number show the masked form only."""
    world = build_world(tree, users)
    client = client_for(world, "district")
    for url in ("/accounts/residents/", "/api/accounts/residents", "/accounts/staff/"):
        response = client.get(url, {"q": "湖墅"})
        assert response.status_code == 200, url
        assert not _found(body_text(response)), url


@pytest.mark.django_db
def test_sign_up_and_sign_in_flows_leak_nothing(tree, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "新注册居民",
            "phone": SIGNUP_PHONE,
            "id_number": SIGNUP_ID,
            "community": tree["c11"].code,
            "password": RESIDENT_PASSWORD,
            "password2": RESIDENT_PASSWORD,
            "agree": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not _found(body_text(response))
    # a wrong sign-in with the phone number, and a second sign-up with the same numbers
    response = client.post(
        reverse("accounts:login"), {"username": SIGNUP_PHONE, "password": "wrong-password-1"}
    )
    assert not _found_beyond_own_input(response)
    response = Client().post(
        reverse("accounts:signup"),
        {
            "name": "重复注册",
            "phone": SIGNUP_PHONE,
            "id_number": SIGNUP_ID,
            "community": tree["c11"].code,
            "password": RESIDENT_PASSWORD,
            "password2": RESIDENT_PASSWORD,
            "agree": "on",
        },
    )
    assert response.status_code in (200, 302, 422)  # a pending sign-up may be replaced
    assert not _found_beyond_own_input(response)
    assert not _found(caplog.text), f"log lines hold {_found(caplog.text)}"
    assert not _found(_audit_dump())


@pytest.mark.django_db
def test_a_reveal_shows_the_number_once_and_logs_it_masked(tree, users, caplog):
    caplog.set_level(logging.DEBUG)
    world = build_world(tree, users)
    officer = grant_reveal(users["district"])
    client = Client()
    client.force_login(officer)
    resident = world.obj("resident", "out")
    url = reverse("accounts:resident_reveal", kwargs={"pk": resident.pk})
    response = client.post(url, {"field": "id_number"})
    assert response.status_code == 200
    assert OUT_RESIDENT_ID in response.content.decode()  # the one place it may appear
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(action__contains="reveal").latest("id")
    assert entry.actor == officer
    assert not _found(_audit_dump())
    assert not _found(caplog.text)
    detail = client.get(reverse("accounts:resident_detail", kwargs={"pk": resident.pk}))
    assert not _found(body_text(detail))


@pytest.mark.django_db
def test_evaluators_cannot_reveal(tree, users):
    world = build_world(tree, users)
    client = client_for(world, "evaluator")
    resident = world.obj("resident", "in")
    url = reverse("accounts:resident_reveal", kwargs={"pk": resident.pk})
    for field in ("id_number", "phone"):
        response = client.post(url, {"field": field})
        assert response.status_code == 403
        assert not _found(body_text(response))


@pytest.mark.django_db
@pytest.mark.full_demo
def test_demo_district_pages_and_exports_show_no_full_number(caplog, monkeypatch):
    """The synthetic district (300 residents, staff with phones, venues, teams, households and
    talents): every list page, list API operation and export, for every demo sign-in, holds
    nothing shaped like a full ID or phone. The activities step (thousands of rows, no personal
    numbers) is left out to keep the test quick."""
    from io import StringIO

    from django.core.management import call_command

    from culture.accounts.models import User
    from culture.demo import services as demo_services
    from culture.demo.logins import DEMO_LOGINS

    steps = tuple((n, f) for n, f in demo_services.REGISTRY_STEPS if n != "activities")
    monkeypatch.setattr(demo_services, "_registry_steps", lambda: steps)
    call_command("seed_demo", "--seed", "42", stdout=StringIO())
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    urls = []
    for key, endpoint in ENDPOINTS.items():
        if endpoint.kind == "api" and endpoint.method != "GET":
            continue
        for case in cases_of(key):
            if case.target is None and case.get_allowed:
                urls.append((key, endpoint_url(endpoint, case, None)))
    assert len(urls) >= 15
    fetched = masked_seen = 0
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login["username"]).first() or User.objects.get(
            phone_hash=lookup_hash(login["username"])
        )
        client = Client()
        client.force_login(user)
        for key, url in urls:
            response = client.get(url)
            assert response.status_code < 500, f"{login['username']} GET {url}"
            if response.status_code == 200:
                fetched += 1
                text = body_text(response)
                leaked = _found(text)
                assert not leaked, f"{login['username']} GET {url} ({key}) shows {leaked}"
                masked_seen += len(re.findall(r"1[3-9]\d\*{4}\d{4}|\d{6}\*{8}\d{3}[\dX]", text))
    assert fetched >= 40
    assert masked_seen >= 50  # the scan did read personal data, in its masked form
    assert not _found(caplog.text), f"log lines hold {_found(caplog.text)}"
    assert not _found(_audit_dump())
