"""The activity summaries (ActivityMonthSummary / ActivityWeekSummary) equal a full recomputation
after ANY sequence of creates, edits, cancels/restores and spreadsheet imports.

The expected totals are computed here in plain Python from the raw Activity rows (local dates
by ``zoneinfo``), independently of ``culture.activities.summaries``; ``summaries_rebuild`` is
checked against the same expectation.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from culture.activities.models import Activity, ActivityMonthSummary, ActivityWeekSummary
from culture.activities.services import activity_cancel, activity_create, activity_update
from culture.activities.summaries import summaries_rebuild
from culture.activities.tests.factories import venue
from culture.spreadsheets.models import ImportStatus
from culture.spreadsheets.services import import_job_create

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORGANISERS = ("district", "s1", "c11", "c21")
# (kind, its kind-specific fields): an edit to a kind fills its required fields, clears others.
KINDS = ("mass_activity", "performance", "training_class", "lecture", "online_service", "books")
KINDS += ("film", "joint")  # their rows are split by film_age / branch_system
KIND_CODE = {"books": "books_to_grassroots", "film": "film_screening", "joint": "joint_service"}
IMPORT_KINDS = ("mass_activity", "performance", "training_class", "lecture")
BRANDS = ("", "canal_four_seasons", "community_culture_month", "other")
GROUPS = ("for_elderly", "for_minors", "for_disabled", "for_migrant_workers", "for_servicemen")
GROUP_LABELS = {
    "for_elderly": "老年人",
    "for_minors": "未成年人",
    "for_disabled": "残疾人",
    "for_migrant_workers": "外来务工人员",
    "for_servicemen": "军人及退役军人",
}


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


# Month, week and year boundaries in local time (Asia/Shanghai, UTC+8), some given in UTC.
EDGE_STARTS = (
    _local(2024, 12, 31, 23, 30),
    _local(2025, 1, 1, 0, 0),
    _local(2025, 1, 31, 23, 59),
    _local(2025, 2, 1, 0, 0),
    _local(2025, 3, 2, 23, 30),  # a Sunday night
    _local(2025, 3, 3, 0, 0),  # the next Monday
    _local(2025, 12, 28, 23, 30),  # Sunday; the next week starts Mon 29 Dec 2025
    _local(2025, 12, 29, 0, 0),
    datetime(2025, 12, 31, 15, 30, tzinfo=UTC),  # 23:30 on 31 Dec local
    datetime(2025, 12, 31, 16, 0, tzinfo=UTC),  # 00:00 on 1 Jan 2026 local
    _local(2026, 1, 1, 0, 30),
)
starts = st.one_of(
    st.sampled_from(EDGE_STARTS),
    st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2026, 1, 31)).map(  # noqa: DTZ001
        lambda d: d.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
    ),
)
groups = st.sets(st.sampled_from(GROUPS), max_size=3)
# Release dates around the shows' years and the anniversaries that decide a film's age.
releases = st.one_of(
    st.sampled_from((date(2024, 2, 29), date(2023, 2, 28), date(2023, 12, 31), date(2025, 1, 1))),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 6, 30)),
)
systems = st.sampled_from(("library", "culture_centre"))

creates = st.fixed_dictionaries(
    {
        "op": st.just("create"),
        "organiser": st.sampled_from(ORGANISERS),
        "venue": st.sampled_from((0, 1, None)),
        "kind": st.sampled_from(KINDS),
        "start": starts,
        "brand": st.sampled_from(BRANDS),
        "attendance": st.integers(0, 500),
        "online": st.booleans(),
        "groups": groups,
        "partner": st.booleans(),
        "signature": st.booleans(),
        "amount": st.integers(1, 40),
        "release": releases,
        "domestic": st.booleans(),
        "system": systems,
    }
)
edits = st.fixed_dictionaries(
    {"op": st.just("edit"), "target": st.integers(0, 30), "amount": st.integers(1, 40)},
    optional={
        "kind": st.sampled_from(KINDS),
        "organiser": st.sampled_from(ORGANISERS),
        "venue": st.sampled_from((0, 1, None)),
        "start": starts,
        "brand": st.sampled_from(BRANDS),
        "attendance": st.integers(0, 500),
        "online": st.booleans(),
        "groups": groups,
        "signature": st.booleans(),
        "release": releases,
        "domestic": st.booleans(),
        "system": systems,
    },
)
cancels = st.fixed_dictionaries(
    {"op": st.just("cancel"), "target": st.integers(0, 30), "cancelled": st.booleans()}
)
import_rows = st.fixed_dictionaries(
    {
        "update": st.one_of(st.none(), st.integers(0, 30)),  # an earlier imported id, or new
        "external": st.booleans(),  # a new row with an external id, or keyed by the composite
        "organiser": st.sampled_from(ORGANISERS),
        "venue": st.sampled_from((0, None)),
        "kind": st.sampled_from(IMPORT_KINDS),
        "start": starts,
        "attendance": st.integers(0, 500),
        "online": st.booleans(),
        "groups": groups,
        "brand": st.sampled_from(BRANDS),
        "cancelled": st.sampled_from((None, False, True)),
    }
)
imports = st.fixed_dictionaries(
    {"op": st.just("import"), "rows": st.lists(import_rows, min_size=1, max_size=4)}
)
# A few creates first (so edits and cancels have targets), then any mix.
operations = st.tuples(
    st.lists(creates, min_size=1, max_size=3),
    st.lists(st.one_of(creates, edits, cancels, imports), min_size=3, max_size=10),
).map(lambda parts: parts[0] + parts[1])


def _kind_fields(kind: str, op: dict) -> dict:
    code = KIND_CODE.get(kind, kind)
    film = code == "film_screening"
    return {
        "kind": code,
        "sessions": op["amount"] if code == "online_service" else None,
        "books_count": op["amount"] * 10 if code == "books_to_grassroots" else None,
        "film_release_date": op.get("release", date(2024, 1, 1)) if film else None,
        "film_domestic": op.get("domestic", True) if film else None,
        "branch_system": op.get("system", "library") if code == "joint_service" else "",
    }


class World:
    """Runs the operations against the real services and the real importer."""

    def __init__(self, tree: dict, actor) -> None:
        self.units = {k: tree[k] for k in ORGANISERS}
        self.venues = [venue(tree["district"]), venue(tree["c11"])]
        self.actor = actor
        self.made: list[Activity] = []
        self.imported: list[str] = []
        self.n = 0

    def _venue(self, i):
        return None if i is None else self.venues[i]

    def create(self, op: dict) -> None:
        self.n += 1
        fields = _kind_fields(op["kind"], op)
        online = op["online"] or fields["kind"] == "online_service"
        self.made.append(
            activity_create(
                actor=None,
                title=f"活动{self.n}",
                organiser=self.units[op["organiser"]],
                venue=self._venue(op["venue"]),
                start_at=op["start"],
                end_at=op["start"] + timedelta(hours=2),
                brand=op["brand"],
                attendance=op["attendance"],
                online=online,
                partner="运河集团" if op["partner"] else "",
                is_signature=op["signature"],
                **{g: g in op["groups"] for g in GROUPS},
                **fields,
            )
        )

    def edit(self, op: dict) -> None:
        if not self.made:
            return
        current = Activity.objects.get(pk=self.made[op["target"] % len(self.made)].pk)
        changes: dict = {}
        if "kind" in op:
            kind = op["kind"]
            if current.external_id and kind not in IMPORT_KINDS:
                kind = "lecture"  # an import keeps a blank kind field: imported rows stay plain
            changes.update(_kind_fields(kind, op))
        kind = changes.get("kind", current.kind)
        if kind == "film_screening" and "kind" not in op:
            for key, name in (("release", "film_release_date"), ("domestic", "film_domestic")):
                if key in op:
                    changes[name] = op[key]
        if kind == "joint_service" and "kind" not in op and "system" in op:
            changes["branch_system"] = op["system"]
        if "organiser" in op:
            changes["organiser"] = self.units[op["organiser"]]
        if "venue" in op:
            changes["venue"] = self._venue(op["venue"])
        if "start" in op:
            changes.update(start_at=op["start"], end_at=op["start"] + timedelta(hours=1))
        for key, name in (("brand", "brand"), ("attendance", "attendance")):
            if key in op:
                changes[name] = op[key]
        if "signature" in op:
            changes["is_signature"] = op["signature"]
        if "groups" in op:
            changes.update({g: g in op["groups"] for g in GROUPS})
        if kind == "online_service":
            changes["online"] = True
        elif "online" in op:
            changes["online"] = op["online"]
        activity_update(actor=None, activity=current, **changes)

    def cancel(self, op: dict) -> None:
        if self.made:
            target = self.made[op["target"] % len(self.made)]
            activity_cancel(actor=None, activity=target, cancelled=op["cancelled"])

    def import_file(self, op: dict) -> None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["外部编号", "活动名称", "活动类型", "主办单位代码", "场馆编码", "开始时间"]
            + ["结束时间", "线上活动", "参与人次", "服务对象", "品牌活动", "已取消"]
        )
        new_ids: list[str] = []
        in_file: set[str] = set()
        for row in op["rows"]:
            self.n += 1
            updated = ""
            if row["update"] is not None and self.imported:
                updated = self.imported[row["update"] % len(self.imported)]
            if updated and updated not in in_file:
                external = updated
                in_file.add(external)
            elif row["external"]:
                external = f"IMP-{self.n}"
                new_ids.append(external)
            else:
                external = ""
            start = row["start"].astimezone(SHANGHAI)
            writer.writerow(
                [
                    external,
                    f"导入活动{self.n}",
                    row["kind"],
                    self.units[row["organiser"]].code,
                    self.venues[0].code if row["venue"] == 0 else "",
                    f"{start:%Y-%m-%d %H:%M}",
                    f"{start + timedelta(hours=2):%Y-%m-%d %H:%M}",
                    "是" if row["online"] else "否",
                    row["attendance"],
                    "、".join(GROUP_LABELS[g] for g in sorted(row["groups"])),
                    row["brand"],
                    {None: "", True: "是", False: "否"}[row["cancelled"]],
                ]
            )
        upload = SimpleUploadedFile("a.csv", out.getvalue().encode("utf-8-sig"))
        job = import_job_create(actor=self.actor, importer_name="activities", upload=upload)
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE, (job.message, job.errors)
        self.imported += new_ids
        self.made = list(Activity.objects.order_by("pk"))

    def run(self, op: dict) -> None:
        event(op["op"])
        {"create": self.create, "edit": self.edit, "cancel": self.cancel}.get(
            op["op"], self.import_file
        )(op)


# ----- the expectation, in plain Python from the raw rows -------------------------------------
MONTH_SUMS = ("activities", "attendance", "sessions", "books", "online_activities")
MONTH_SUMS += ("online_attendance", "signature", "with_partner", *GROUPS)


def _plus_years(day: date, years: int) -> date:
    if (day.month, day.day) == (2, 29) and not calendar.isleap(day.year + years):
        return date(day.year + years, 2, 28)
    return day.replace(year=day.year + years)


def expected_film_age(shown: date, release: date | None, domestic: bool | None) -> int | None:
    """The fewest N with ``shown <= release + N years`` (domestic films with a release date)."""
    if not domestic or release is None:
        return None
    n = shown.year - release.year - 1  # release + N years falls in the year before the showing
    while shown > _plus_years(release, n):
        n += 1
    return n


def expected_from_raw() -> tuple[dict, dict]:
    months: dict[tuple, Counter] = defaultdict(Counter)
    weeks: dict[tuple, Counter] = defaultdict(Counter)
    for a in Activity.objects.filter(cancelled=False):
        day = a.start_at.astimezone(SHANGHAI).date()
        age = expected_film_age(day, a.film_release_date, a.film_domestic)
        key = (a.organiser_id, a.organiser_path, a.venue_id, a.kind, a.brand, a.branch_system)
        key += (age, day.year, day.month)
        m = months[key]
        m["activities"] += 1
        m["attendance"] += a.attendance
        m["sessions"] += a.sessions or 0
        m["books"] += a.books_count or 0
        m["online_activities"] += int(a.online)
        m["online_attendance"] += a.attendance if a.online else 0
        m["signature"] += int(a.is_signature)
        m["with_partner"] += int(a.partner != "")
        for g in GROUPS:
            m[g] += int(getattr(a, g))
        w = weeks[(a.organiser_id, a.organiser_path, a.kind, day - timedelta(days=day.weekday()))]
        w["activities"] += 1
        w["attendance"] += a.attendance
    full = {k: {f: v[f] for f in MONTH_SUMS} for k, v in months.items()}
    return full, {
        k: {"activities": v["activities"], "attendance": v["attendance"]} for k, v in weeks.items()
    }


def stored() -> tuple[dict, dict]:
    months = {}
    for s in ActivityMonthSummary.objects.all():
        key = (s.organiser_id, s.organiser_path, s.venue_id, s.kind, s.brand, s.branch_system)
        key += (s.film_age, s.year, s.month)
        assert key not in months
        months[key] = {f: getattr(s, f) for f in MONTH_SUMS}
    weeks = {}
    for s in ActivityWeekSummary.objects.all():
        key = (s.organiser_id, s.organiser_path, s.kind, s.week_start)
        assert key not in weeks
        weeks[key] = {"activities": s.activities, "attendance": s.attendance}
    return months, weeks


def assert_summaries_match_raw() -> None:
    months, weeks = expected_from_raw()
    got_months, got_weeks = stored()
    assert got_months == months
    assert got_weeks == weeks


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_time_zone_is_shanghai():
    assert django_settings.TIME_ZONE == "Asia/Shanghai"


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_summaries_equal_a_recomputation_after_any_writes(tree, users, ops):
    with transaction.atomic():
        world = World(tree, users["district"])
        for op in ops:
            world.run(op)
            assert_summaries_match_raw()
        # A full rebuild (all years, then one year) gives the same summaries.
        summaries_rebuild()
        assert_summaries_match_raw()
        summaries_rebuild(years=[2025])
        assert_summaries_match_raw()
        transaction.set_rollback(True)


def test_last_half_hour_of_the_year_counts_in_december_local_time(tree):
    world = World(tree, None)
    for start in (EDGE_STARTS[8], EDGE_STARTS[9]):  # 15:30 and 16:00 UTC on 31 Dec 2025
        world.create(
            {
                "organiser": "c11",
                "venue": None,
                "kind": "mass_activity",
                "start": start,
                "brand": "",
                "attendance": 40,
                "online": False,
                "groups": set(),
                "partner": False,
                "signature": False,
                "amount": 1,
            }
        )
    months = sorted(
        ActivityMonthSummary.objects.values_list("year", "month", "activities", "attendance")
    )
    assert months == [(2025, 12, 1, 40), (2026, 1, 1, 40)]
    # Both fall in the week of Monday 29 December 2025 (a week belongs to its Monday).
    weeks = list(ActivityWeekSummary.objects.values_list("week_start", "activities", "attendance"))
    assert weeks == [(date(2025, 12, 29), 2, 80)]
    # Moving the later one back a day empties January, and cancelling the other leaves one.
    activity_update(
        actor=None,
        activity=world.made[1],
        start_at=_local(2025, 12, 31, 8, 0),
        end_at=_local(2025, 12, 31, 9, 0),
    )
    activity_cancel(actor=None, activity=world.made[0])
    assert list(ActivityMonthSummary.objects.values_list("year", "month", "activities")) == [
        (2025, 12, 1)
    ]
    assert list(ActivityWeekSummary.objects.values_list("week_start", "activities")) == [
        (date(2025, 12, 29), 1)
    ]


@pytest.mark.parametrize(
    ("shown", "release", "age"),
    [
        (date(2025, 5, 1), date(2023, 5, 1), 2),  # two years to the day
        (date(2025, 5, 2), date(2023, 5, 1), 3),
        (date(2026, 2, 28), date(2024, 2, 29), 2),  # 29 Feb + 2 years is 28 Feb
        (date(2026, 3, 1), date(2024, 2, 29), 3),
        (date(2028, 2, 29), date(2024, 2, 29), 4),
        (date(2025, 5, 1), date(2025, 6, 1), 0),  # a premiere before the release
        (date(2025, 1, 1), date(2024, 12, 31), 1),
    ],
)
def test_film_age_at_the_anniversaries(tree, shown, release, age):
    world = World(tree, None)
    op = {"organiser": "c11", "venue": None, "kind": "film", "brand": "", "attendance": 10}
    op.update(online=False, groups=set(), partner=False, signature=False, amount=1)
    world.create(
        {**op, "start": _local(shown.year, shown.month, shown.day, 19), "release": release}
    )
    world.create(
        {
            **op,
            "start": _local(shown.year, shown.month, shown.day, 20),
            "release": release,
            "domestic": False,
        }
    )
    rows = ActivityMonthSummary.objects.values_list("film_age", "activities").order_by("film_age")
    assert sorted(rows, key=lambda r: (r[0] is None, r)) == [(age, 1), (None, 1)]
    assert expected_film_age(shown, release, True) == age
