"""Demo library (一键借阅, 总分馆): a synthetic catalogue, copies over the district library, its
branches and the city bookrooms, the demo residents as readers, a year of loans, holds, delivery
orders in every status, transfers, books-to-the-grassroots batches, and a librarian ("library").

- The catalogue: ``TITLE_COUNT`` generated titles (``library_words``; the publisher says
  "演示合成", no ISBN so none can clash with a real book) plus the real 三体 trilogy, so the
  search shows its ranking. Titles, their n-gram index and the copies go in with bulk inserts
  (the same search text and grams as ``title_upsert``); the trilogy through ``title_upsert``.
- The year of history (returned loans) is bulk-inserted: each copy's loans follow one another
  in time, due dates skip the days the branch is closed, as the services compute them.
- Everything still open today goes through the services, with ``now`` moved back to when it
  happened: open loans (``loan_checkout``: some now overdue), holds (``hold_place``: waiting
  and ready), delivery orders (``delivery_place`` / ``_advance`` / ``_cancel``), transfers
  (``transfer_create`` / ``transfer_receive``) and batches (``grassroots_batch_record``). So
  ``Reader.open_loans`` (open loans + active orders) and every copy's status are the services'
  own; ``culture/demo/tests/test_seed_demo_library.py`` checks them.

Deterministic given ``rng`` and the day it runs; running it again changes nothing.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from culture.accounts.models import Resident, User
from culture.accounts.services import user_upsert
from culture.core.audit import audit_record
from culture.core.personal import lookup_hash
from culture.core.roles import Role
from culture.demo.library_open import (
    Branches,
    OpenLoan,
    Tally,
    at,
    batches_seed,
    cards_of,
    holds_seed,
    lend_open,
    orders_seed,
    transfers_seed,
)
from culture.demo.library_words import REAL_TITLES, synthetic_titles
from culture.demo.logins import DEMO_PASSWORD
from culture.demo.seed_people import DEMO_RESIDENT_PHONE
from culture.library.models import Copy, CopyStatus, ItemType, Loan, Reader, Title, TitleGram
from culture.library.search import grams_of, title_search_text
from culture.library.services import reader_for_resident, title_upsert
from culture.library.services.rules import open_days
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import Venue, VenueKind, VenueStatus
from culture.venues.services import venue_manager_bind

TITLE_COUNT = 3000
SOURCE_PREFIX = "DEMO-LIB-"
BARCODE_PREFIX = "GS"
HISTORY_DAYS = 365
OPEN_WINDOW_DAYS = 45  # open loans began within this many days (those past 30 are overdue)
MAX_OPEN_LOANS = 400
LOAN_DAYS = 30  # as the default loan rule (history only; open loans take the rule's)
LIBRARIAN = "library"
MAIN_LIBRARY = "GS-LIB"
# Shares of the titles, and the mean days between loans of one of their copies: hot, warm,
# cool, never lent.
DEMAND_SHARES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.2)
DEMAND_GAPS: tuple[float | None, ...] = (12.0, 60.0, 240.0, None)


def _branches() -> Branches | None:
    open_ = Venue.objects.filter(status=VenueStatus.OPEN).select_related("operator_unit")
    main = open_.filter(code=MAIN_LIBRARY).first()
    if main is None:
        return None
    return Branches(
        main,
        list(open_.filter(kind=VenueKind.BRANCH_LIBRARY).order_by("code")),
        list(open_.filter(kind=VenueKind.CITY_BOOKROOM).order_by("code")),
    )


def _librarian(where: Branches) -> None:
    """The demo librarian (made with the other demo sign-ins): a venue manager of the district
    library and of each of its branches (a manager of several venues holds one assignment per
    venue)."""
    district = OrgUnit.objects.get(level=OrgLevel.DISTRICT, parent__isnull=True)
    user = User.objects.filter(username=LIBRARIAN).first()
    if user is None:
        user, _status = user_upsert(
            actor=None,
            username=LIBRARIAN,
            display_name="图书馆演示馆员",
            password=DEMO_PASSWORD,
            roles=[(Role.VENUE_MANAGER, district)],
        )
    venue_manager_bind(actor=None, user=user, venue=where.main)
    # No service binds one manager to several venues yet: one assignment per branch, audited.
    for branch in where.branches:
        user.role_assignments.get_or_create(
            role=Role.VENUE_MANAGER, org_unit=district, venue=branch, defaults={"active": True}
        )
    audit_record(
        actor="system",
        action="venues.manager_bound",
        target=where.main,
        target_label=str(user),
        org_path=where.main.operator_unit.path,
        after={"user": user.pk, "venues": [v.code for v in where.branches]},
    )


# --- catalogue and copies -------------------------------------------------------------------


def _catalogue(rng: random.Random, this_year: int) -> tuple[list[Title], list[Title]]:
    """(the 三体 trilogy, the generated titles), with their n-gram index."""
    real = [
        title_upsert(actor="system", source_id=f"{SOURCE_PREFIX}R{i}", title=t, author=a,
                     publisher=p, pub_year=y, isbn=isbn, clc="I247.55", subject="科幻小说")[0]
        for i, (t, a, p, y, isbn) in enumerate(REAL_TITLES, start=1)
    ]  # fmt: skip
    made = Title.objects.bulk_create(
        Title(
            source_id=f"{SOURCE_PREFIX}{i:05d}",
            title=s.title,
            author=s.author,
            publisher=s.publisher,
            pub_year=s.pub_year,
            clc=s.clc,
            subject=s.subject,
            search_text=title_search_text(title=s.title, author=s.author, subject=s.subject),
        )
        for i, s in enumerate(synthetic_titles(rng, TITLE_COUNT, this_year=this_year), start=1)
    )
    TitleGram.objects.bulk_create(
        (TitleGram(gram=g, title_id=t.pk) for t in made for g in sorted(grams_of(t.search_text))),
        batch_size=5000,
    )
    return real, made


def _item_type(title: Title) -> str:
    return {"儿童文学": ItemType.CHILDREN, "工具书": ItemType.REFERENCE}.get(
        title.subject, ItemType.BOOK
    )


def _copies(
    rng: random.Random, real: list[Title], made: list[Title], where: Branches, today: date
) -> list[Copy]:
    """Copies of every title over the branches (the district library holds most), home where
    they stand, acquired from the publication year on; a few lost or withdrawn."""
    pool = [where.main] * 8 + where.branches * 1 + where.bookrooms[: len(where.branches)]
    first_day = date(2012, 1, 1)
    rows: list[Copy] = []
    for title in [*real, *made]:
        n = 8 if title in real else rng.choices((1, 2, 3, 4, 6, 9), (45, 25, 12, 9, 6, 3))[0]
        cutter = rng.randint(1, 999)
        start = max(first_day, date(title.pub_year or 2012, 1, 1))
        span = max((today - start).days - 3, 1)
        for k in range(n):
            here = where.main if k == 0 and title in real else rng.choice(pool)
            acquired = start + timedelta(days=int(rng.triangular(0, span, span)))
            status = CopyStatus.AVAILABLE
            if title not in real and rng.random() < 0.03:
                status = CopyStatus.WITHDRAWN if rng.random() < 0.6 else CopyStatus.LOST
            rows.append(
                Copy(
                    title=title,
                    barcode=f"{BARCODE_PREFIX}{len(rows) + 1:08d}",
                    item_type=_item_type(title),
                    home_branch=here,
                    current_branch=here,
                    status=status,
                    call_number=f"{title.clc}/{cutter}",
                    acquired_on=acquired,
                )
            )
    return Copy.objects.bulk_create(rows, batch_size=2000)


# --- the year of loans ----------------------------------------------------------------------


class _DueDates:
    """Due dates as ``rules.due_date`` computes them (the first open day on or after out +
    loan days), from each branch's open days of the period, parsed once per branch."""

    def __init__(self, start: date, days: int) -> None:
        self.start, self.days = start, days
        self.open: dict[int, list[date] | None] = {}

    def due(self, branch: Venue, day: date) -> date:
        if branch.pk not in self.open:
            found = open_days(branch, self.start, self.days)
            self.open[branch.pk] = sorted(found) if found else None
        days = self.open[branch.pk]
        if not days:
            return day
        i = bisect.bisect_left(days, day)
        return days[i] if i < len(days) else day


