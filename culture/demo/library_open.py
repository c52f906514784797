"""What is open today in the demo library, made through the circulation services with ``now``
moved back to when it happened (``seed_library`` builds the catalogue and the year behind it):
open loans at the desk, holds (waiting and ready), delivery orders in every status, transfers and
books-to-the-grassroots batches."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from culture.accounts.models import Resident
from culture.core.errors import ServiceError
from culture.core.personal import decrypt
from culture.library.models import Copy, CopyStatus, ItemType, Loan, Reader, Title
from culture.library.services import (
    delivery_advance,
    delivery_cancel,
    delivery_place,
    grassroots_batch_record,
    hold_place,
    loan_checkout,
    transfer_create,
    transfer_receive,
)
from culture.venues.models import Venue

# Orders by the status they end in (placed, picked, in transit, ready, collected, cancelled).
ORDERS = {"placed": 6, "picked": 4, "in_transit": 4, "ready": 5, "collected": 6, "cancelled": 4}
STEPS = ("picked", "in_transit", "ready", "collected")
# The actions below are dated back at most this far (orders placed up to 240 hours ago).
QUIET = timedelta(days=11)


class Tally(Counter):
    """What the step made (and what the services refused), by label."""

    def line(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(self.items()))


def attempt(tally: Tally, label: str, work: Any) -> Any:
    """One service call in its own savepoint; a refusal is counted, not fatal."""
    try:
        with transaction.atomic():
            out = work()
    except ServiceError as exc:
        tally[f"refused:{label}:{exc.code}"] += 1
        return None
    tally[label] += 1
    return out


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Branches:
    main: Venue
    branches: list[Venue]  # branch libraries (the district library's, one per subdistrict)
    bookrooms: list[Venue]

    @property
    def all(self) -> list[Venue]:
        return [self.main, *self.branches, *self.bookrooms]


@dataclass
class OpenLoan:
    copy: Copy
    out_on: date


def cards_of(readers: list[Reader]) -> dict[int, str]:
    """reader id -> the card the desk scans (the resident's ID number)."""
    encrypted = dict(
        Resident.objects.filter(reader__in=readers).values_list("reader__pk", "id_number_enc")
    )
    return {pk: decrypt(value) for pk, value in encrypted.items()}


def lend_open(
    rng: random.Random,
    tally: Tally,
    loans: list[OpenLoan],
    readers: list[Reader],
    cards: dict[int, str],
) -> None:
    """The loans still out today, lent at the desk (``loan_checkout``) on the day they went
    out, oldest first, each to a random reader (one at the limit is refused and counted)."""
    for plan in sorted(loans, key=lambda p: (p.out_on, p.copy.pk)):
        reader = rng.choice(readers)
        copy = plan.copy
        attempt(
            tally,
            "open loans",
            lambda c=copy, r=reader, p=plan: loan_checkout(
                actor=None, branch=c.current_branch, card=cards[r.pk], barcode=c.barcode,
                now=at(p.out_on, rng.randint(9, 19), rng.randrange(60)),
            ),
        )  # fmt: skip


def _shelf(since: datetime, where: Branches | None = None) -> list[Copy]:
    """Lendable copies on the shelf now (at the district library when ``where`` is given) of
    titles none of whose copies came back after ``since``: an action dated back to ``since``
    then finds every copy the service might choose already on the shelf."""
    recent = Loan.objects.filter(returned_at__gte=since).values("copy__title")
    qs = (
        Copy.objects.filter(status=CopyStatus.AVAILABLE)
        .exclude(item_type=ItemType.REFERENCE)
        .exclude(title__in=recent)
    )
    if where is not None:
        qs = qs.filter(current_branch=where.main)
    return list(qs.select_related("title", "current_branch").order_by("pk"))


def holds_seed(
    rng: random.Random,
    tally: Tally,
    santi: Title,
    readers: list[Reader],
    demo: Reader | None,
    where: Branches,
    now: datetime,
) -> None:
    """三体: every copy out, five readers queueing (the demo resident second). A dozen ready on
    a hold shelf (a copy stood at the pickup branch), and waiting holds for titles all out."""
    pickups = [where.main, *where.branches]
    queue = rng.sample([r for r in readers if r != demo], 4)
    if demo is not None:
        queue.insert(1, demo)
    for i, reader in enumerate(queue):
        branch = rng.choice(pickups)
        attempt(tally, "holds", lambda r=reader, b=branch, i=i: hold_place(
            reader=r, title=santi, pickup_branch=b, now=now - timedelta(days=5 - i)))  # fmt: skip
    for i, copy in enumerate(rng.sample(_shelf(now - QUIET), 12)):
        reader = demo if i == 0 and demo is not None else rng.choice(readers)
        attempt(tally, "holds", lambda r=reader, c=copy: hold_place(
            reader=r, title=c.title, pickup_branch=c.current_branch,
            now=now - timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))))  # fmt: skip
    on_shelf = set(Copy.objects.filter(status=CopyStatus.AVAILABLE).values_list("title", flat=True))
    out = sorted(
        set(Copy.objects.filter(status=CopyStatus.ON_LOAN).values_list("title", flat=True))
        - on_shelf
        - {santi.pk}
    )
    for title_id in rng.sample(out, min(len(out), 15)):
        title = Title.objects.get(pk=title_id)
        reader = rng.choice(readers)
        attempt(tally, "holds", lambda r=reader, t=title: hold_place(
            reader=r, title=t, pickup_branch=rng.choice(pickups),
            now=now - timedelta(days=rng.randint(1, 10))))  # fmt: skip


