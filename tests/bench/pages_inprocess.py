"""The in-process half of the page benchmark: signed-in sessions, query counts, timings.

    sessions --world W --out S   sign each role's user in (a session row, as the sign-in page
                                 leaves it, second factor verified for staff) several times
    measure --world W --out J    per page: status, bytes and queries of one request (after a
                                 warm-up), then --rounds of page and /health/ alternating in
                                 Django's test client, one process; medians

Run with DJANGO_SETTINGS_MODULE=tests.bench.pages_settings (see run_pages_bench.sh).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.pages_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from metrics.models import User  # noqa: E402
from tests.bench.pages_common import HEALTH, median, pages, read_json, write_json  # noqa: E402

SESSIONS_PER_ROLE = 8
BACKEND = "django.contrib.auth.backends.ModelBackend"


def role_users(world: dict) -> dict[str, str]:
    return {
        "assessor": world["lead"],
        "trust": world["trust_user"],
        "nhsi": "qa",
        "cqc": "cqc",
        "api": "api-client",
    }


def session_for(user: User) -> str:
    """A session as sign-in leaves it: everyone has passed the second step (production's rule)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Authenticator app", defaults={"confirmed": True}
    )
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def sessions(world: dict, count: int) -> dict[str, list[str]]:
    return {
        role: [session_for(User.objects.get(username=username)) for _ in range(count)]
        for role, username in role_users(world).items()
    }


def client_for(session_key: str | None) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def measure(world: dict, keys: dict[str, list[str]], rounds: int) -> dict:
    """Queries, bytes and alternating in-process timings per page."""
    found = {}
    clients = {}
    for page in pages(world):
        key = keys[page.role][0] if page.role else None
        client = clients.setdefault(page.role, client_for(key))
        client.get(page.path)  # warm-up: templates, URL resolver, first connection
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        found[page.name] = {
            "path": page.path,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(queries),
            "seconds": [],
            "health_seconds": [],
        }
    health = clients[""]
    for _ in range(rounds):
        for page in pages(world):
            if page.name == HEALTH:
                continue
            for name, client, path in (
                (HEALTH, health, "/health/"),
                (page.name, clients[page.role], page.path),
            ):
                started = time.perf_counter()
                client.get(path)
                elapsed = time.perf_counter() - started
                key = "health_seconds" if name == HEALTH else "seconds"
                found[page.name][key].append(elapsed)
    for row in found.values():
        if row["seconds"]:
            row["median"] = median(row["seconds"])
            row["health_median"] = median(row["health_seconds"])
            row["ratio"] = row["median"] / row["health_median"]
    return found


def table_sizes(limit: int = 10) -> list[tuple[str, int, int]]:
    """The largest tables: (name, rows as PostgreSQL estimates them, bytes with indexes)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY pg_total_relation_size(c.oid) DESC LIMIT %s",
            [limit],
        )
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["sessions", "measure"])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sessions", type=Path, help="for measure: the sessions file")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    world = read_json(args.world)
    if args.mode == "sessions":
        write_json(args.out, sessions(world, SESSIONS_PER_ROLE))
        return
    keys = read_json(args.sessions) if args.sessions else sessions(world, 1)
    result = measure(world, keys, args.rounds)
    write_json(args.out, {"world": world, "pages": result, "tables": table_sizes()})
    for name, row in result.items():
        ratio = f"{row['ratio']:.1f}x" if "ratio" in row else ""
        print(f"{name:20} {row['status']} {row['bytes']:>9} B {row['queries']:>4} q {ratio}")


if __name__ == "__main__":
    main()
