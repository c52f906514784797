"""The one table of kind-specific fields: which venue kinds each of them applies to.

A field listed here may hold a non-empty value only for the kinds named; anything else is refused
with "城市书房没有‘剧场座位数’". Every field not listed applies to every kind.
"""

from __future__ import annotations

from typing import Any

from culture.venues.models import LIBRARY_KINDS, VenueKind, venue_field

K = VenueKind

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "bookroom_certification": (K.CITY_BOOKROOM,),
    "theatre_seats": (K.THEATRE, K.CULTURE_CENTRE, K.CULTURE_STATION),
    "state_owned": (K.THEATRE,),
    "school_open_eligible": (K.SCHOOL_GROUND,),
    "school_open_to_public": (K.SCHOOL_GROUND,),
    "is_happy_culture_centre": (K.CULTURE_CENTRE,),
    "is_satisfying_library": (K.LIBRARY,),
    "on_national_smart_library": LIBRARY_KINDS,
    "on_one_click_borrowing": LIBRARY_KINDS,
}


def is_empty(value: Any) -> bool:
    return value in (None, "", False, 0)


def applies(field: str, kind: str) -> bool:
    return kind in KIND_FIELDS.get(field, (kind,))


def field_label(field: str) -> str:
    return str(venue_field(field).verbose_name)


def fields_for(kind: str) -> tuple[str, ...]:
    """The kind-specific fields that apply to ``kind`` (what a form shows)."""
    return tuple(f for f, kinds in KIND_FIELDS.items() if kind in kinds)
