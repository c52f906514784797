"""Named definitions: district officers change and reset them (audited, recomputed), others
read; a change changes results (the off-peak window and a venue's off-peak share)."""

# ruff: noqa: F811 (the shared fixtures are imported, then named as test arguments)

from __future__ import annotations

import pytest
from django.utils import timezone

from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.models import AuditEntry
from culture.standards import engine
from culture.standards.calculators import Measure
from culture.standards.catalogue.types import SHARE, VENUE, Indicator, always
from culture.standards.engine import current_definitions, evaluate_compute
from culture.standards.models import NamedDefinition
from culture.standards.services.definitions import definition_reset, definition_set
from culture.standards.tests.reporting_fixtures import evaluations, officers  # noqa: F401
from culture.venues.models import Venue
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db


def test_a_district_officer_sets_a_definition_audited_and_recomputed(users, evaluations):
    row = definition_set(actor=users["district"], key="offpeak_end", value=" 18:00 ")
    assert (row.value, row.updated_by) == ("18:00", users["district"])
    assert current_definitions()["offpeak_end"] == "18:00"
    entry = AuditEntry.objects.get(action="standards.definition_changed")
    assert (entry.before, entry.after) == (
        {"key": "offpeak_end", "value": "17:00"},
        {"key": "offpeak_end", "value": "18:00"},
    )
    assert evaluations == [([timezone.localdate().year], "definitions")]


def test_setting_the_same_value_again_changes_nothing(users, evaluations):
    definition_set(actor=users["district"], key="active_team_window_days", value="180")
    definition_set(actor=users["district"], key="active_team_window_days", value=180)
    assert AuditEntry.objects.filter(action="standards.definition_changed").count() == 1
    assert len(evaluations) == 1


def test_reset_goes_back_to_the_default_and_is_audited(users, evaluations):
    definition_set(actor=users["district"], key="offpeak_start", value="08:30")
    definition_reset(actor=users["district"], key="offpeak_start")
    assert not NamedDefinition.objects.exists()
    assert current_definitions()["offpeak_start"] == "09:00"
    last = AuditEntry.objects.filter(action="standards.definition_changed").latest("id")
    assert (last.before["value"], last.after["value"]) == ("08:30", "09:00")
    assert len(evaluations) == 2


@pytest.mark.parametrize("role", ["subdistrict", "community", "evaluator"])
def test_only_district_officers_change_definitions(users, role):
    with pytest.raises(OutOfScope, match="只能由区文旅局干部修改"):
        definition_set(actor=users[role], key="offpeak_end", value="18:00")
    with pytest.raises(OutOfScope):
        definition_reset(actor=users[role], key="offpeak_end")
    assert not NamedDefinition.objects.exists()


@pytest.mark.parametrize(
    "key,value,message",
    [
        ("offpeak_end", "25:00", "无效"),
        ("offpeak_end", "08:00", "开始时间（09:00）应早于结束时间（08:00）"),
        ("active_team_min_activities", "-2", "无效"),
        ("school_terms", [{"name": "春", "start": "2025-06-30", "end": "2025-02-17"}], "无效"),
    ],
)
def test_bad_values_are_refused_with_a_message(users, key, value, message):
    with pytest.raises(ValidationFailed, match=message) as excinfo:
        definition_set(actor=users["district"], key=key, value=value)
    assert excinfo.value.field == "value"
    assert not NamedDefinition.objects.exists()


def test_an_unknown_definition_is_not_found(users):
    with pytest.raises(NotFound):
        definition_set(actor=users["district"], key="no_such_thing", value="1")


def test_school_terms_are_stored_sorted(users):
    terms = [
        {"name": "秋季学期", "start": "2025-09-01", "end": "2026-01-20"},
        {"name": "春季学期", "start": "2025-02-17", "end": "2025-06-30"},
    ]
    row = definition_set(actor=users["district"], key="school_terms", value=terms)
    assert [t["name"] for t in row.value] == ["春季学期", "秋季学期"]


# ----- a definition change changes results -------------------------------------------------------
def offpeak_share_of_a_long_day(ctx, level):
    """Test calculator (the role S23 plays): every venue is open 08:00-21:00 on working days
    only; its off-peak share is the part of those 13 hours outside the core window that
    ctx.definitions holds."""
    start = int(ctx.definitions["offpeak_start"][:2])
    end = int(ctx.definitions["offpeak_end"][:2])
    offpeak = max(start - 8, 0) + max(21 - end, 0)
    return {v: Measure(offpeak / 13) for v in Venue.objects.values_list("id", flat=True)}


