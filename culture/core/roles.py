"""The staff roles of the product brief. A user may hold several, each bound to an org unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNITY_WORKER = "community_worker", _("社区文化专干")
    SUBDISTRICT_OFFICER = "subdistrict_officer", _("街道文化站干部")
    VENUE_MANAGER = "venue_manager", _("场馆管理员")
    DISTRICT_OFFICER = "district_officer", _("区文旅局干部")
    EVALUATOR = "evaluator", _("第三方评估员")


# Roles that see every org unit.
DISTRICT_WIDE_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.EVALUATOR})
# Roles that may change data (within their scope). Evaluators only read.
WRITING_ROLES = frozenset(
    {Role.COMMUNITY_WORKER, Role.SUBDISTRICT_OFFICER, Role.VENUE_MANAGER, Role.DISTRICT_OFFICER}
)
