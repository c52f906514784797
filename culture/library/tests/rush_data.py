"""Bulk test data for the circulation rushes against a live server (test_rush.py) and the
circulation benchmark (bench/library_circulation.py): readers with their social-security cards,
desk staff signed in at a branch, copies on the shelf. Written in a few bulk inserts (the
services make one row at a time, with an audit entry: hundreds of them would cost seconds),
as the services would leave them.

readers_with_cards(n, prefix=..., community=...)  [(Reader, card), ...]
desk_sessions(branch, n, prefix=...)              the headers of n desk staff's browsers
shelf_copies(title, branch, n, prefix=...)        n copies AVAILABLE at branch
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from culture.accounts.models import Resident, RoleAssignment, User
from culture.accounts.tests.helpers import id_number
from culture.core.personal import encrypt, lookup_hash, mask_id_number
from culture.core.roles import Role
from culture.core.tests.live import residents_with_tokens, session_headers
from culture.library.models import Copy, CopyStatus, ItemType, Reader, Title
from culture.venues.models import Venue


def _free_numbers(n: int, start: int) -> list[str]:
    """``n`` valid ID numbers (from ``id_number(start)`` on) that no resident holds yet."""
    out: list[str] = []
    k = start
    while len(out) < n:
        batch = [id_number(k + i) for i in range(2 * (n - len(out)))]
        k += len(batch)
        taken = set(
            Resident.objects.filter(id_number_hash__in=[lookup_hash(b) for b in batch]).values_list(
                "id_number_hash", flat=True
            )
        )
        out += [b for b in batch if lookup_hash(b) not in taken][: n - len(out)]
    return out


def readers_with_cards(
    n: int, *, prefix: str, community: Any = None, start: int = 400_000
) -> list[tuple[Reader, str]]:
    """``n`` residents (user, profile with an ID number, API token) who are readers: each
    Reader and the card (the ID number) a desk scans."""
    people = residents_with_tokens(n, prefix=prefix, community=community)
    by_user = {r.user_id: r for r in Resident.objects.filter(user__in=[u.pk for u, _t in people])}
    residents = [by_user[user.pk] for user, _token in people]
    numbers = _free_numbers(n, start)
    for resident, number in zip(residents, numbers, strict=True):
        resident.id_number_enc = encrypt(number)
        resident.id_number_hash = lookup_hash(number)
        resident.id_number_masked = mask_id_number(number)
    Resident.objects.bulk_update(residents, ["id_number_enc", "id_number_hash", "id_number_masked"])
    readers = Reader.objects.bulk_create([Reader(resident=r) for r in residents])
    if any(r.pk is None for r in readers):  # bulk_create without RETURNING (old SQLite)
        by_resident = {r.resident_id: r for r in Reader.objects.filter(resident__in=residents)}
        readers = [by_resident[r.pk] for r in residents]
    return list(zip(readers, numbers, strict=True))


def desk_sessions(branch: Venue, n: int, *, prefix: str) -> list[tuple[tuple[str, str], ...]]:
    """``n`` members of staff who work ``branch``'s desk (venue managers of it), each signed in
    in their own browser: the headers of their requests (cookie + CSRF token)."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}-{i:04d}", display_name=f"馆员{i}", password=password)
            for i in range(n)
        ]
    )
    if any(u.pk is None for u in users):
        by_name = {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}-")}
        users = [by_name[u.username] for u in users]
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=u, role=Role.VENUE_MANAGER, org_unit=branch.operator_unit, venue=branch
            )
            for u in users
        ]  # fmt: skip
    )
    return session_headers(users)


def shelf_copies(
    title: Title, branch: Venue, n: int, *, prefix: str, item_type: str = ItemType.BOOK
) -> list[Copy]:
    """``n`` copies of ``title`` belonging to and standing at ``branch``, on the shelf; barcodes
    ``<prefix>00001``... (upper case, as the desk normalises them)."""
    Copy.objects.bulk_create(
        [
            Copy(
                title=title,
                barcode=f"{prefix.upper()}{i:05d}",
                item_type=item_type,
                home_branch=branch,
                current_branch=branch,
                status=CopyStatus.AVAILABLE,
            )
            for i in range(1, n + 1)
        ]
    )
    return list(Copy.objects.filter(barcode__startswith=prefix.upper()).order_by("barcode"))
