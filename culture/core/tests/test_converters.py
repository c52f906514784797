"""Ids in page paths are bounded (``<id:>``, culture/core/converters.py): a number the databases
cannot store is a 404, never a 500 (SQLite raised OverflowError on /booking/a/<2**94>/)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from culture.core.api_params import MAX_ROW_ID

HUGE = 2**94


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_no_page_path_uses_the_unbounded_int_converter():
    unbounded = [
        route
        for route, entry in _patterns(get_resolver())
        if any(
            isinstance(c, IntConverter) for c in getattr(entry.pattern, "converters", {}).values()
        )
    ]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/booking/a/{HUGE}/",
        f"/booking/r/{HUGE}/",
        f"/library/t/{HUGE}/",
        f"/booking/a/{MAX_ROW_ID + 1}/",
        "/booking/a/0/",
    ],
)
def test_an_id_beyond_what_the_database_stores_is_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_largest_storable_id_still_reaches_its_row(client):
    from culture.library.tests.factories import title

    title(id=MAX_ROW_ID, title="最大编号的书目")
    response = client.get(f"/library/t/{MAX_ROW_ID}/")
    assert response.status_code == 200
    assert "最大编号的书目" in response.content.decode()
