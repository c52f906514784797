"""Chinese by default whatever the browser says; English on the switch; the API follows Accept-Language."""

import pytest


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "拱墅区公共文化服务平台" in body
    assert '<html lang="zh-hans">' in body


@pytest.mark.django_db
def test_language_switch_gives_english_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Gongshu Public Culture Platform" in body


@pytest.mark.django_db
def test_api_follows_accept_language(client):
    zh = client.get("/api/accounts/me")
    en = client.get("/api/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 401
    assert zh.headers["Content-Language"] == "zh-hans"
    assert en.headers["Content-Language"] == "en"
