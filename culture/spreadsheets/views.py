from __future__ import annotations

from django.contrib.auth.decorators import login_required


@login_required
def import_home(request):
    raise NotImplementedError
