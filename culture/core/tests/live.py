"""A real gunicorn server on loopback and a bounded load generator, for the rush tests of the
booking and circulation guarantees (culture/booking/tests/test_rush.py,
culture/library/tests/test_rush.py) and their benchmarks (bench/booking.py,
bench/library_circulation.py).

The server is a separate process tree (a master and ``workers`` processes with ``threads``
threads each), so simultaneous requests really race in the database, unlike pytest-django's
``live_server`` (one process, one thread per request). It listens on a socket this process binds
to port 0 on 127.0.0.1 and hands over by file descriptor (``--bind fd://N``): no port has to be
free and no other program can take it between the choice and the start.

``GunicornServer`` is a context manager: the server is always stopped (SIGQUIT, then SIGKILL to
the whole process group after a grace period), whatever happens in the block.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[3]


def database_url(settings_dict: dict[str, Any]) -> str:
    """The ``DATABASE_URL`` of a Django connection's settings (the test database once the test
    runner has created it: ``connection.settings_dict``)."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or "5432"
        return f"postgres://{auth}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"
    raise ValueError(f"no DATABASE_URL for the engine {engine}")


class GunicornServer:
    """``with GunicornServer(database_url=..., settings="config.settings.test") as server:``
    ``server.url`` is ``http://127.0.0.1:<port>``."""

    def __init__(
        self,
        *,
        database_url: str,
        settings: str,
        workers: int = 4,
        threads: int = 8,
        env: dict[str, str] | None = None,
        start_timeout: float = 60.0,
    ):
        self.database_url = database_url
        self.settings = settings
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed in stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        self.port = listener.getsockname()[1]
        env = os.environ.copy()
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE=self.settings,
            DJANGO_DEBUG="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
        )
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env.update(self.extra_env)
        fd = listener.fileno()
        args = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"fd://{fd}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", "gthread",
            "--preload",
            "--timeout", "120",
            "--graceful-timeout", "1",
            "--backlog", "1024",
            "--log-level", "warning",
            "--error-logfile", "-",
        ]  # fmt: skip
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
                args,
                cwd=ROOT,
                env=env,
                pass_fds=(fd,),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() reaches every worker
            )
        finally:
            listener.close()  # the server holds its own copy
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                status, _body = request("GET", self.url + "/healthz/", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {self.start_timeout} s:\n{self.log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGQUIT)  # quick shutdown: the rush is over
                process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        if process is not None:
            # Workers left behind by a master killed hard: the group shares the master's pid.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)

    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-20_000:]

    def close(self) -> None:
        self.stop()
        self._log.close()


def rush_server(**env: str) -> GunicornServer:
    """The rush tests' server: this test database (``connection.settings_dict`` once the test
    runner made it), the test settings, 4 workers x 8 threads, with ``env`` on top (e.g. a guard
    switched off for the negative control)."""
    from django.db import connection

    return GunicornServer(
        database_url=database_url(connection.settings_dict),
        settings="config.settings.test",
        workers=4,
        threads=8,
        env=env,
    )


