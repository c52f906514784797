"""What the library staff pages share: the branch of the URL (a library venue the viewer may
see, or may work at the desk), who a reader is at the desk (masked), and the refusal shown on a
page instead of a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from culture.accounts.masking import mask_name
from culture.booking.views.manage.common import back
from culture.core.errors import NotFound, OutOfScope, ServiceError
from culture.library.models import Reader
from culture.library.services.common import require_desk_staff
from culture.org.models import OrgLevel
from culture.venues.access import can_write
from culture.venues.models import LIBRARY_KINDS, Venue, VenueKind
from culture.venues.selectors import venue_get

NAV = "library_manage"

__all__ = [
    "NAV",
    "OtherBranchField",
    "back",
    "branch_context",
    "branch_get",
    "can_work",
    "is_district_library",
    "is_refusal",
    "reader_label",
]


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


class OtherBranchField(forms.ModelChoiceField):
    """A library branch other than the page's own, chosen by code (``limit_to(branch)`` once
    the form knows its branch): where a transfer or a batch of books goes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Venue.objects.none(),
            to_field_name="code",
            empty_label=_("选择馆点"),
            **kwargs,
        )

    def limit_to(self, branch: Venue) -> None:
        self.queryset = (
            Venue.objects.filter(kind__in=LIBRARY_KINDS).exclude(pk=branch.pk).order_by("code")
        )

    def label_from_instance(self, obj: Venue) -> str:
        return f"{obj.name_zh}（{obj.code}）"
