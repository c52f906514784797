#!/usr/bin/env bash
# The whole test suite, twice: on SQLite (a file database in WAL mode, as `make run` uses) and on a
# throwaway PostgreSQL 15 cluster that this script creates, starts, and always stops and removes
# (trap), even when tests fail or the run is interrupted. Exits non-zero if any run failed or ran
# no test (pytest's exit code 5 counts as a failure). Called by `make test` after `make setup`.
# Browser tests (headless Chromium against a live server) run on both databases: the live server
# is where transactions really cross threads. On PostgreSQL the full-demo builds and the read half
# of the access matrix are left out (PG_PYTEST_ARGS below), to keep CI well under 20 minutes.
#
#   scripts/run-tests.sh                      both databases, every test (browser tests included)
#   TEST_DATABASES=sqlite scripts/run-tests.sh       one database only (sqlite | postgresql)
#   scripts/run-tests.sh -k login             extra arguments go to pytest on every run
#   PYTEST_WORKERS=1 scripts/run-tests.sh     serial (default: 2 workers with pytest-xdist; each
#                                             worker gets its own database: test_db.sqlite3_gw0,
#                                             test_culture_gw0, ...); serial without it
#
# Settings: PYTEST (default .venv/bin/pytest), ARTIFACTS (default test-artifacts: JUnit XML and
# browser screenshots of failures), PG_BINDIR (default: the folder of `initdb` on PATH, else
# /usr/lib/postgresql/15/bin).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTEST=${PYTEST:-$ROOT/.venv/bin/pytest}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
ARTIFACTS=${ARTIFACTS:-$ROOT/test-artifacts}
TEST_DATABASES=${TEST_DATABASES:-sqlite,postgresql}
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/junit-*.xml

PARALLEL=()
if [[ ${PYTEST_WORKERS:-2} != 1 ]]; then
  if "$PYTHON" -c "import xdist" 2>/dev/null; then
    PARALLEL=(-n "${PYTEST_WORKERS:-2}")
  else
    echo "PYTEST_WORKERS=${PYTEST_WORKERS:-2} ignored: pytest-xdist is not installed"
  fi
fi

# On PostgreSQL everything runs except what does not depend on the database engine and costs
# most of the time: the builds of the whole synthetic district and the independent coverage check
# (marker full_demo) and the read half of the access matrix (its GETs; its write half, where
# locking and constraints differ, runs). PG_PYTEST_ARGS="" runs every test on PostgreSQL too.
if [[ -z ${PG_PYTEST_ARGS+x} ]]; then
  PG_PYTEST_ARGS=(-m "not full_demo" --deselect culture/core/tests/test_access_matrix.py::test_read)
else
  read -r -a PG_PYTEST_ARGS <<<"$PG_PYTEST_ARGS"
fi

declare -A STATUS=()
ORDER=()
started=$(date +%s)

log() { printf '\n==> %s\n' "$*"; }

run_suite() { # run_suite NAME [pytest args...]: the whole suite against the current environment
  local name=$1
  shift
  ORDER+=("$name")
  log "pytest on $name"
  local code=0
  "$PYTEST" -q -rfE --durations=10 --junitxml="$ARTIFACTS/junit-$name.xml" ${PARALLEL[@]+"${PARALLEL[@]}"} "$@" || code=$?
  case $code in
    0) STATUS[$name]=passed ;;
    5) STATUS[$name]="FAILED (no tests ran)" ;;
    *) STATUS[$name]="FAILED (pytest exit $code)" ;;
  esac
}

# ---- SQLite -------------------------------------------------------------------------------
if [[ ,$TEST_DATABASES, == *,sqlite,* ]]; then
  DATABASE_URL_SAVED=${DATABASE_URL-}
  # Explicit, so a DATABASE_URL in .env cannot turn this run into another PostgreSQL run.
  export DATABASE_URL="sqlite:///$ROOT/db.sqlite3"
  export TEST_SQLITE_NAME=${TEST_SQLITE_NAME:-$ROOT/test_db.sqlite3}
  run_suite sqlite "$@"
  rm -f "$TEST_SQLITE_NAME"* # the database, its -wal/-shm files, and pytest-xdist's _gwN copies
  if [[ -n $DATABASE_URL_SAVED ]]; then export DATABASE_URL=$DATABASE_URL_SAVED; else unset DATABASE_URL; fi
