from __future__ import annotations

from culture.core.scope import viewer_scope
from culture.demo.models import DemoDataset


def platform(request):
    user = getattr(request, "user", None)
    elderly = request.COOKIES.get("elderly") == "1" or bool(
        user is not None and user.is_authenticated and user.elderly_mode
    )
    return {
        "scope": viewer_scope(user),
        "elderly_mode": elderly,
        "demo_dataset": DemoDataset.current(),
    }
