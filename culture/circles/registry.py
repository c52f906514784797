"""Circles the district creates and accepts (创建, 验收): writes and scoped reads.

- ``circle_create``: one circle per community by default; its code (``QC`` + the community's
  statistical code, a suffix for an extra circle) is made once and never changes, so the QR
  poster stays valid whatever the data do afterwards.
- ``circle_update``: name, theme (一圈一韵), essential venue, spaces, information board, demand
  channel. The facilities and flags of an accepted circle change only after ``circle_reopen``.
- ``circle_accept``: a district officer (or the system, ``actor=None``) accepts a circle whose
  checklist (``culture.circles.checklist``) holds in full; otherwise it is refused with the list
  of what is still missing. ``circle_reopen`` takes the acceptance back.

Community workers and subdistrict officers create and edit the circles of the communities in
their scope; only district officers accept and reopen. Every change is audited
(``circles.circle_created`` ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.circles.checklist import check_circle, space_kinds, venue_kinds
from culture.circles.models import Circle, CircleStatus
from culture.core.audit import audit_record, snapshot
from culture.core.errors import FieldErrors, NotFound, OutOfScope, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import Venue

CODE_PREFIX = "QC"
# What an accepted circle keeps until it is reopened (name and theme may change any time).
LOCKED_WHEN_ACCEPTED = ("essential_venue", "spaces", "has_information_board", "has_demand_channel")
LOGGED = ("code", "name", "theme", "community_id", "essential_venue_id", "has_information_board",
          "has_demand_channel", "status", "accepted_on", "accepted_by_id")  # fmt: skip


def _state(circle: Circle) -> dict[str, Any]:
    data = snapshot(circle, LOGGED)
    data["spaces"] = sorted(v.code for v in circle.spaces.all())
    return data


def _require_edit(actor: Any, community: OrgUnit) -> None:
    if actor is not None:
        viewer_scope(actor).require_write(community.path)


def _require_district(actor: Any) -> None:
    if actor is not None:
        viewer_scope(actor).require_role(Role.DISTRICT_OFFICER)


def circle_code(community: OrgUnit, n: int = 1) -> str:
    return f"{CODE_PREFIX}{community.code}" + (f"-{n}" if n > 1 else "")


def _venues(errors: dict[str, list[Any]], essential: Any, spaces: Iterable[Any]) -> list[Venue]:
    """Check the kinds: an essential public culture venue, public-welfare spaces (not itself)."""
    if essential is not None and (
        not isinstance(essential, Venue) or essential.kind not in venue_kinds()
    ):
        errors.setdefault("essential_venue", []).append(
            _("必备场馆须是公共文化场馆类型（如社区文化家园）")
        )
    out: list[Venue] = []
    for s in spaces:
        if not isinstance(s, Venue) or s.kind not in space_kinds():
            errors.setdefault("spaces", []).append(
                _("%(name)s 不属于公益性文化空间类型") % {"name": getattr(s, "name_zh", s)}
            )
        elif essential is not None and s.pk == getattr(essential, "pk", None):
            errors.setdefault("spaces", []).append(_("必备场馆不能同时作为公益性文化空间"))
        elif s not in out:
            out.append(s)
    return out


@transaction.atomic
def circle_create(
    *,
    actor: Any,
    community: OrgUnit,
    name: str = "",
    theme: str = "",
    essential_venue: Venue | None = None,
    spaces: Iterable[Venue] = (),
    has_information_board: bool = False,
    has_demand_channel: bool = False,
    extra: bool = False,
    request: Any = None,
) -> Circle:
    """Create the circle of ``community`` (``extra=True``: another one beside it)."""
    if not isinstance(community, OrgUnit) or community.level != OrgLevel.COMMUNITY:
        raise ValidationFailed(_("文化圈须属于一个社区"), field="community")
    _require_edit(actor, community)
    errors: dict[str, list[Any]] = {}
    chosen = _venues(errors, essential_venue, spaces)
    existing = Circle.objects.filter(community=community).count()
    if existing and not extra:
        errors.setdefault("community", []).append(
            _("%(name)s 已有文化生活圈（每个社区一个）") % {"name": community.name_zh}
        )
    name = (name or "").strip() or f"{community.name_zh}15分钟品质文化生活圈"
    if len(name) > 100:
        errors.setdefault("name", []).append(_("名称最多100个字"))
    if len((theme or "").strip()) > 100:
        errors.setdefault("theme", []).append(_("主题最多100个字"))
    if errors:
        raise FieldErrors(errors)
    n = existing + 1
    while Circle.objects.filter(code=circle_code(community, n)).exists():
        n += 1
    try:
        with transaction.atomic():
            circle = Circle.objects.create(
                code=circle_code(community, n), name=name, theme=(theme or "").strip(),
                community=community, community_path=community.path, essential_venue=essential_venue,
                has_information_board=bool(has_information_board),
                has_demand_channel=bool(has_demand_channel),
            )  # fmt: skip
    except IntegrityError as exc:  # two simultaneous creations: the unique code holds
        raise ValidationFailed(_("该社区的文化圈刚刚已被创建"), field="community") from exc
    circle.spaces.set(chosen)
    audit_record(actor=actor or "system", action="circles.circle_created", target=circle,
                 org_path=community.path, after=_state(circle), request=request)  # fmt: skip
    return circle


@transaction.atomic
def circle_update(*, actor: Any, circle: Circle, request: Any = None, **changes: Any) -> Circle:
    """Change ``name``, ``theme``, ``essential_venue``, ``spaces`` (venues), or the flags
    ``has_information_board`` / ``has_demand_channel``."""
    allowed = {"name", "theme", *LOCKED_WHEN_ACCEPTED}
    unknown = set(changes) - allowed
    if unknown:
        raise FieldErrors({k: [_("该字段不可修改")] for k in sorted(unknown)})
    circle = (
        Circle.objects.select_for_update(of=("self",)).select_related("community").get(pk=circle.pk)
    )
    _require_edit(actor, circle.community)
    before = _state(circle)
    errors: dict[str, list[Any]] = {}
    essential = changes.get("essential_venue", circle.essential_venue)
    spaces = _venues(errors, essential, changes.get("spaces", list(circle.spaces.all())))
    name = (changes.get("name", circle.name) or "").strip()
    theme = (changes.get("theme", circle.theme) or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("名称不能为空"))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_("名称最多100个字"))
    if len(theme) > 100:
        errors.setdefault("theme", []).append(_("主题最多100个字"))
    if errors:
        raise FieldErrors(errors)
    circle.name, circle.theme, circle.essential_venue = name, theme, essential
    for flag in ("has_information_board", "has_demand_channel"):
        if flag in changes:
            setattr(circle, flag, bool(changes[flag]))
    after = {**snapshot(circle, LOGGED), "spaces": sorted(v.code for v in spaces)}
    changed = [k for k in after if before.get(k) != after[k]]
    if not changed:
        return circle
    if circle.status == CircleStatus.ACCEPTED:
        locked = [k for k in changed if k.removesuffix("_id") in LOCKED_WHEN_ACCEPTED]
        if locked:
            raise ValidationFailed(
                _("文化圈已验收：修改设施或服务项目前须由区文旅局撤销验收"), field=locked[0]
            )
    circle.save(update_fields=["name", "theme", "essential_venue", "has_information_board",
                               "has_demand_channel", "updated_at"])  # fmt: skip
    if "spaces" in changed:
        circle.spaces.set(spaces)
    audit_record(
        actor=actor or "system", action="circles.circle_updated", target=circle,
        org_path=circle.community_path, before={k: before[k] for k in changed},
        after={k: after[k] for k in changed}, request=request,
    )  # fmt: skip
    return circle


@transaction.atomic
def circle_accept(
    *, actor: Any, circle: Circle, today: date | None = None, request: Any = None
) -> Circle:
    """Accept ``circle`` (district officers; ``actor=None`` is the system, e.g. the demo).

    Refused with FieldErrors ``{"checklist": [what is missing, ...]}`` unless every item holds."""
    _require_district(actor)
    circle = Circle.objects.select_for_update(of=("self",)).get(pk=circle.pk)
    if circle.status == CircleStatus.ACCEPTED:
        raise ValidationFailed(_("该文化圈已经验收"), field="status")
    today = today or timezone.localdate()
    result = check_circle(circle, today=today)
    if not result.passed:
        raise FieldErrors({"checklist": result.missing_lines()})
    before = _state(circle)
    circle.status = CircleStatus.ACCEPTED
    circle.accepted_on = today
    circle.accepted_by = actor if getattr(actor, "is_authenticated", False) else None
    circle.save(update_fields=["status", "accepted_on", "accepted_by", "updated_at"])
    after = _state(circle)
    audit_record(
        actor=actor or "system", action="circles.circle_accepted", target=circle,
        org_path=circle.community_path,
        before={k: before[k] for k in ("status", "accepted_on", "accepted_by_id")},
        after={**{k: after[k] for k in ("status", "accepted_on", "accepted_by_id")},
               "checklist": [i.line for i in result.items]},
        request=request,
    )  # fmt: skip
    return circle


@transaction.atomic
def circle_reopen(*, actor: Any, circle: Circle, reason: str = "", request: Any = None) -> Circle:
    """Take an acceptance back (district officers): the circle is in creation again."""
    _require_district(actor)
    circle = Circle.objects.select_for_update(of=("self",)).get(pk=circle.pk)
    if circle.status != CircleStatus.ACCEPTED:
        raise ValidationFailed(_("该文化圈尚未验收，无需撤销"), field="status")
    before = snapshot(circle, ("status", "accepted_on", "accepted_by_id"))
    circle.status, circle.accepted_on, circle.accepted_by = CircleStatus.PLANNED, None, None
    circle.save(update_fields=["status", "accepted_on", "accepted_by", "updated_at"])
    audit_record(
        actor=actor or "system", action="circles.circle_reopened", target=circle,
        org_path=circle.community_path, before=before,
        after={**snapshot(circle, ("status", "accepted_on", "accepted_by_id")),
               "reason": (reason or "").strip()[:500]},
        request=request,
    )  # fmt: skip
    return circle


# ----- reads ------------------------------------------------------------------------------------
def circle_list(
    *, viewer: Any, subdistrict: str = "", status: str = "", q: str = ""
) -> QuerySet[Circle]:
    """The circles of the communities in the viewer's scope (staff only)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(Circle.objects.all(), "community_path")
    if subdistrict:
        qs = qs.filter(community__parent__code=subdistrict)
    if status:
        if status not in CircleStatus.values:
            raise ValidationFailed(_("未知的状态：%(s)s") % {"s": status}, field="status")
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(community__name_zh__icontains=q)
        )
    return qs.select_related("community__parent", "essential_venue", "accepted_by").order_by("code")


