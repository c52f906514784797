"""An import killed half way (kill -9 of the worker) leaves all rows or none, and can be rerun."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from culture.org.models import OrgUnit
from culture.spreadsheets.models import ImportJob, ImportStatus
from culture.spreadsheets.services import import_job_run
from culture.spreadsheets.tests.helpers import ORG_HEADERS, community_rows, xlsx_bytes

WORKER = textwrap.dedent("""
    import json, os, signal, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from django.conf import settings
    db, media, job_id = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    settings.DATABASES["default"].update(db)
    settings.MEDIA_ROOT = media
    import django
    django.setup()
    from culture.org.importers import OrgUnitImporter
    from culture.spreadsheets.services import import_job_run
    original = OrgUnitImporter.save_row
    calls = {"n": 0}
    def save_then_die(self, row, *, actor, request):
        calls["n"] += 1
        if calls["n"] == 500:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, row, actor=actor, request=request)
    OrgUnitImporter.save_row = save_then_die
    import_job_run(job_id=job_id)
""")


@pytest.mark.django_db(transaction=True)
def test_kill_9_during_saving_leaves_nothing_and_a_rerun_imports_everything(tree, users):
    before = OrgUnit.objects.count()
    stored = default_storage.save(
        "imports/kill.xlsx",
        ContentFile(xlsx_bytes(ORG_HEADERS, community_rows(tree["s1"].code, 800, start=3))),
    )
    job = ImportJob.objects.create(
        user=users["district"],
        importer="org_units",
        original_name="kill.xlsx",
        kind="xlsx",
        file=stored,
    )
    db = {
        k: connection.settings_dict[k]
        for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    }
    root = Path(settings.BASE_DIR)
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER, json.dumps(db), str(settings.MEDIA_ROOT), str(job.pk)],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    assert OrgUnit.objects.count() == before  # the half-done transaction is gone
    job.refresh_from_db()
    assert job.status == ImportStatus.SAVING  # what the page shows: not finished
    assert default_storage.exists(stored)

    import_job_run(job_id=str(job.pk))  # the task queue runs it again
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.counts == {"created": 800, "updated": 0, "unchanged": 0}
    assert OrgUnit.objects.count() == before + 800
