"""The HTTP half of the page benchmark: gunicorn (sync workers) and a small load generator.

Phases, each against a gunicorn this script starts on a free loopback port and stops by its
process id:
  (1) one worker, one client: each page and /health/ alternating, --rounds times; medians.
  (2) 3 workers, --concurrency client threads: for each page, /health/ for --seconds and then
      the page for --seconds; requests per second of each, in the same run.
  (3) 3 workers, 20 simulated users (USER_MIX) with one second of think time for --duration
      seconds: per-page and pooled p95/p99, and every answer other than 200 as an error.
Only the standard library: threads and http.client, one connection per request (gunicorn's
sync workers close each connection). Every loop is bounded in count or time.
"""

import argparse
import http.client
import itertools
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.pages_common import (  # noqa: E402
    HEALTH,
    USER_MIX,
    median,
    pages,
    percentile,
    read_json,
    write_json,
)

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
COOKIE = "sessionid"
THINK_SECONDS = 1.0
REQUEST_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn uor_site.wsgi` with N sync workers, as the Dockerfile runs it."""

    def __init__(self, workers: int):
        self.port = free_port()
        command = [str(GUNICORN), "uor_site.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        # NOTE: gunicorn's default 30 s worker timeout, as the Dockerfile's CMD leaves it.
        command += ["--forwarded-allow-ips", "*", "--no-control-socket"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/health/", None)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /health/ within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port: int, path: str, session: str | None) -> tuple[int, float, int]:
    """GET path as the session's user; (status, seconds, bytes) for the whole answer."""
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if session:
        headers["Cookie"] = f"{COOKIE}={session}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - started, len(body)
    finally:
        conn.close()


def session_of(keys: dict, role: str, index: int) -> str | None:
    return keys[role][index % len(keys[role])] if role else None


def alternating(port: int, world: dict, keys: dict, rounds: int) -> dict:
    """Phase (1): page, then /health/, one request at a time; medians and the ratio."""
    found = {}
    for page in pages(world):
        if page.name != HEALTH:
            found[page.name] = {"seconds": [], "health_seconds": [], "statuses": set()}
    for _ in range(rounds):
        for page in pages(world):
            if page.name == HEALTH:
                continue
            row = found[page.name]
            row["health_seconds"].append(get(port, "/health/", None)[1])
            status, seconds, _ = get(port, page.path, session_of(keys, page.role, 0))
            row["seconds"].append(seconds)
            row["statuses"].add(status)
    for row in found.values():
        row["median"] = median(row["seconds"])
        row["health_median"] = median(row["health_seconds"])
        row["ratio"] = row["median"] / row["health_median"]
        row["statuses"] = sorted(row["statuses"])
    return found


def hammer(port: int, path: str, role: str, keys: dict, threads: int, seconds: float) -> dict:
    """As many requests as `threads` clients can make in `seconds`; requests per second."""
    stop_at = time.monotonic() + seconds
    counts = [0] * threads
    errors = [0] * threads

    def client(index: int) -> None:
        session = session_of(keys, role, index)
        while time.monotonic() < stop_at:
            try:
                status = get(port, path, session)[0]
            except OSError:
                status = 0
            counts[index] += 1
            errors[index] += status != 200

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return {"requests": sum(counts), "errors": sum(errors), "per_second": sum(counts) / elapsed}


def saturation(port: int, world: dict, keys: dict, threads: int, seconds: float) -> dict:
    """Phase (2): /health/ then the page, for each page; the page's share of /health/'s rate."""
    found = {}
    for page in pages(world):
        if page.name == HEALTH:
            continue
        health = hammer(port, "/health/", "", keys, threads, seconds)
        own = hammer(port, page.path, page.role, keys, threads, seconds)
        found[page.name] = {
            "per_second": own["per_second"],
            "errors": own["errors"],
            "health_per_second": health["per_second"],
            "share": own["per_second"] / health["per_second"],
        }
    return found


def simulated_users(port: int, world: dict, keys: dict, duration: float) -> dict:
    """Phase (3): 20 users, one second of thought between requests, for `duration` seconds."""
    paths = {page.name: page for page in pages(world)}
    samples: list[tuple[str, float, bool]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    rng = random.Random(14)

    def user(role: str, index: int, visits: tuple[str, ...], delay: float) -> None:
        time.sleep(delay)
        session = session_of(keys, role, index)
        for name in itertools.cycle(visits):
            if time.monotonic() >= stop_at:
                return
            try:
                status, seconds, _ = get(port, paths[name].path, session)
                failed = status != 200
            except OSError:
                seconds, failed = REQUEST_TIMEOUT, True
            with lock:
                samples.append((name, seconds, failed))
            time.sleep(THINK_SECONDS)

    people = [
        threading.Thread(target=user, args=(role, i, visits, rng.random() * THINK_SECONDS))
        for role, count, visits in USER_MIX
        for i in range(count)
    ]
    for person in people:
        person.start()
    for person in people:
        person.join()
    found = {}
    for name in dict.fromkeys(name for name, _, _ in samples):
        times = [seconds for page, seconds, _ in samples if page == name]
        errors = sum(failed for page, _, failed in samples if page == name)
        found[name] = {
            "requests": len(times),
            "errors": errors,
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }
    every = [seconds for _, seconds, _ in samples]
    found["_pooled"] = {
        "requests": len(every),
        "errors": sum(failed for _, _, failed in samples),
        "per_second": len(every) / duration,
        "p50": percentile(every, 0.5),
        "p95": percentile(every, 0.95),
        "p99": percentile(every, 0.99),
    }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--sessions", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    world, keys = read_json(args.world), read_json(args.sessions)
    result = {"world": world, "settings": vars(args) | {"think_seconds": THINK_SECONDS}}
    result["settings"] = {key: str(value) for key, value in result["settings"].items()}

    server = Gunicorn(workers=1)
    try:
        print("(1) one worker, alternating with /health/ ...", flush=True)
        result["alternating"] = alternating(server.port, world, keys, args.rounds)
    finally:
        server.stop()
    server = Gunicorn(workers=3)
    try:
        print("(2) 3 workers, saturation against /health/ ...", flush=True)
        result["saturation"] = saturation(server.port, world, keys, args.concurrency, args.seconds)
        print(f"(3) 3 workers, 20 users for {args.duration:.0f} s ...", flush=True)
        result["users"] = simulated_users(server.port, world, keys, args.duration)
    finally:
        server.stop()
    write_json(args.out, result)


if __name__ == "__main__":
    main()
