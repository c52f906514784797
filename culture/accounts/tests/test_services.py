"""Services: validation messages, duplicates, role rules, scope refusals, masked audit entries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from culture.accounts import services
from culture.accounts.models import Resident, RoleAssignment, StaffMember, User
from culture.accounts.tests.factories import PASSWORD, grant_reveal
from culture.core.errors import FieldErrors, OutOfScope
from culture.core.models import AuditEntry
from culture.core.roles import Role
from culture.venues.tests.factories import give_boundaries, venue

ID_1990 = "330105199001011233"  # valid check digit, born 1990-01-01
ID_1945 = "330105194506070041"  # born 1945: before 330105 existed (1983), still a real number
ID_LEAP = "330105200002290022"  # born 2000-02-29
PHONE = "13912345678"


def register(actor, **kw):
    args = {"name": "张三", "phone": PHONE, "password": PASSWORD, "id_number": ID_1990}
    args.update(kw)
    return services.resident_register(actor=actor, **args)


def all_audit_text() -> str:
    return json.dumps(
        [[e.actor_label, e.target_label, e.before, e.after] for e in AuditEntry.objects.all()],
        ensure_ascii=False,
    )


# ----- ID numbers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "身份证号不能为空"),
        ("33010519900101123", "身份证号应为18位，现为17位"),
        ("3301051990010112333", "身份证号应为18位，现为19位"),
        ("33010519900101123A", "身份证号前17位应为数字，最后一位为数字或X"),
        ("330105199001011234", "身份证号校验位不正确（最后一位），请核对号码"),
        ("330105199002301235", "身份证号中的出生日期（第7-14位）不是有效日期"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(users, raw, message):
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], id_number=raw)
    assert [str(m) for m in exc.value.errors["id_number"]] == [message]
    assert not Resident.objects.exists()


def test_id_number_born_in_the_future_is_refused(users):
    future = "330105209901010013"  # valid check digit, born 2099-01-01
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], id_number=future)
    assert "出生日期" in str(exc.value.errors["id_number"][0])


@pytest.mark.parametrize(
    "number", [ID_1990, ID_1945, ID_LEAP, "33010519900101123 3".replace(" ", "")]
)
def test_valid_id_numbers_are_accepted_and_stored_masked(users, number):
    resident = register(users["district"], id_number=number)
    assert resident.id_number_masked == number[:6] + "********" + number[-4:]
    assert number not in resident.id_number_enc
    assert (
        services.personal_number_reveal(
            actor=grant_reveal(users["district"]), resident=resident, field="id_number"
        )
        == number
    )


def test_several_field_errors_are_reported_together(users):
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], name="", phone="12345", id_number="1", password="123")
    assert set(exc.value.errors) == {"name", "phone", "id_number", "password"}
    assert str(exc.value.errors["phone"][0]) == "手机号应为以1开头的11位数字"


def test_duplicate_id_number_and_phone_are_refused(users):
    register(users["district"])
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], phone="13900000000")
    assert [str(m) for m in exc.value.errors["id_number"]] == ["该身份证号已登记过居民账号"]
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], id_number=ID_1945)
    assert [str(m) for m in exc.value.errors["phone"]] == ["该手机号已注册，请直接登录"]
    assert Resident.objects.count() == 1


def test_weak_password_is_refused_with_django_validators(users):
    with pytest.raises(FieldErrors) as exc:
        register(users["district"], password="12345678")
    messages = " ".join(str(m) for m in exc.value.errors["password"])
    assert "10" in messages  # too short (minimum 10)


# ----- users and roles -----------------------------------------------------------------------
def test_district_officer_creates_user_with_two_roles(users, tree):
    user, status = services.user_upsert(
        actor=users["district"],
        username="wang",
        display_name="王五",
        password=PASSWORD,
        roles=[(Role.SUBDISTRICT_OFFICER, tree["s1"]), (Role.COMMUNITY_WORKER, tree["c21"])],
        phone="13812345678",
    )
    assert status == "created"
    assert sorted(
        RoleAssignment.objects.filter(user=user, active=True).values_list("role", "org_unit__code")
    ) == [("community_worker", tree["c21"].code), ("subdistrict_officer", tree["s1"].code)]
    assert user.check_password(PASSWORD)
    assert user.phone_masked == "138****5678"
    entry = AuditEntry.objects.get(action="accounts.user_created")
    assert entry.after["phone_masked"] == "138****5678"
    assert "13812345678" not in all_audit_text()


def test_user_upsert_unchanged_and_role_replacement(users, tree):
    args = {
        "actor": users["district"],
        "username": "li",
        "display_name": "李",
        "roles": [(Role.COMMUNITY_WORKER, tree["c11"])],
    }
    services.user_upsert(**args)
    assert services.user_upsert(**args)[1] == "unchanged"
    user, status = services.user_upsert(**{**args, "roles": [(Role.COMMUNITY_WORKER, tree["c12"])]})
    assert status == "updated"
    assert list(
        user.role_assignments.filter(active=True).values_list("org_unit__code", flat=True)
    ) == [tree["c12"].code]
    assert AuditEntry.objects.filter(action="accounts.user_updated").count() == 1


@pytest.mark.parametrize("who", ["subdistrict", "community", "evaluator"])
def test_only_district_officers_manage_users(users, who, tree):
    with pytest.raises(OutOfScope):
        services.user_upsert(
            actor=users[who], username="x1", roles=[(Role.COMMUNITY_WORKER, tree["c11"])]
        )
    with pytest.raises(OutOfScope):
        services.user_deactivate(actor=users[who], user=users["community"])
    with pytest.raises(OutOfScope):
        register(users[who])
    assert not User.objects.filter(username="x1").exists()


def test_role_must_match_unit_level(users, tree):
    with pytest.raises(FieldErrors) as exc:
        services.user_upsert(
            actor=users["district"], username="bad", roles=[(Role.SUBDISTRICT_OFFICER, tree["c11"])]
        )
    assert "只能绑定到街道级单位" in str(exc.value.errors["roles"][0])
    with pytest.raises(FieldErrors) as exc:
        services.user_upsert(actor=users["district"], username="bad", roles=[("king", tree["s1"])])
    assert str(exc.value.errors["roles"][0]) == "未知角色：king"


def test_username_rules(users):
    with pytest.raises(FieldErrors) as exc:
        services.user_upsert(actor=users["district"], username="13800000009")
    assert "不能是手机号格式" in str(exc.value.errors["username"][0])
    with pytest.raises(FieldErrors):
        services.user_upsert(actor=users["district"], username="a b")


def test_user_phone_duplicate_refused(users):
    services.user_upsert(actor=users["district"], username="a1", phone="13700000001")
    with pytest.raises(FieldErrors) as exc:
        services.user_upsert(actor=users["district"], username="a2", phone="13700000001")
    assert str(exc.value.errors["phone"][0]) == "该手机号已被其他账号使用"


def test_district_officer_cannot_deactivate_self_and_deactivation_is_audited(users):
    with pytest.raises(Exception, match="不能停用自己的账号"):
        services.user_deactivate(actor=users["district"], user=users["district"])
    services.user_deactivate(actor=users["district"], user=users["community"])
    users["community"].refresh_from_db()
    assert not users["community"].is_active
    assert AuditEntry.objects.filter(
        action="accounts.user_deactivated", target_id=str(users["community"].pk)
    ).exists()


def test_role_add_and_remove(users, tree):
    ra = services.role_assignment_add(
        actor=users["district"],
        user=users["community"],
        role=Role.COMMUNITY_WORKER,
        org_unit=tree["c12"],
    )
    assert ra.active
    services.role_assignment_remove(actor=users["district"], assignment=ra)
    ra.refresh_from_db()
    assert not ra.active
    assert [
        e.action
        for e in AuditEntry.objects.filter(action__startswith="accounts.role_").order_by("id")
    ] == ["accounts.role_added", "accounts.role_removed"]


def test_set_password_uses_validators(users):
    with pytest.raises(FieldErrors):
        services.user_set_password(
            actor=users["district"], user=users["community"], password="password"
        )
    services.user_set_password(
        actor=users["district"], user=users["community"], password="Another-long-pass-9"
    )
    users["community"].refresh_from_db()
    assert users["community"].check_password("Another-long-pass-9")


# ----- staff ---------------------------------------------------------------------------------
def test_staff_upsert_in_scope_with_training(users, tree):
    staff, status = services.staff_member_upsert(
        actor=users["community"],
        staff_number="C001",
        name="赵六",
        org_unit=tree["c11"],
        is_professional=True,
        phone="13911112222",
        training={2025: Decimal("4.5"), 2026: "6"},
    )
    assert status == "created"
    assert {t.year: t.days for t in staff.training.all()} == {
        2025: Decimal("4.5"),
        2026: Decimal("6.0"),
    }
    _s, status = services.staff_member_upsert(
        actor=users["community"],
        staff_number="C001",
        name="赵六",
        org_unit=tree["c11"],
        is_professional=True,
        phone="13911112222",
        training={2025: Decimal("4.5")},
    )
    assert status == "unchanged"
    services.staff_training_set(actor=users["subdistrict"], staff=staff, year=2026, days=None)
    assert list(staff.training.values_list("year", flat=True)) == [2025]
    assert "13911112222" not in all_audit_text()
    assert (
        AuditEntry.objects.get(action="accounts.staff_created").after["phone_masked"]
        == "139****2222"
    )


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("community", "c12"),
        ("community", "s1"),
        ("subdistrict", "c21"),
        ("subdistrict", "district"),
        ("evaluator", "c11"),
    ],
)
def test_staff_upsert_out_of_scope_is_refused(users, tree, who, unit):
    with pytest.raises(OutOfScope):
        services.staff_member_upsert(
            actor=users[who], staff_number="X1", name="某", org_unit=tree[unit]
        )
    assert not StaffMember.objects.exists()


def test_staff_cannot_be_moved_out_of_a_foreign_unit(users, tree):
    services.staff_member_upsert(actor=None, staff_number="W1", name="某", org_unit=tree["c21"])
    with pytest.raises(OutOfScope):
        services.staff_member_upsert(
            actor=users["subdistrict"], staff_number="W1", name="某", org_unit=tree["c11"]
        )
    assert StaffMember.objects.get().org_unit == tree["c21"]


def test_training_days_are_validated(users, tree):
    with pytest.raises(FieldErrors) as exc:
        services.staff_member_upsert(
            actor=users["community"],
            staff_number="T1",
            name="某",
            org_unit=tree["c11"],
            training={2026: "400"},
        )
    assert str(exc.value.errors["training"][0]) == "培训天数应在0至366之间"


# ----- reveal --------------------------------------------------------------------------------
def test_reveal_needs_the_permission_and_is_audited(users):
    resident = register(users["district"], ssc_card_no="A12345678")
    with pytest.raises(OutOfScope):
        services.personal_number_reveal(
            actor=users["district"], resident=resident, field="id_number"
        )
    with pytest.raises(OutOfScope):
        services.personal_number_reveal(actor=users["evaluator"], resident=resident, field="phone")
    assert AuditEntry.objects.filter(action="accounts.personal_number_reveal_refused").count() == 2
    officer = grant_reveal(users["district"])
    assert services.personal_number_reveal(actor=officer, resident=resident, field="phone") == PHONE
    assert (
        services.personal_number_reveal(actor=officer, resident=resident, field="ssc_card_no")
        == "A12345678"
    )
    entries = AuditEntry.objects.filter(action="accounts.personal_number_revealed").order_by("id")
    assert [e.after for e in entries] == [
        {"field": "phone", "masked": "139****5678"},
        {"field": "ssc_card_no", "masked": "*****5678"},
    ]
    text = all_audit_text()
    assert PHONE not in text and ID_1990 not in text and "A12345678" not in text


def test_reveal_permission_without_district_role_does_nothing(users):
    resident = register(users["district"])
    sub = grant_reveal(users["subdistrict"])
    with pytest.raises(OutOfScope):
        services.personal_number_reveal(actor=sub, resident=resident, field="id_number")


def test_no_plaintext_number_in_any_audit_row_after_a_full_workflow(users, tree):
    officer = grant_reveal(users["district"])
    resident = register(officer, id_number=ID_LEAP, phone="13655556666")
    services.resident_update(actor=officer, resident=resident, name="张三丰", community=tree["c12"])
    services.personal_number_reveal(actor=officer, resident=resident, field="id_number")
    services.user_upsert(actor=officer, username="p1", phone="13544443333")
    services.staff_member_upsert(
        actor=officer, staff_number="Z9", name="某", org_unit=tree["c11"], phone="13322221111"
    )
    text = all_audit_text()
    for number in (ID_LEAP, "13655556666", "13544443333", "13322221111"):
        assert number not in text
    assert "330105********0022" in text


def test_district_officer_cannot_drop_own_officer_role(users, tree):
    me = users["district"]
    with pytest.raises(FieldErrors) as exc:
        services.user_upsert(actor=me, username=me.username, roles=[(Role.EVALUATOR, None)])
    assert str(exc.value.errors["roles"][0]) == "不能移除自己的区文旅局干部角色"
    _user, status = services.user_upsert(
        actor=me,
        username=me.username,
        display_name="新名字",
        roles=[(Role.DISTRICT_OFFICER, None), (Role.EVALUATOR, None)],
    )
    assert status == "updated"


def test_audit_log_names_residents_masked(users, tree):
    officer = grant_reveal(users["district"])
    resident = register(officer, name="欧阳娜娜")
    services.resident_update(actor=officer, resident=resident, community=tree["c11"])
    services.personal_number_reveal(actor=officer, resident=resident, field="phone")
    services.user_deactivate(actor=officer, user=resident.user)
    assert "欧阳娜娜" not in all_audit_text()
    labels = set(
        AuditEntry.objects.filter(action__startswith="accounts.").values_list(
            "target_label", flat=True
        )
    )
    assert labels == {f"欧***（居民#{resident.pk}）"}


@pytest.mark.django_db
def test_role_assignments_are_unique_per_unit_and_per_venue(tree, users):
    user = users["community"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_WORKER, org_unit=tree["c11"])
    # a venue manager of two venues run by the same unit holds two assignments
    give_boundaries()
    first = venue(operator=tree["s1"])
    second = venue(operator=tree["s1"])
    manager = users["district"]
    for v in (first, second):
        RoleAssignment.objects.create(
            user=manager, role=Role.VENUE_MANAGER, org_unit=tree["s1"], venue=v
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=manager, role=Role.VENUE_MANAGER, org_unit=tree["s1"], venue=first
        )