def test_changing_the_offpeak_window_changes_a_venues_share(tree, users, monkeypatch):
    s23 = Indicator(
        id="X23",
        clause="附件 23",
        quote_zh="错时开放时间不少于开放总时长的1/3",
        title_zh="错时开放占比",
        title_en="Off-peak share",
        levels=(VENUE,),
        unit=SHARE,
        thresholds={VENUE: always(1 / 3)},
        uses_definitions=("offpeak_start", "offpeak_end"),
        calculator=offpeak_share_of_a_long_day,
    )
    monkeypatch.setattr(engine, "CATALOGUE", {"X23": s23})
    place = make_venue(operator=tree["s1"], code="V-23")

    def venue_row():
        _ctx, rows = evaluate_compute(2025)
        [row] = [r for r in rows if r.venue_id == place.pk]
        return row.value, row.status

    # Core 09:00-17:00 (default): 1 h before + 4 h after of 13 h = 5/13 = 38 %, at least 1/3.
    assert venue_row() == (pytest.approx(5 / 13), "met")
    definition_set(actor=users["district"], key="offpeak_end", value="19:00")
    # Core 09:00-19:00: 1 h + 2 h of 13 h = 3/13 = 23 %, short of 1/3.
    assert venue_row() == (pytest.approx(3 / 13), "not_met")
    definition_set(actor=users["district"], key="offpeak_start", value="10:00")
    # Core 10:00-19:00: 2 h + 2 h of 13 h = 4/13 = 31 %, still short.
    assert venue_row() == (pytest.approx(4 / 13), "not_met")
    definition_reset(actor=users["district"], key="offpeak_end")
    # Core 10:00-17:00: 2 h + 4 h = 6/13 = 46 %.
    assert venue_row() == (pytest.approx(6 / 13), "met")


# ----- the page ----------------------------------------------------------------------------------
PAGE = "/standards/definitions/"


def test_everyone_on_the_staff_reads_the_definitions_page(users, login):
    body = login(users["community"]).get(PAGE).content.decode()
    assert "错时开放：工作日核心时段开始" in body and "09:00" in body
    assert "/standards/definitions/offpeak_start/" not in body  # no edit form


def test_a_district_officer_edits_and_resets_on_the_page(users, login):
    client = login(users["district"])
    assert 'action="/standards/definitions/offpeak_end/"' in client.get(PAGE).content.decode()
    response = client.post("/standards/definitions/offpeak_end/", {"value": "18:30"})
    assert response.status_code == 302
    body = client.get(PAGE).content.decode()
    assert "18:30" in body and "已修改" in body and "恢复默认值" in body
    client.post("/standards/definitions/offpeak_end/reset/")
    assert not NamedDefinition.objects.exists()


def test_a_bad_value_on_the_page_is_shown_next_to_the_field(users, login):
    response = login(users["district"]).post(
        "/standards/definitions/offpeak_end/", {"value": "08:00"}
    )
    assert response.status_code == 422
    assert "开始时间（09:00）应早于结束时间（08:00）" in response.content.decode()
    assert not NamedDefinition.objects.exists()


def test_school_terms_are_edited_one_per_line(users, login):
    client = login(users["district"])
    text = "春季学期, 2025-02-17, 2025-06-30\n秋季学期，2025-09-01，2026-01-20\n"
    assert client.post("/standards/definitions/school_terms/", {"value": text}).status_code == 302
    assert NamedDefinition.objects.get(key="school_terms").value == [
        {"name": "春季学期", "start": "2025-02-17", "end": "2025-06-30"},
        {"name": "秋季学期", "start": "2025-09-01", "end": "2026-01-20"},
    ]
    bad = client.post("/standards/definitions/school_terms/", {"value": "春季学期 2025-02-17"})
    assert (
        bad.status_code == 422 and "第 1 行应为“名称, 开始日期, 结束日期”" in bad.content.decode()
    )


@pytest.mark.parametrize("role", ["subdistrict", "evaluator"])
def test_others_cannot_post_a_definition(users, login, role):
    client = login(users[role])
    assert client.post("/standards/definitions/offpeak_end/", {"value": "18:00"}).status_code == 403
    assert client.post("/standards/definitions/offpeak_end/reset/").status_code == 403
    assert not NamedDefinition.objects.exists()
