"""The bookable time of a room: its rule's hours intersected with the venue's opening hours, cut
into slots of the rule's length, and the state of each slot on a day (for pages and the API).

Hours are OpenStreetMap ``opening_hours`` strings read with ``culture.venues.hours``; they are
wall-clock local times. A rule without hours of its own follows the venue's; a venue without
opening hours has no bookable time (nobody knows when it is open).

A slot grid starts at the beginning of each bookable span: with hours 08:30-12:00 and 60-minute
slots, the slots are 08:30, 09:30 and 10:30 (11:30-12:00 is too short for a slot).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from culture.booking.models import CELL, RoomBookingRule, RoomSlotClaim
from culture.core.errors import ValidationFailed
from culture.venues import hours
from culture.venues.models import Room, VenueStatus

FREE, TAKEN, BLOCKED, CLOSED, PAST = "free", "taken", "blocked", "closed", "past"
DEFAULT_SLOT_MINUTES = 60

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    state: str  # free / taken / blocked / closed / past


def _open_spans(value: str, day: date) -> list[tuple[datetime, datetime]]:
    """Naive local open spans of ``value`` on ``day`` (adjacent spans merged)."""
    oh = hours.parse(value)
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    out: list[tuple[datetime, datetime]] = []
    for a, b, state, _comment in oh.intervals(start, end):
        if str(state).rsplit(".", 1)[-1].upper() != "OPEN":
            continue
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _intersect(xs: list[tuple[datetime, datetime]], ys: list[tuple[datetime, datetime]]):
    out = []
    for a, b in xs:
        for c, d in ys:
            lo, hi = max(a, c), min(b, d)
            if lo < hi:
                out.append((lo, hi))
    return sorted(out)


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, timezone.get_current_timezone())


def bookable_spans(*, room: Room, rule: RoomBookingRule | None, day: date) -> list[Span]:
    """The room's bookable spans on the local date ``day`` (aware datetimes): the rule's hours
    (or the venue's when the rule has none) within the venue's opening hours."""
    venue_hours = (room.venue.opening_hours or "").strip()
    if not venue_hours:
        return []
    try:
        venue_spans = _open_spans(venue_hours, day)
        rule_hours = (rule.bookable_hours if rule is not None else "").strip()
        spans = _intersect(venue_spans, _open_spans(rule_hours, day)) if rule_hours else venue_spans
    except ValidationFailed:  # a stored string the parser no longer reads: nothing bookable
        return []
    return [(_aware(a), _aware(b)) for a, b in spans]


def slot_grid(spans: list[Span], slot_minutes: int) -> list[tuple[datetime, datetime]]:
    length = timedelta(minutes=slot_minutes)
    out = []
    for a, b in spans:
        t = a
        while t + length <= b:
            out.append((t, t + length))
            t += length
    return out


def cells(start: datetime, end: datetime) -> list[datetime]:
    """The 15-minute cells [start, end) covers (both aligned to the grid)."""
    out = []
    t = start
    while t < end:
        out.append(t)
        t += CELL
    return out


def is_aligned(value: datetime) -> bool:
    return value.second == 0 and value.microsecond == 0 and value.minute % 15 == 0


def _claimed(room: Room, start: datetime, end: datetime) -> dict[datetime, str]:
    rows = RoomSlotClaim.objects.filter(
        room=room, cell_start__gte=start, cell_start__lt=end
    ).values_list("cell_start", "block_id")
    return {cell: (BLOCKED if block_id else TAKEN) for cell, block_id in rows}


def _bookable_at_all(room: Room, rule: RoomBookingRule | None) -> bool:
    return (
        rule is not None
        and rule.enabled
        and room.is_active
        and room.venue.status == VenueStatus.OPEN
    )


def room_day_slots(*, room: Room, day: date, now: datetime | None = None) -> list[Slot]:
    """Every slot of ``room`` on the local date ``day`` with its state: "past" (started),
    "blocked" (a maintenance block), "taken" (booked), "closed" (the room takes no bookings now,
    or the day is further ahead than the rule allows), else "free"."""
    now = now or timezone.now()
    rule: Any = RoomBookingRule.objects.filter(room=room).first()
    spans = bookable_spans(room=room, rule=rule, day=day)
    grid = slot_grid(spans, rule.slot_minutes if rule is not None else DEFAULT_SLOT_MINUTES)
    if not grid:
        return []
    claimed = _claimed(room, grid[0][0], grid[-1][1])
    open_now = _bookable_at_all(room, rule)
    horizon = now + timedelta(days=rule.advance_days) if rule is not None else now
    out = []
    for start, end in grid:
        states = {claimed.get(c) for c in cells(start, end)}
        if start < now:
            state = PAST
        elif BLOCKED in states:
            state = BLOCKED
        elif TAKEN in states:
            state = TAKEN
        elif not open_now or start > horizon:
            state = CLOSED
        else:
            state = FREE
        out.append(Slot(start=start, end=end, state=state))
    return out
