"""What the library staff pages share: the branch of the URL (a library venue the viewer may
see, or may work at the desk), who a reader is at the desk (masked), and the refusal shown on a
page instead of a 500."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import mask_name
from culture.accounts.models import User
from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.library.models import Reader
from culture.library.services.common import require_desk_staff
from culture.org.models import OrgLevel
from culture.venues.access import can_write
from culture.venues.models import LIBRARY_KINDS, Venue, VenueKind
from culture.venues.selectors import venue_get

NAV = "library_manage"


def branch_get(*, viewer: Any, code: str, desk: bool = False) -> Venue:
    """The library branch ``code`` the viewer may see (``desk``: may work its desk, through
    ``require_desk_staff``): 404 for an unknown code or a venue that is not a library, 403 out
    of scope or for a read-only role."""
    venue = venue_get(viewer=viewer, code=code)
    if venue.kind not in LIBRARY_KINDS:
        raise NotFound(_("%(name)s 不是图书馆或分馆") % {"name": venue.name_zh})
    if desk:
        require_desk_staff(viewer, venue)
    return venue


def can_work(viewer: Any, branch: Venue) -> bool:
    """May the viewer work ``branch``'s desk (the same rule as ``require_desk_staff``)."""
    return bool(getattr(viewer, "is_authenticated", False)) and can_write(viewer, branch)


def is_district_library(branch: Venue) -> bool:
    """The district library (a library run by the district unit): it records the batches of
    books to the grassroots."""
    return branch.kind == VenueKind.LIBRARY and branch.operator_unit.level == OrgLevel.DISTRICT


def reader_label(reader: Reader) -> str:
    """A reader as the desk may see them: 王*国（139****2345）."""
    resident = reader.resident
    name = mask_name(resident.name)
    phone = getattr(resident.user, "phone_masked", "")
    return f"{name}（{phone}）" if phone else name


def is_refusal(exc: ServiceError) -> bool:
    """Shown on the page (a refusal, a bad barcode, a card not registered); out-of-scope goes
    on to the 403 page."""
    return not isinstance(exc, OutOfScope)


def back(request: HttpRequest, default: str) -> HttpResponse:
    """To the page the form came from (``next``, on this site only), else ``default``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def branch_context(request: HttpRequest, branch: Venue, tab: str, **extra: Any) -> dict[str, Any]:
    """What every page of a branch shows around its content: the tabs, which depend on
    whether the viewer may work the desk and whether the branch is the district library."""
    return {
        "nav": NAV,
        "venue": branch,
        "tab": tab,
        "can_work": can_work(request.user, branch),
        "is_district_library": is_district_library(branch),
        "here": request.get_full_path(),
        **extra,
    }


def label_readers(rows: Iterable[Any]) -> None:
    """Set ``row.who`` (the masked reader) on each row with a ``reader`` whose resident is
    loaded, reading the masked phones in one query for all of them."""
    rows = list(rows)
    user_ids = {row.reader.resident.user_id for row in rows}
    phones = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "phone_masked"))
    for row in rows:
        resident = row.reader.resident
        name = mask_name(resident.name)
        phone = phones.get(resident.user_id, "")
        row.who = f"{name}（{phone}）" if phone else name