fi

# ---- PostgreSQL 15 ------------------------------------------------------------------------
PGTMP=""
PG_CTL=""
stop_cluster() {
  if [[ -n $PGTMP && -d $PGTMP ]]; then
    if [[ -f $PGTMP/data/postmaster.pid ]]; then
      as_pg "$PG_CTL" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 \
        || as_pg "$PG_CTL" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
    echo "postgresql: cluster stopped and $PGTMP removed"
  fi
  PGTMP=""
}
as_pg() { # initdb refuses root: run the cluster as the `postgres` user when we are root
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
trap stop_cluster EXIT
trap 'stop_cluster; exit 130' INT
trap 'stop_cluster; exit 143' TERM

start_cluster() {
  local bindir=${PG_BINDIR:-}
  if [[ -z $bindir ]]; then
    if command -v initdb >/dev/null; then
      bindir=$(dirname "$(readlink -f "$(command -v initdb)")")
    else
      bindir=/usr/lib/postgresql/15/bin
    fi
  fi
  local initdb=$bindir/initdb
  PG_CTL=$bindir/pg_ctl
  if [[ ! -x $initdb || ! -x $PG_CTL ]]; then
    echo "postgresql: initdb/pg_ctl not found in $bindir (run scripts/system-deps.sh)" >&2
    return 1
  fi
  local version
  version=$("$initdb" --version | grep -oE '[0-9]+' | head -1)
  if [[ $version != 15 ]]; then
    echo "postgresql: need version 15, $initdb is version $version" >&2
    return 1
  fi
  PGTMP=$(mktemp -d /tmp/culture-pgtest.XXXXXX)
  chmod 755 "$PGTMP"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PGTMP"
  PGPORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$initdb" -D "$PGTMP/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; return 1; }
  # A throwaway cluster: durability off makes the suite's many flushes and DDL faster.
  as_pg "$PG_CTL" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PGTMP/server.log" >&2; return 1; }
  "$bindir/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres culture
  echo "postgresql: $("$bindir/postgres" --version) on 127.0.0.1:$PGPORT in $PGTMP"
}

if [[ ,$TEST_DATABASES, == *,postgresql,* ]]; then
  log "starting a throwaway PostgreSQL 15 cluster"
  if start_cluster; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/culture"
    run_suite postgresql ${PG_PYTEST_ARGS[@]+"${PG_PYTEST_ARGS[@]}"} "$@"
    unset DATABASE_URL
  else
    ORDER+=(postgresql)
    STATUS[postgresql]="FAILED (cluster did not start)"
  fi
  stop_cluster
fi

# ---- summary ------------------------------------------------------------------------------
log "summary"
failed=0
for name in "${ORDER[@]}"; do
  [[ ${STATUS[$name]} == passed ]] || failed=1
done
elapsed=$(($(date +%s) - started))
args=()
for name in "${ORDER[@]}"; do args+=("$name=${STATUS[$name]}"); done
# The last line is the plain "total: N passed, N failed" that CI reads.
"$PYTHON" - "$ARTIFACTS" "$elapsed" "${args[@]}" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

folder, elapsed, runs = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
total = {"passed": 0, "failed": 0, "skipped": 0}
ok = True
for run in runs:
    name, status = run.split("=", 1)
    ok = ok and status == "passed"
    path = folder / f"junit-{name}.xml"
    counts, failures = "no result file", 0
    if path.exists():
        tests = failures = skipped = 0
        for suite in ET.parse(path).getroot().iter("testsuite"):
            tests += int(suite.get("tests", 0))
            failures += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
        passed = tests - failures - skipped
        counts = f"{passed} passed, {failures} failed, {skipped} skipped"
        total["passed"] += passed
        total["failed"] += failures
        total["skipped"] += skipped
    if status != "passed" and failures == 0:
        total["failed"] += 1  # a run that broke without a failing test (no tests, no cluster)
    print(f"{name:<11} {status:<28} {counts}")
print(f"make test {'passed' if ok else 'FAILED'} in {elapsed}s ({', '.join(r.split('=')[0] for r in runs)})")
print(f"total: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
PY
((failed == 0))
