from __future__ import annotations

from django.contrib.auth.decorators import login_required


@login_required
def tree(request):
    raise NotImplementedError