def circle_get(*, viewer: Any, code: str) -> Circle:
    viewer_scope(viewer).require_staff()
    circle = (
        Circle.objects.select_related("community__parent", "essential_venue", "accepted_by")
        .filter(code=code)
        .first()
    )
    if circle is None:
        raise NotFound(_("没有圈码为 %(code)s 的文化圈") % {"code": code})
    if not viewer_scope(viewer).can_see_path(circle.community_path):
        raise OutOfScope(_("该文化圈不在您的管辖范围内"))
    return circle


def circle_get_for_edit(*, viewer: Any, code: str) -> Circle:
    circle = circle_get(viewer=viewer, code=code)
    viewer_scope(viewer).require_write(circle.community_path)
    return circle


def communities_without_circle(*, viewer: Any) -> QuerySet[OrgUnit]:
    """Communities the viewer may create a circle for (in write scope, none yet)."""
    scope = viewer_scope(viewer)
    return (
        scope.filter(
            OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, is_active=True), "path", write=True
        )
        .exclude(circles__isnull=False)
        .select_related("parent")
        .order_by("code")
    )


@dataclass(frozen=True)
class PopulationRow:
    code: str
    name: str
    population: int  # residents of the communities (OrgUnit.population)
    accepted_population: int  # of which in communities whose circle is accepted
    communities: int
    accepted_communities: int

    @property
    def share(self) -> float | None:
        return self.accepted_population / self.population if self.population else None


