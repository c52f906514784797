"""The API's foundation: OpenAPI and docs, session + CSRF and bearer-token auth, JSON errors.

Error mapping is exercised through a probe API built with the very same auth and error handlers
as ``config.api`` (``AUTH``, ``install_error_handlers``), mounted on a test URL conf, so the real
API's handlers are tested without adding test operations to the real OpenAPI document.
"""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import path
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router, Schema

from config.api import AUTH, install_error_handlers
from culture.accounts.models import ApiToken
from culture.accounts.tests.factories import UserFactory, staff_user
from culture.accounts.tokens import api_token_issue, api_token_revoke
from culture.core.errors import FieldErrors, NotFound, OutOfScope, ServiceError
from culture.core.models import AuditEntry
from culture.core.personal import normalize_id_number
from culture.core.roles import Role

# ----- the probe API ---------------------------------------------------------------------------

probe = Router()


class EchoIn(Schema):
    count: int
    name: str


@probe.get("/out-of-scope")
def out_of_scope(request):
    raise OutOfScope(_("该数据不在您的管辖范围内"))


@probe.get("/bad-request")
def bad_request(request):
    raise ServiceError(_("无法完成操作"))


@probe.get("/not-found")
def not_found(request):
    raise NotFound("未找到")


@probe.get("/bad-id")
def bad_id(request):
    normalize_id_number("330105199001011234")  # wrong check digit (the right one is 3)
    return {"ok": True}


@probe.get("/fields")
def fields(request):
    raise FieldErrors({"name": ["名称不能为空"], "population": ["人口不能为负数"]})


@probe.get("/typed")
def typed(request, n: int):
    return {"n": n}


@probe.post("/echo")
def echo(request, payload: EchoIn):
    return {"count": payload.count, "user": request.auth.username}


@probe.get("/crash")
def crash(request):
    raise RuntimeError("boom with 330105199001011233 inside")


probe_api = NinjaAPI(auth=AUTH, urls_namespace="security_probe_api", docs_url=None)
install_error_handlers(probe_api)
probe_api.add_router("/probe/", probe)

urlpatterns = [path("api/security-probe/", probe_api.urls)]
PROBE = pytest.mark.urls("culture.core.tests.test_api_base")


# ----- OpenAPI and docs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_document_is_published_with_both_auth_schemes(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "拱墅区公共文化服务平台 API"
    assert "/api/accounts/me" in doc["paths"]
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionCsrfAuth"]["in"] == "cookie"


@pytest.mark.django_db
def test_swagger_docs_load_their_assets_from_local_static_files_not_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert "cdn" not in html.lower()
    # and the files exist in the package's static folder
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")


# ----- authentication ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_caller_gets_401_json_in_chinese_or_english(client):
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "请先登录，或提供有效的 API 令牌",
    }
    response = client.get("/api/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_session_caller_reads_the_api(tree, users, login):
    client = login(users["subdistrict"])
    response = client.get("/api/accounts/me")
    assert response.status_code == 200
    assert response.json()["roles"] == ["subdistrict_officer"]
    assert response.json()["read_only"] is False


@pytest.mark.django_db
def test_bearer_token_works_and_only_its_sha256_is_stored(client, tree, users):
    officer = users["district"]
    evaluator = users["evaluator"]
    token = api_token_issue(actor=officer, user=evaluator, name="评估系统")
    stored = ApiToken.objects.get(user=evaluator)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values_list()))
    assert token not in str(list(AuditEntry.objects.values_list()))

    response = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["username"] == evaluator.username
    assert response.json()["read_only"] is True
    stored.refresh_from_db()
    assert stored.last_used_at is not None

    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer gsc_wrong").status_code == 401
    api_token_revoke(actor=officer, token=stored)
    response = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["accounts.api_token_issued", "accounts.api_token_revoked"]


@pytest.mark.django_db
def test_token_of_a_deactivated_user_stops_working(client, tree, users):
    user = users["community"]
    token = api_token_issue(actor=user, user=user, name="我的脚本")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.django_db
def test_only_district_officers_issue_tokens_for_others(tree, users):
    with pytest.raises(OutOfScope):
        api_token_issue(actor=users["subdistrict"], user=users["community"], name="x")
    with pytest.raises(OutOfScope):
        api_token_issue(actor=users["evaluator"], user=users["community"], name="x")
    token = api_token_issue(actor=users["district"], user=users["community"], name="x")
    with pytest.raises(OutOfScope):
        api_token_revoke(
            actor=users["subdistrict"], token=ApiToken.objects.get(user=users["community"])
        )
    assert token.startswith("gsc_")
    with pytest.raises(FieldErrors) as err:
        api_token_issue(actor=users["district"], user=users["community"], name="  ")
    assert err.value.errors["name"] == ["令牌名称不能为空"]
    assert not ApiToken.objects.filter(revoked=True).exists()