def request(
    method: str,
    url: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> tuple[int, Any]:
    """One HTTP request on a fresh connection; the JSON body decoded (else the text)."""
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    conn = http.client.HTTPConnection(host, int(port or 80), timeout=timeout)
    try:
        payload = None if body is None else json.dumps(body).encode()
        sent = {"Accept": "application/json", **(headers or {})}
        if payload is not None:
            sent["Content-Type"] = "application/json"
        conn.request(method, "/" + path, body=payload, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        try:
            data: Any = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode("utf-8", "replace")
        return response.status, data
    finally:
        conn.close()


@dataclass(frozen=True)
class Call:
    """One request of a rush: who (bearer token), what (method, path, JSON body), and the
    Idempotency-Key it carries (if any)."""

    token: str  # a bearer token, or "" when ``headers`` carry a session cookie
    path: str
    body: Any = None
    method: str = "POST"
    idempotency_key: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    call: Call
    status: int  # 0: no HTTP answer (connection error, timeout)
    body: Any
    started: float  # time.perf_counter() when sent
    seconds: float


def rush(base_url: str, calls: Sequence[Call], *, concurrency: int = 50) -> list[Answer]:
    """Send ``calls`` with at most ``concurrency`` in flight: ``concurrency`` threads wait at a
    barrier, then each takes the next call as soon as its previous one is answered. Answers come
    back in the order of ``calls``."""
    answers: list[Answer | None] = [None] * len(calls)
    lock = threading.Lock()
    position = iter(range(len(calls)))
    workers = max(1, min(concurrency, len(calls)))
    barrier = threading.Barrier(workers)

    def take() -> int | None:
        with lock:
            return next(position, None)

    def worker() -> None:
        barrier.wait(timeout=60)
        while (i := take()) is not None:
            call = calls[i]
            headers = dict(call.headers)
            if call.token:
                headers["Authorization"] = f"Bearer {call.token}"
            if call.idempotency_key:
                headers["Idempotency-Key"] = call.idempotency_key
            t0 = time.perf_counter()
            try:
                status, body = request(
                    call.method, base_url + call.path, body=call.body, headers=headers
                )
            except OSError as exc:
                status, body = 0, repr(exc)
            answers[i] = Answer(call, status, body, t0, time.perf_counter() - t0)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [a if a is not None else Answer(calls[i], 0, "not sent", 0.0, 0.0)
            for i, a in enumerate(answers)]  # fmt: skip


def tally(answers: Iterable[Answer]) -> dict[str, int]:
    """Counts by status and refusal code: {"201": 1, "409 full": 199, ...}."""
    counts: dict[str, int] = {}
    for a in answers:
        code = a.body.get("code") if isinstance(a.body, dict) and a.status >= 400 else None
        key = f"{a.status} {code}" if code else str(a.status)
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def residents_with_tokens(n: int, *, prefix: str, community: Any = None) -> list[tuple[Any, str]]:
    """``n`` signed-up residents (a user and a Resident profile each, in ``community``) and an
    API bearer token for each, written in three bulk inserts (the token service issues one at a
    time with an audit entry; 200 of them would cost seconds). The tokens are stored hashed,
    exactly as ``culture.accounts.tokens.api_token_issue`` stores them."""
    import secrets

    from django.contrib.auth.hashers import make_password

    from culture.accounts.models import ApiToken, Resident, User
    from culture.accounts.tokens import TOKEN_PREFIX, _digest

    password = make_password(None)  # unusable: these callers sign in with their token only
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}-{i:04d}", display_name=f"抢约居民{i}", password=password)
            for i in range(n)
        ]
    )
    if any(u.pk is None for u in users):  # bulk_create without RETURNING (old SQLite)
        by_name = {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}-")}
        users = [by_name[u.username] for u in users]
    Resident.objects.bulk_create(
        [Resident(user=u, name=u.display_name, community=community) for u in users]
    )
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=u, name="rush", token_hash=_digest(t), prefix=t[:8])
            for u, t in zip(users, tokens, strict=True)
        ]
    )
    return list(zip(users, tokens, strict=True))


def session_headers(users: Iterable[Any]) -> list[tuple[tuple[str, str], ...]]:
    """For each user a signed-in session (what the sign-in form leaves in the session store,
    written in one bulk insert) and a CSRF token: the headers of a request from that person's
    browser (cookie + X-CSRFToken)."""
    import secrets

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows, out = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        out.append((("Cookie", cookie), ("X-CSRFToken", csrf)))
    Session.objects.bulk_create(rows)
    return out


class HeldWrites:
    """Hold back every write to ``table`` for ``seconds`` from another connection, while reads
    go on: the requests of a rush all do their checks and then meet at their first write at the
    same moment, instead of being spread out by the work before it.

    SQLite: the database's one write lock (``BEGIN IMMEDIATE``; readers in WAL mode are not
    blocked). PostgreSQL: ``LOCK TABLE ... IN SHARE MODE`` (SELECTs pass, INSERTs wait).
    ``with HeldWrites(connection.settings_dict, "booking_booking", 2.0):`` returns at once; the
    lock is let go ``seconds`` after it was taken (by a thread), or when the block ends."""

    def __init__(self, settings_dict: dict[str, Any], table: str, seconds: float):
        self.settings_dict = settings_dict
        self.table = table
        self.seconds = seconds
        self._taken = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)
        self._error: BaseException | None = None

    def _hold(self) -> None:
        try:
            engine = self.settings_dict["ENGINE"]
            if engine == "django.db.backends.sqlite3":
                import sqlite3

                conn: Any = sqlite3.connect(
                    self.settings_dict["NAME"], isolation_level=None, timeout=30
                )
                conn.execute("BEGIN IMMEDIATE")
            else:
                import psycopg

                conn = psycopg.connect(database_url(self.settings_dict))
                conn.execute(f'LOCK TABLE "{self.table}" IN SHARE MODE')  # in a transaction
            try:
                self._taken.set()
                self._release.wait(self.seconds)
            finally:
                conn.rollback()
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised in __enter__/__exit__
            self._error = exc
            self._taken.set()

    def __enter__(self) -> HeldWrites:
        self._thread.start()
        self._taken.wait(60)
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._thread.join(60)
