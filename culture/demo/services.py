"""Building and removing the synthetic demo district. Everything goes through the services of
the apps that own the data (``org_unit_create``, the accounts services in ``seed_people``), so
the demo is built exactly as real data would be; the system is the actor (``actor=None``)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max, Min, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Resident, RoleAssignment, StaffMember, User
from culture.activities.models import Activity
from culture.activities.summaries import summaries_rebuild
from culture.booking.models import Booking
from culture.circles.models import CandidateSite, Circle, ResidentialPoint
from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.demo import places
from culture.demo import seed_people as people
from culture.demo.models import DemoDataset
from culture.demo.plan import plan_org_tree
from culture.demo.scale import demo_scale_up
from culture.demo.seed_activities import seed_activities
from culture.demo.seed_booking import seed_booking
from culture.demo.seed_circles import seed_circles
from culture.demo.seed_library import seed_library
from culture.demo.seed_reports import seed_reports
from culture.demo.seed_teams import seed_teams
from culture.demo.seed_venues import seed_venues
from culture.library.models import Copy, DeliveryOrder, Hold, Loan, Reader, Title, Transfer
from culture.org.models import OrgLevel, OrgUnit, ResidentialDevelopment
from culture.org.services import org_unit_create
from culture.standards.models import Attestation, EvaluationRun, ReportedFigure
from culture.standards.services.evaluation import evaluation_run
from culture.teams.models import CulturalOrganisation, CulturalTeam, CultureHousehold, CultureTalent
from culture.venues.models import Venue

RESET_CHUNK = 20_000  # rows per transaction when a reset deletes the registry
ALREADY_BUILT = "already built"
BUILT = "built"
RESUMED = "resumed"


class _Out:
    """Progress lines to a management command's stdout (or nowhere)."""

    def __init__(self, stdout: Any) -> None:
        self.stdout = stdout

    def __call__(self, msg: str) -> None:
        if self.stdout is not None:
            self.stdout.write(msg if msg.endswith("\n") else msg + "\n")


# The registry steps, in dependency order (teams rehearse in venues; activities happen in them).
# Each takes (rng, stdout) and builds the base volume through its app's services; ``--scale``
# adds copies of each afterwards (``culture.demo.scale``).
REGISTRY_STEPS = (
    ("venues", seed_venues),
    ("teams", seed_teams),
    ("activities", seed_activities),
    ("bookings", seed_booking),
    ("library", seed_library),
    ("circles", seed_circles),
    ("reported figures", seed_reports),
)
# What a reset deletes before the org tree (children before the rows they point to).
REGISTRY_MODELS = (
    # the library: orders before the loans they started, loans and holds before the readers
    # (people) and copies, copies before the titles and venues (all PROTECT)
    DeliveryOrder,
    Transfer,
    Hold,
    Loan,
    Reader,
    Copy,
    Title,
    Booking,  # before the activities, rooms and people it points to (PROTECT)
    EvaluationRun,
    Circle,
    ResidentialPoint,
    CandidateSite,
    ReportedFigure,
    Attestation,
    Activity,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    CulturalOrganisation,
    ResidentialDevelopment,
    Venue,
)


def _registry_steps() -> tuple[tuple[str, Any], ...]:
    """The registry steps to run (tests of the org tree and people alone replace it)."""
    return REGISTRY_STEPS


def _seed_people_function() -> Any:
    """The step that creates the demo people (``culture.demo.seed_people``, written by the
    accounts engineer); tests of the org tree alone replace it with one returning None."""
    return people.seed_people


def demo_dataset_build(*, seed: int, scale: int = 1, stdout: Any = None) -> tuple[DemoDataset, str]:
    """Build the demo district for ``seed``; a second call with the same seed changes nothing,
    except that it finishes the copies of a ``scale > 1`` build that stopped (``culture.demo.
    scale``). The base volume is one transaction; each extra copy is one more."""
    say = _Out(stdout)
    if scale < 1:
        raise ValidationFailed(_("规模倍数必须是正整数"), field="scale")
    current = DemoDataset.current()
    if current is not None:
        if current.seed != seed:
            raise ValidationFailed(
                _("已载入随机种子为 %(old)s 的演示数据；如需用新种子重建，请加 --reset")
                % {"old": current.seed},
                field="seed",
            )
        if current.complete:
            return current, ALREADY_BUILT
        if current.scale != scale:
            raise ValidationFailed(
                _(
                    "规模倍数为 %(scale)s 的演示数据尚未建完（已完成 %(done)s 份副本）；"
                    "请用 --scale %(scale)s 继续，或加 --reset 重建"
                )
                % {"scale": current.scale, "done": current.copies_done},
                field="scale",
            )
        say(f"Resuming: {current.copies_done} of {current.scale - 1} copies were built.")
        _scale_up(current, say)
        return current, RESUMED
    dataset = _build_base(seed=seed, scale=scale, stdout=stdout)
    _scale_up(dataset, say)
    _evaluate(say)
    return dataset, BUILT


def _evaluate(say: _Out) -> None:
    """Store the standards results of last year and this year, so the cockpit shows them the
    moment the platform starts (later writes recompute in the background)."""
    if _seed_people_function() is None or not _registry_steps():
        return
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        run = evaluation_run(year=year, trigger="demo")
        say(f"Standards evaluated for {year}: {run.result_count:,} results")