@pytest.mark.django_db
def test_issue_api_token_command_prints_the_token_once(client, tree):
    user = staff_user(Role.DISTRICT_OFFICER, username="tokencli")
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", "tokencli", "省平台同步", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("gsc_") and len(token) > 40
    assert "cannot be shown again" in err.getvalue()
    assert ApiToken.objects.get(user=user).name == "省平台同步"
    entry = AuditEntry.objects.get(action="accounts.api_token_issued")
    assert entry.actor is None and entry.actor_label == "system"
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


# ----- CSRF on unsafe methods ------------------------------------------------------------------


@PROBE
@pytest.mark.django_db
def test_session_post_needs_the_csrf_token_but_a_bearer_post_does_not(tree, users):
    from django.test import Client

    user = users["community"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    body = {"count": 2, "name": "合唱团"}
    response = browser.post("/api/security-probe/probe/echo", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert AuditEntry.objects.filter(action="access.refused", actor=user).exists()

    # with the token from the cookie, as the pages' JavaScript sends it
    browser.get("/api/security-probe/probe/typed?n=1")  # any request; then fetch a token
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    response = browser.post(
        "/api/security-probe/probe/echo",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )
    assert response.status_code == 200
    assert response.json() == {"count": 2, "user": user.username}

    token = api_token_issue(actor=user, user=user, name="脚本")
    outsider = Client(enforce_csrf_checks=True)
    response = outsider.post(
        "/api/security-probe/probe/echo",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200


@PROBE
@pytest.mark.django_db
def test_anonymous_post_is_401_not_a_csrf_error(tree):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/api/security-probe/probe/echo", {"count": 1, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


# ----- error mapping -----------------------------------------------------------------------------


@PROBE
@pytest.mark.django_db
def test_out_of_scope_is_403_in_chinese_or_english_and_audited(tree, users, login):
    client = login(users["community"])
    response = client.get("/api/security-probe/probe/out-of-scope")
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "field": None,
        "message": "该数据不在您的管辖范围内",
    }
    response = client.get("/api/security-probe/probe/out-of-scope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["message"] != "该数据不在您的管辖范围内"
    assert response.json()["message"] == "This record is outside your area of responsibility"
    refused = AuditEntry.objects.filter(action="access.refused", actor=users["community"])
    assert refused.count() == 2
    assert refused.first().target_label == "/api/security-probe/probe/out-of-scope"
    assert refused.first().after["channel"] == "api"


@PROBE
@pytest.mark.django_db
def test_service_errors_keep_their_status(tree, users, login):
    client = login(users["district"])
    response = client.get("/api/security-probe/probe/bad-request")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "field": None, "message": "无法完成操作"}
    response = client.get("/api/security-probe/probe/not-found")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"

    response = client.get("/api/security-probe/probe/bad-id")
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "field": "id_number",
        "message": "身份证号校验位不正确（最后一位），请核对号码",
    }
    response = client.get("/api/security-probe/probe/bad-id", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "身份证" not in response.json()["message"]

    response = client.get("/api/security-probe/probe/fields")
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["名称不能为空"], "population": ["人口不能为负数"]}


@PROBE
@pytest.mark.django_db
def test_request_validation_is_422_never_500(tree, users, login):
    client = login(users["district"])
    response = client.get("/api/security-probe/probe/typed?n=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "请求数据不正确"
    assert body["detail"][0]["loc"] == ["query", "n"]
    assert client.get("/api/security-probe/probe/typed").status_code == 422
    bad_json = client.post(
        "/api/security-probe/probe/echo", "{not json", content_type="application/json"
    )
    assert bad_json.status_code in (400, 422)
    wrong_type = client.post(
        "/api/security-probe/probe/echo",
        {"count": "many", "name": "x"},
        content_type="application/json",
    )
    assert wrong_type.status_code == 422


@PROBE
@pytest.mark.django_db
def test_an_unexpected_error_answers_json_without_details(tree, users, login, caplog):
    client = login(users["district"])
    response = client.get("/api/security-probe/probe/crash")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "服务器内部错误，请稍后再试"}
    assert "330105199001011233" not in response.content.decode()


@pytest.mark.django_db
def test_a_resident_may_issue_a_token_for_themself_only(tree):
    resident = UserFactory()
    other = UserFactory()
    assert api_token_issue(actor=resident, user=resident, name="自己的").startswith("gsc_")
    with pytest.raises(OutOfScope):
        api_token_issue(actor=resident, user=other, name="别人的")


# ----- fuzzing from the OpenAPI document (schemathesis) ---------------------------------------


@pytest.mark.django_db
def test_fuzzed_api_never_answers_5xx_and_matches_its_schema(tree, users):
    """Every operation of the OpenAPI document, called through the WSGI app with generated valid
    and invalid input as a district officer (bearer token): no 5xx, every documented answer
    matches its schema."""
    schemathesis = pytest.importorskip("schemathesis", reason="dev dependency schemathesis")
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from config.api import api

    token = api_token_issue(actor=users["district"], user=users["district"], name="fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    # As Django's test client does: keep the test's connection (and transaction) open between
    # the WSGI requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=12,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    suppress_health_check=list(HealthCheck),
                )
                def run(case):
                    case.call_and_validate(
                        headers=headers, checks=[not_a_server_error, response_schema_conformance]
                    )

                run()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
