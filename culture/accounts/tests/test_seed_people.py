import io
import random

from django.test import RequestFactory
from stdnum.cn import ric

from culture.accounts.backends import UsernameOrPhoneBackend
from culture.accounts.models import Resident, StaffMember, User
from culture.core.models import AuditEntry
from culture.core.personal import normalize_id_number
from culture.core.scope import viewer_scope
from culture.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from culture.demo.seed_people import seed_people, synthetic_id_number


def test_synthetic_id_numbers_are_valid_and_in_range():
    rng = random.Random(1)
    for _ in range(200):
        number = synthetic_id_number(rng)
        assert ric.calc_check_digit(number) == number[-1]
        assert normalize_id_number(number) == number
        assert number.startswith("330105")
        assert 1940 <= int(number[6:10]) <= 2010


def test_seed_people_creates_demo_logins_staff_and_residents(tree):
    seed_people(rng=random.Random(42), stdout=io.StringIO())
    for login in DEMO_LOGINS:
        request = RequestFactory().post("/accounts/login/")
        user = UsernameOrPhoneBackend().authenticate(
            request, username=login["username"], password=DEMO_PASSWORD
        )
        assert user is not None, login["username"]
    district = User.objects.get(username="district")
    assert viewer_scope(district).can_reveal
    hushu = User.objects.get(username="hushu")
    assert viewer_scope(hushu).write_paths == (tree["s1"].path,)
    community = User.objects.get(username="community")
    assert viewer_scope(community).write_paths == (tree["c11"].path,)
    assert Resident.objects.count() == 300
    # 1-4 per community (4 communities), 6-15 per subdistrict (2), ~20 at district level
    per_unit = {u.code: StaffMember.objects.filter(org_unit=u).count() for u in tree.values()}
    assert 18 <= per_unit["330105"] <= 22
    assert all(6 <= per_unit[tree[k].code] <= 15 for k in ("s1", "s2"))
    assert all(1 <= per_unit[tree[k].code] <= 4 for k in ("c11", "c12", "c21", "c22"))
    assert (
        StaffMember.objects.filter(training__isnull=False).distinct().count()
        == StaffMember.objects.count()
    )
    # the audit log holds no plaintext numbers
    blob = " ".join(str(e.before) + str(e.after) + e.target_label for e in AuditEntry.objects.all())
    assert "13800000001" not in blob and "330105195803150026" not in blob


def test_seed_people_is_deterministic_and_rerunnable(tree):
    seed_people(rng=random.Random(7), stdout=io.StringIO())
    first = sorted(StaffMember.objects.values_list("staff_number", "name", "is_professional"))
    residents = sorted(Resident.objects.values_list("name", "id_number_masked"))
    seed_people(rng=random.Random(7), stdout=io.StringIO())
    assert (
        sorted(StaffMember.objects.values_list("staff_number", "name", "is_professional")) == first
    )
    assert sorted(Resident.objects.values_list("name", "id_number_masked")) == residents