def _history(
    rng: random.Random, copies: list[Copy], readers: list[Reader], today: date, hot: set[int]
) -> tuple[int, list[OpenLoan]]:
    """Bulk-insert the returned loans of the past year; returns their number and the loans
    still out today (each copy's last one, to be lent through the service). Every copy of a
    title in ``hot`` is out today (the 三体 queue)."""
    dues = _DueDates(today - timedelta(days=HISTORY_DAYS + 5), HISTORY_DAYS + 120)
    demand: dict[int, float | None] = {pk: DEMAND_GAPS[0] for pk in hot}
    rows: list[Loan] = []
    still_out: list[OpenLoan] = []
    for copy in copies:
        if copy.status != CopyStatus.AVAILABLE or copy.item_type == ItemType.REFERENCE:
            continue
        if copy.title_id not in demand:
            demand[copy.title_id] = rng.choices(DEMAND_GAPS, DEMAND_SHARES)[0]
        gap = demand[copy.title_id]
        if gap is None:
            continue
        # A hot title's copy went out again a few days ago: its history ends before that.
        hot_out = today - timedelta(days=rng.randint(1, 6)) if copy.title_id in hot else None
        horizon = hot_out or today
        day = today - timedelta(days=HISTORY_DAYS) + timedelta(days=int(rng.expovariate(1 / gap)))
        while day < horizon:
            length = rng.choice((7, 10, 14, 14, 20, 21, 25, 28, 30, 30, 35, 45, 60))
            back = day + timedelta(days=length)
            if back >= horizon:  # still out today (if it went out recently enough)
                if hot_out is None and (today - day).days <= OPEN_WINDOW_DAYS:
                    still_out.append(OpenLoan(copy, day))
                break
            due = dues.due(copy.current_branch, day + timedelta(days=LOAN_DAYS))
            renewed = back > due and rng.random() < 0.5
            if renewed:
                due = dues.due(copy.current_branch, due + timedelta(days=LOAN_DAYS))
            rows.append(
                Loan(
                    copy=copy,
                    reader=rng.choice(readers),
                    out_branch=copy.current_branch,
                    out_at=at(day, rng.randint(9, 19), rng.randrange(60)),
                    due_on=due,
                    renewals_used=1 if renewed else 0,
                    returned_at=at(back, rng.randint(9, 20), rng.randrange(60)),
                    return_branch=copy.current_branch,
                )
            )
            day = back + timedelta(days=1 + int(rng.expovariate(1 / gap)))
        if hot_out is not None:
            still_out.append(OpenLoan(copy, hot_out))
    Loan.objects.bulk_create(rows, batch_size=2000)
    return len(rows), still_out


