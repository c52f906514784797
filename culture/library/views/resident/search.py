"""The search page: the catalogue of every branch, by title, author, subject or ISBN."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from culture.library.search import catalogue_search
from culture.library.views.resident.common import branches_near, home_of

MAX_HITS = 30
MAX_QUERY = 100


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    home = home_of(request.user)
    branches = branches_near(home)
    by_code = {b.venue.code: b for b in branches}
    chosen = by_code.get(request.GET.get("branch", ""))
    available = request.GET.get("available") == "1"
    hits = (
        catalogue_search(
            query=q,
            branch=chosen.venue if chosen else None,
            available_only=available,
            limit=MAX_HITS + 1,
        )
        if q
        else []
    )
    distance = {b.venue.pk: b.distance_m for b in branches}
    cards = []
    for hit in hits[:MAX_HITS]:
        free_at = [b for b in hit.branches if b.free]
        nearest = min(
            free_at,
            key=lambda b: d if (d := distance.get(b.branch_id)) is not None else 10**9,
            default=None,
        )
        cards.append(
            {
                "hit": hit,
                "nearest": nearest,
                "nearest_m": distance.get(nearest.branch_id) if nearest else None,
                "places": len(hit.branches),
            }
        )
    return render(
        request,
        "library/search.html",
        {
            "nav": "library",
            "tab": "search",
            "q": q,
            "branches": branches,
            "branch": chosen.venue if chosen else None,
            "available": available,
            "cards": cards,
            "more": len(hits) > MAX_HITS,
            "max_hits": MAX_HITS,
            "home": home,
            "filtered": bool(chosen or available),
        },
    )
