"""Django admin: district officers only, saves through the audited services, no deletes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.accounts.tests.factories import staff_user
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.teams.models import CulturalTeam
from culture.teams.tests.factories import development, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(tree):
    return staff_user(Role.DISTRICT_OFFICER, is_staff=True)


def test_a_team_change_in_the_admin_goes_through_the_service(tree, officer, login):
    t = team("T-A", tree["c11"], name="旧名团")
    data = {
        "name": "新名团",
        "kind": "dance",
        "org_unit": str(tree["c12"].pk),
        "members_count": "12",
        "leader_name": "",
        "rehearsal_venue": "",
        "rehearsal_place": "",
        "founded_on": "2015-03-01",
        "is_active": "on",
        "last_active_on": "",
        "_save": "Save",
    }
    response = login(officer).post(reverse("admin:teams_culturalteam_change", args=[t.pk]), data)
    assert response.status_code == 302
    changed = CulturalTeam.objects.get(pk=t.pk)
    assert (changed.name, changed.kind, changed.org_unit) == ("新名团", "dance", tree["c12"])
    assert AuditEntry.objects.filter(action="teams.team_updated", target_id=str(t.pk)).count() == 1


def test_the_admin_is_closed_to_other_roles_and_never_deletes(tree, users, officer, login):
    t = team("T-B", tree["c11"])
    sub = staff_user(Role.SUBDISTRICT_OFFICER, tree["s1"], is_staff=True)
    refused = login(sub).get(reverse("admin:teams_culturalteam_changelist"))
    assert refused.status_code in (302, 403) and "旧名团" not in refused.content.decode()
    client = login(officer)
    assert client.get(reverse("admin:teams_culturalteam_delete", args=[t.pk])).status_code == 403
    assert client.get(reverse("admin:org_residentialdevelopment_changelist")).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/teams/", "/org/developments/", "/teams/organisations/"])
def test_list_pages_keep_their_query_count_as_data_grows(tree, users, login, url):
    client = login(users["district"])
    for i in range(5):
        team(f"T-{i}", tree["c11" if i % 2 else "c21"], kind="choir" if i % 2 else "xiqu")
        development(f"D-{i}", tree["c12"])
    small = _queries(client, url)
    for i in range(5, 10):
        team(f"T-{i}", tree["c12"], kind="photography")
        development(f"D-{i}", tree["c22"])
    assert _queries(client, url) == small