def seed_library(*, rng: random.Random, stdout: Any) -> None:
    """Seed the demo library (see the module docstring)."""
    if Title.objects.filter(source_id__startswith=SOURCE_PREFIX).exists():
        stdout.write("Library already seeded.")
        return
    where = _branches()
    residents = list(Resident.objects.select_related("user").order_by("pk"))
    if where is None or len(residents) < 20:
        stdout.write("No district library or too few residents: seed venues and people first.")
        return
    # Whole minutes: the same seed on the same day gives the same library.
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    tally = Tally()
    _librarian(where)
    real, made = _catalogue(rng, today.year)
    copies = _copies(rng, real, made, where, today)
    readers = [reader_for_resident(resident=r) for r in residents if r.user.is_active]
    demo_hash = lookup_hash(DEMO_RESIDENT_PHONE)
    demo = next(
        (r for r, p in zip(readers, residents, strict=False) if p.user.phone_hash == demo_hash),
        None,
    )
    returned, still_out = _history(rng, copies, readers, today, {real[0].pk})
    out = sorted(still_out, key=lambda p: (p.copy.title_id != real[0].pk, rng.random()))
    lend_open(rng, tally, out[:MAX_OPEN_LOANS], readers, cards_of(readers))
    holds_seed(rng, tally, real[0], readers, demo, where, now)
    orders_seed(rng, tally, readers, demo, where, now)
    transfers_seed(rng, tally, where, now)
    batches_seed(rng, tally, where, now)
    counts = {"titles": len(real) + len(made), "copies": len(copies), "readers": len(readers),
              "returned loans": returned}  # fmt: skip
    audit_record(actor="system", action="demo.library_seeded", target_label="demo library",
                 after={**counts, **tally})  # fmt: skip
    stdout.write("Library: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    stdout.write(f"  {tally.line()}")