def _address(rng: random.Random, reader: Reader) -> str:
    community = reader.resident.community
    place = community.name_zh if community is not None else "拱墅区"
    return (
        f"杭州市拱墅区{place}{rng.randint(1, 40)}幢{rng.randint(1, 4)}单元"
        f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
    )


# The hours before now an order of each final status was placed (from, to).
ORDER_AGE_HOURS = {
    "placed": (1, 20),
    "picked": (20, 40),
    "in_transit": (30, 60),
    "ready": (40, 80),
    "collected": (100, 240),
    "cancelled": (10, 100),
}


def orders_seed(
    rng: random.Random,
    tally: Tally,
    readers: list[Reader],
    demo: Reader | None,
    where: Branches,
    now: datetime,
) -> None:
    """Delivery orders in every status: to a pickup branch or home; advanced step by step with
    the picked copy scanned; cancelled by the reader while placed or by staff with a reason."""
    shelf = _shelf(now - QUIET)
    plan = [status for status, n in ORDERS.items() for _ in range(n)]
    titles = rng.sample(sorted({c.title_id for c in shelf}), len(plan))
    pickups = where.all
    for i, (status, title_id) in enumerate(zip(plan, titles, strict=True)):
        mine = demo is not None and status in ("in_transit", "ready") and plan.index(status) == i
        reader = demo if mine and demo is not None else rng.choice(readers)
        home = rng.random() < 0.3
        lo, hi = ORDER_AGE_HOURS[status]
        placed = now - timedelta(hours=rng.uniform(lo, hi))
        order = attempt(tally, "orders", lambda r=reader, t=title_id, h=home, at=placed: delivery_place(
            reader=r, title=Title.objects.get(pk=t), pickup_branch=None if h else rng.choice(pickups),
            to_home=h, address=_address(rng, r) if h else "", now=at))  # fmt: skip
        if order is None:
            continue
        if status == "cancelled":
            by_reader = rng.random() < 0.5
            attempt(tally, "orders cancelled", lambda o=order, b=by_reader, at=placed: delivery_cancel(
                actor=o.reader.resident.user if b else None, order=o,
                reason="" if b else "该册破损，已下架修补", now=at + timedelta(hours=2)))  # fmt: skip
            continue
        steps = STEPS[: STEPS.index(status) + 1] if status in STEPS else ()
        gap = (now - placed) / (len(steps) + 1)
        for k, step in enumerate(steps, start=1):
            code = order.copy.barcode if step == "picked" and order.copy else ""
            done = attempt(tally, f"orders {step}", lambda o=order, c=code, at=placed + gap * k: (
                delivery_advance(actor=None, order=o, barcode=c, now=at)))  # fmt: skip
            if done is None:
                break
            order = done


def transfers_seed(rng: random.Random, tally: Tally, where: Branches, now: datetime) -> None:
    """Rebalancing: a dozen copies sent from the district library; most have arrived."""
    targets = [*where.branches, *where.bookrooms]
    for i, copy in enumerate(rng.sample(_shelf(now - QUIET, where), 12)):
        to = rng.choice(targets)
        sent = now - timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 6))
        made = attempt(tally, "transfers", lambda c=copy, t=to, at=sent: transfer_create(
            actor=None, branch=where.main, barcode=c.barcode, to_branch=t, now=at))  # fmt: skip
        if made is not None and i < 8:
            attempt(tally, "transfers received", lambda c=copy, t=to, at=sent: transfer_receive(
                actor=None, branch=t, barcode=c.barcode, now=at + timedelta(hours=20)))  # fmt: skip


def batches_seed(rng: random.Random, tally: Tally, where: Branches, now: datetime) -> None:
    """Books to the grassroots (S45): each branch library supplied about once a quarter over
    the past year; the latest batch also sends eight copies, which are on their way."""
    today = timezone.localdate(now)
    for branch in where.branches:
        for quarter in range(4):
            sent_on = today - timedelta(days=20 + 91 * quarter + rng.randint(0, 30))
            attempt(tally, "batches", lambda b=branch, d=sent_on: grassroots_batch_record(
                actor=None, to_branch=b, sent_on=d, books=rng.randrange(150, 500, 10),
                note="区图书馆送书下基层（演示数据）"))  # fmt: skip
    if where.branches:
        copies = [c.barcode for c in rng.sample(_shelf(now - QUIET, where), 8)]
        attempt(tally, "batches", lambda: grassroots_batch_record(
            actor=None, to_branch=where.branches[0], sent_on=today - timedelta(days=1),
            books=len(copies), barcodes=copies, note="新书首发送书（演示数据）"))  # fmt: skip