@dataclass(frozen=True)
class AcceptedPopulation:
    rows: list[PopulationRow]  # per subdistrict in the viewer's scope
    total: PopulationRow  # the district (or the viewer's scope)
    whole_district: bool


def accepted_circle_population(*, viewer: Any) -> AcceptedPopulation:
    """Residents living in communities whose circle is accepted, per subdistrict and in all,
    beside the communities' population (one grouped query). Shown beside the pure distance
    coverage: acceptance is the province's yardstick, distance the policy's."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    accepted = Q(circles__status=CircleStatus.ACCEPTED)
    communities = scope.filter(
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, is_active=True), "path"
    )
    ids = communities.filter(accepted).values("pk")
    grouped = (
        communities.values("parent__code", "parent__name_zh")
        .annotate(
            n_people=Sum("population"),
            n_people_accepted=Sum("population", filter=Q(pk__in=ids)),
            n_units=Count("pk"),
            n_units_accepted=Count("pk", filter=Q(pk__in=ids)),
        )
        .order_by("parent__code")
    )
    rows = [
        PopulationRow(code=r["parent__code"], name=r["parent__name_zh"],
                      population=r["n_people"] or 0,
                      accepted_population=r["n_people_accepted"] or 0,
                      communities=r["n_units"], accepted_communities=r["n_units_accepted"])
        for r in grouped
    ]  # fmt: skip
    district = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).first() if scope.all_units else None
    total = PopulationRow(
        code=district.code if district else "",
        name=district.name_zh if district else str(_("本人管辖范围")),
        population=sum(r.population for r in rows),
        accepted_population=sum(r.accepted_population for r in rows),
        communities=sum(r.communities for r in rows),
        accepted_communities=sum(r.accepted_communities for r in rows),
    )
    return AcceptedPopulation(rows=rows, total=total, whole_district=scope.all_units)
