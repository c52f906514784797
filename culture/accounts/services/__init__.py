"""Writes to users, roles, staff records and residents. Every change is scoped and audited.

Rules:
- only district officers (and superusers) manage user accounts and roles (``users``);
- subdistrict officers and community workers manage the staff records of units in their scope
  (``staff``);
- residents register themselves (phone + password + name + ID number, confirmed with a one-time
  SMS code) or are registered by a district officer (``residents``);
- personal numbers are validated, stored encrypted with a look-up hash, and only their masked
  form ever reaches the audit log.
"""

from culture.accounts.services.common import ROLE_LEVEL, Status, require_user_admin
from culture.accounts.services.residents import (
    REVEAL_FIELDS,
    SMS_CODE_MAX_ATTEMPTS,
    SMS_CODE_TTL,
    pending_signup_user,
    personal_number_reveal,
    resident_register,
    resident_signup_resend,
    resident_signup_start,
    resident_signup_verify,
    resident_update,
)
from culture.accounts.services.staff import (
    staff_member_deactivate,
    staff_member_upsert,
    staff_training_set,
)
from culture.accounts.services.users import (
    role_assignment_add,
    role_assignment_remove,
    user_deactivate,
    user_reactivate,
    user_set_elderly_mode,
    user_set_password,
    user_set_reveal_permission,
    user_upsert,
    username_problems,
)

__all__ = [
    "REVEAL_FIELDS",
    "ROLE_LEVEL",
    "SMS_CODE_MAX_ATTEMPTS",
    "SMS_CODE_TTL",
    "Status",
    "pending_signup_user",
    "personal_number_reveal",
    "require_user_admin",
    "resident_register",
    "resident_signup_resend",
    "resident_signup_start",
    "resident_signup_verify",
    "resident_update",
    "role_assignment_add",
    "role_assignment_remove",
    "staff_member_deactivate",
    "staff_member_upsert",
    "staff_training_set",
    "user_deactivate",
    "user_reactivate",
    "user_set_elderly_mode",
    "user_set_password",
    "user_set_reveal_permission",
    "user_upsert",
    "username_problems",
]