def _scale_up(dataset: DemoDataset, say: _Out) -> None:
    """The extra copies of a ``--scale N`` build, after the base volume is committed."""
    ran = _seed_people_function() is not None
    names = [name for name, _step in _registry_steps()] if ran else []
    totals = demo_scale_up(dataset=dataset, names=names, say=say)
    if totals.get("activities"):
        # the copies bypassed the activity services, which keep the summaries current
        say("Recomputing the activity summaries from the raw rows ...")
        months, weeks = summaries_rebuild()
        say(f"  {months:,} month rows, {weeks:,} week rows")


@transaction.atomic
def _build_base(*, seed: int, scale: int, stdout: Any) -> DemoDataset:
    """Org tree, people and the registry at scale 1, through the services, in one transaction;
    the data set marker (with ``scale``, no copies built yet) is committed with them."""
    say = _Out(stdout)
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    say(f"Planning the org tree (seed {seed}) ...")
    planned = plan_org_tree(rng=rng, nprng=nprng, progress=say)
    say(f"Creating {len(planned)} org units ...")
    created: dict[str, OrgUnit] = {}
    for i, p in enumerate(planned, start=1):
        created[p.code] = org_unit_create(
            actor=None,
            code=p.code,
            level=p.level,
            parent=created[p.parent_code] if p.parent_code else None,
            name_zh=p.name_zh,
            name_en=p.name_en,
            population=p.population,
            area_km2=p.area_km2,
            boundary=p.boundary,
            centroid_lat=p.centroid_lat,
            centroid_lon=p.centroid_lon,
        )
        if i % 50 == 0 or i == len(planned):
            say(f"  {i}/{len(planned)} org units")

    seed_people = _seed_people_function()
    if seed_people is None:
        say("Skipping the demo people (org tree only).")
    else:
        say("Creating demo users, staff and residents ...")
        seed_people(rng=random.Random(f"{seed}:people"), stdout=stdout)
        for name, step in _registry_steps():
            say(f"Creating the demo {name} ...")
            step(rng=random.Random(f"{seed}:{name}"), stdout=stdout)

    district = created[places.DISTRICT_CODE]
    n_sub = sum(1 for p in planned if p.level == OrgLevel.SUBDISTRICT)
    n_com = sum(1 for p in planned if p.level == OrgLevel.COMMUNITY)
    description = (
        f"Synthetic Gongshu district: {n_sub} subdistricts, {n_com} communities, "
        f"{district.population:,} residents, {district.area_km2} km2 (scale {scale})"
    )
    dataset = DemoDataset.objects.create(seed=seed, scale=scale, description=description)
    audit_record(
        actor="system",
        action="demo.dataset_built",
        target=dataset,
        org_path=district.path,
        after={
            "seed": seed,
            "scale": scale,
            "subdistricts": n_sub,
            "communities": n_com,
            "population": district.population,
        },
    )
    say(description)
    return dataset


def _delete_in_chunks(model: Any, say: _Out) -> int:
    """Delete every row of ``model``, one transaction per ``RESET_CHUNK`` primary keys (a
    ``--scale`` build holds millions of rows: no giant transaction, flat memory)."""
    label = model._meta.label
    bounds = model.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return 0
    deleted = 0
    for start in range(bounds["lo"], bounds["hi"] + 1, RESET_CHUNK):
        with transaction.atomic():
            chunk = model.objects.filter(pk__gte=start, pk__lt=start + RESET_CHUNK)
            deleted += chunk.delete()[1].get(label, 0)
        if bounds["hi"] - bounds["lo"] >= 10 * RESET_CHUNK:
            say(f"  {label}: {deleted:,} deleted")
    return deleted


def demo_dataset_reset(*, stdout: Any = None) -> dict[str, int]:
    """Delete the demo org tree and its people (all non-superuser accounts, staff records and
    residents: a demo database holds no one else). Audit entries stay (they are append-only).
    The registry goes first, in chunks; the people, the tree and the data set marker then go in
    one transaction, so a reset that stops half-way leaves the marker and can simply be rerun."""
    say = _Out(stdout)
    current = DemoDataset.current()
    tree = OrgUnit.objects.filter(path__startswith=f"{places.DISTRICT_CODE}/")
    if current is None:
        if tree.exists():
            raise ValidationFailed(_("当前数据库不是演示数据集，拒绝删除"), field="reset")
        return {}
    counts = {model._meta.label: _delete_in_chunks(model, say) for model in REGISTRY_MODELS}
    counts.update(_reset_people_and_tree(tree))
    audit_record(
        actor="system",
        action="demo.dataset_reset",
        target_label=f"seed {current.seed}",
        before={"seed": current.seed, "scale": current.scale},
        after=counts,
    )
    say("Reset: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


@transaction.atomic
def _reset_people_and_tree(tree: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    counts["staff"] = StaffMember.objects.all().delete()[1].get(StaffMember._meta.label, 0)
    counts["residents"] = Resident.objects.all().delete()[1].get(Resident._meta.label, 0)
    RoleAssignment.objects.filter(user__is_superuser=True, org_unit__in=tree).delete()
    counts["users"] = User.objects.filter(is_superuser=False).delete()[1].get(User._meta.label, 0)
    try:
        for level in (OrgLevel.COMMUNITY, OrgLevel.SUBDISTRICT, OrgLevel.DISTRICT):
            deleted = tree.filter(level=level).delete()[1]
            counts[f"{level.value}_units"] = deleted.get(OrgUnit._meta.label, 0)
    except ProtectedError as exc:
        models = sorted({obj._meta.label for obj in exc.protected_objects})
        raise ValidationFailed(
            _("还有其他数据引用演示区划（%(models)s），请先删除它们")
            % {"models": ", ".join(models)},
            field="reset",
        ) from exc
    DemoDataset.objects.all().delete()
    return counts
