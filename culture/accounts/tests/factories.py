from __future__ import annotations

import factory
from django.contrib.auth.models import Permission

from culture.accounts.models import RoleAssignment, User
from culture.core.roles import Role
from culture.org.models import OrgUnit
from culture.org.tests.factories import district

PASSWORD = "a-long-test-password-1"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff_user(role: str, unit: OrgUnit | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role in (Role.DISTRICT_OFFICER, Role.EVALUATOR) and unit is None:
        unit = district()
    RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


def grant_reveal(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="reveal_personal_number"))
    return User.objects.get(pk=user.pk)
