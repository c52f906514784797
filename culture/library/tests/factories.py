"""Test data for the library: branches, titles, copies, readers.

branch(opening_hours="Mo-Su 08:00-21:00")   a district-library venue (a library kind)
title(title="三体", isbn="")                 a bibliographic record
copy(title=None, branch=None, barcode=None)  a copy on the shelf at ``branch``
reader(category="adult")                     a registered resident as a reader
card_of(reader)                              the reader's card (their ID number)
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone
from stdnum.cn import ric

from culture.accounts.services import resident_register
from culture.accounts.tests.factories import PASSWORD
from culture.accounts.tests.helpers import id_number
from culture.core.personal import decrypt
from culture.library.models import Copy, CopyStatus, ItemType, Reader, Title
from culture.library.services import reader_for_card
from culture.org.models import OrgLevel, OrgUnit
from culture.org.tests.factories import community
from culture.venues.models import Venue, VenueKind, VenueStatus

OPEN_DAILY = "Mo-Su 08:00-21:00"
_seq = itertools.count(1)


def _unit() -> OrgUnit:
    return OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").first() or community()


def branch(
    *,
    opening_hours: str = OPEN_DAILY,
    kind: str = VenueKind.BRANCH_LIBRARY,
    operator: OrgUnit | None = None,
    name: str | None = None,
) -> Venue:
    n = next(_seq)
    return Venue.objects.create(
        code=f"LIB{n:05d}",
        name_zh=name or f"测试分馆{n}",
        kind=kind,
        status=VenueStatus.OPEN,
        operator_unit=operator or _unit(),
        opening_hours=opening_hours,
        lon=120.15,
        lat=30.32,
    )


def title(*, title: str | None = None, **fields: Any) -> Title:
    n = next(_seq)
    return Title.objects.create(
        title=title or f"测试书目{n}", source_id=fields.pop("source_id", f"T{n:07d}"), **fields
    )


def copy(
    *,
    title: Title | None = None,
    branch: Venue | None = None,
    barcode: str | None = None,
    item_type: str = ItemType.BOOK,
    status: str = CopyStatus.AVAILABLE,
) -> Copy:
    here = branch or globals()["branch"]()
    return Copy.objects.create(
        title=title or globals()["title"](),
        barcode=barcode or f"C{next(_seq):08d}",
        item_type=item_type,
        home_branch=here,
        current_branch=here,
        status=status,
    )


def born_id_number(born: date, n: int) -> str:
    """A valid Gongshu ID number (330105) of someone born on ``born`` (sequence from ``n``)."""
    body = f"330105{born:%Y%m%d}{n % 900 + 100:03d}"
    return body + ric.calc_check_digit(body + "0")


# Birth dates that give each category its age today (see services.readers.age_category).
_BORN_YEARS_AGO = {"child": 8, "elderly": 70}


def reader(*, category: str | None = None, name: str | None = None) -> Reader:
    """A resident registered on the platform, as a reader (made through reader_for_card). Their
    ID number's birth date gives the category (少儿 8 years old, 老年 70, else an adult born in
    the 1980s); "disabled" is set as staff set it."""
    n = next(_seq)
    years = _BORN_YEARS_AGO.get(category or "")
    if years is not None:
        today = timezone.localdate()
        number = born_id_number(date(today.year - years, 1, 1), n)
    else:
        number = id_number(70_000 + n)
    resident_register(
        actor=None,
        name=name or f"读者{n}",
        phone=f"135{n:08d}",
        password=PASSWORD,
        id_number=number,
    )
    made = reader_for_card(card=number)
    if category == "disabled":
        made.category = category
        made.save(update_fields=["category"])
    assert category is None or made.category == category, (category, made.category)
    return made


def card_of(made: Reader) -> str:
    return decrypt(made.resident.id_number_enc)
