"""Load test: the demo college under `protutor serve` (gunicorn, 2 workers) on loopback, with production
settings, driven by a pool of signed-in clients for --duration seconds (default 300).

    .venv/bin/python bench/load.py [--duration 300] [--clients 4] [--json PATH] [--fresh]
    .venv/bin/python bench/load.py --target https://protutor.internal --cafile CA.pem [--duration 300]

With --target, steps 1 and 2 are skipped: the site deployed by docs/deploy.md (deploy/drill.sh on one
machine) is driven through its nginx and real TLS, still on 127.0.0.1, by its server name.

1. Makes the demo database once (`protutor migrate` and `protutor demo`) in bench/out/load-demo.sqlite3, or
   in the PostgreSQL database named by DATABASE_URL, and reuses it afterwards (--fresh makes it again; SQLite
   only). Its encryption key is kept beside it in bench/out/load-demo.keys, since the demo's confidential
   text is encrypted with it.
2. Collects static files into a temporary STATIC_ROOT and starts `protutor serve --workers 2 --bind
   127.0.0.1:<free port>` with DEBUG off, a fresh SECRET_KEY and ALLOWED_HOSTS=127.0.0.1. The settings are
   production's: every request says `X-Forwarded-Proto: https` and the server runs with BEHIND_TLS_PROXY=true,
   as behind the TLS proxy of docs/deploy.md, so secure cookies, HSTS and the HTTPS redirect all stay on.
   PROTUTOR_MFA_REQUIRED_ROLES is empty: the demo accounts have no second factor to sign in with.
3. Signs in a professional tutor, a teacher, the programme lead, a head of department and the ITE tutor
   through the real sign-in form (CSRF token and cookie), checks each of their pages answers 200 once, then
   --clients threads (one session each, round robin over the people) request those pages in turn until the
   time is up.

Prints a table (page, requests, errors, p50 ms, p95 ms) and totals, writes JSON (default
bench/out/load-<UTC timestamp>.json; bench/out is not committed) and exits non-zero if any request failed.
Only 127.0.0.1 is ever contacted. The server's own log goes to bench/out/load-server.log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: bench.common, beside it
OUT = ROOT / "bench" / "out"
PROTUTOR = str(Path(sys.executable).parent / "protutor")
HOST = "127.0.0.1"
PASSWORD = "protutor-demo"  # noqa: S105  (the published demo password, protutor/people/demo.py)
REQUEST_TIMEOUT = 30
START_TIMEOUT = 60

# (who, username, pages). A page is (label, path); "{case}" is the first case on that person's case list.
PEOPLE = [
    (
        "professional tutor",
        "tamsin.tutor",
        [
            ("home", "/"),
            ("support overview", "/support/"),
            ("support case list", "/support/cases/"),
            ("support case detail", "{case}"),
            ("observations list", "/observations/"),
            ("CPD sessions list", "/cpd/sessions/"),
            ("coaching", "/coaching/"),
            ("caseloads", "/people/caseloads/"),
        ],
    ),
    (
        "teacher",
        "tess.teacher",
        [
            ("home", "/"),
            ("observations list", "/observations/"),
            ("CPD sessions list", "/cpd/sessions/"),
            ("coaching", "/coaching/"),
        ],
    ),
    (
        "programme lead",
        "priya.lead",
        [
            ("home", "/"),
            ("staff list", "/people/staff/"),
            ("caseloads", "/people/caseloads/"),
            ("CPD sessions list", "/cpd/sessions/"),
            ("observations list", "/observations/"),
        ],
    ),
    (
        "head of department",
        "hannah.hod",
        [("home", "/"), ("observations list", "/observations/"), ("staff list", "/people/staff/")],
    ),
    ("ITE tutor", "iris.ite", [("home", "/"), ("ITE index", "/ite/")]),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# Environment, database and server


def demo_keys() -> str:
    from bench.common import keys

    return keys("load-demo.keys")


def server_env(database_url: str, static_root: Path, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="protutor.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PROTUTOR_ENCRYPTION_KEYS=demo_keys(),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=HOST,
        BEHIND_TLS_PROXY="true",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(var_dir / "media"),
        PROTUTOR_VAR_DIR=str(var_dir),
        PROTUTOR_MFA_REQUIRED_ROLES="",
        PROTUTOR_BASE_URL=f"https://{HOST}",
        LOG_LEVEL="WARNING",
    )
    return env


def run_command(args: list[str], env: dict[str, str], what: str) -> None:
    # The virtualenv's own protutor with fixed arguments.
    done = subprocess.run([PROTUTOR, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"load: {what} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")


def prepare_database(env: dict[str, str], *, fresh: bool) -> str:
    """Migrate and load the demo unless this database already holds it; returns what was done."""
    url = env["DATABASE_URL"]
    marker = OUT / ("load-demo.ready" if url.startswith("sqlite") else "load-demo-pg.ready")
    if fresh and url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
    if marker.exists() and marker.read_text() == url:
        return "reused"
    run_command(["migrate", "--no-input"], env, "protutor migrate")
    run_command(["demo"], env, "protutor demo")
    marker.write_text(url)
    return "created"


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603  (the virtualenv's protutor, fixed arguments)
            [PROTUTOR, "serve", "--workers", "2", "--bind", f"{HOST}:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"load: the server stopped at start-up; see {log}")
        try:
            status, _, _ = Session(Target(port)).get("/health/?checks=database,storage")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    sys.exit(f"load: the server did not answer /health/ within {START_TIMEOUT} s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# The client


@dataclass(frozen=True)
class Target:
    """Where requests go: always 127.0.0.1. Either gunicorn itself, with the headers the TLS proxy would
    add, or (--target) a deployed site's nginx over real TLS, by its server name."""

    port: int
    name: str = HOST  # the Host header and, over TLS, the certificate's name
    tls: ssl.SSLContext | None = None

    @property
    def origin(self) -> str:
        return f"https://{self.name}" if self.tls else f"https://{HOST}:{self.port}"

    def connect(self) -> http.client.HTTPConnection:
        if self.tls is None:
            return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        return LoopbackTLS(self.name, self.port, timeout=REQUEST_TIMEOUT, context=self.tls)


class LoopbackTLS(http.client.HTTPSConnection):
    """HTTPS to the site's name (SNI, certificate check) over a socket to 127.0.0.1, whatever DNS says."""

    def connect(self) -> None:
        sock = socket.create_connection((HOST, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def deployed(url: str, cafile: Path | None) -> Target:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        sys.exit("load: --target must be an https:// address, for example https://protutor.internal")
    context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
    return Target(port=parts.port or 443, name=parts.hostname, tls=context)


class Session:
    """One browser: a cookie jar and requests as if through the TLS proxy (stdlib http.client only)."""

    def __init__(self, target: Target):
        self.target = target
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        target = self.target
        connection = target.connect()
        try:
            sent = {
                "Host": target.name if target.tls else f"{HOST}:{target.port}",
                "User-Agent": "protutor-bench-load",
                **({} if target.tls else {"X-Forwarded-Proto": "https", "X-Forwarded-For": HOST}),
                **(headers or {}),
            }
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        login = "/accounts/login/"
        status, _, content = self.get(login)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or token is None:
            raise RuntimeError(f"the sign-in page answered {status} without a CSRF token")
        form = urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "login": username, "password": password}
        )
        status, headers, _ = self.request(
            "POST",
            login,
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{self.target.origin}{login}",
                "Origin": self.target.origin,
            },
        )
        if status != 302 or headers.get("Location", "").startswith(login) or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} failed (answer {status})")


# The run


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def resolve_pages(session: Session, pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    resolved = []
    for label, path in pages:
        if path == "{case}":
            _, _, content = session.get("/support/cases/")
            found = re.search(rb'href="(/support/cases/\d+/)"', content)
            if found is None:
                raise RuntimeError("the tutor's case list shows no case to open")
            path = found.group(1).decode()
        resolved.append((label, path))
    return resolved


def warm_up(target: Target) -> list[tuple[str, Session, list[tuple[str, str]]]]:
    """Sign everyone in and check each page once, so a wrong page fails before the timed run."""
    people = []
    for who, username, pages in PEOPLE:
        session = Session(target)
        session.sign_in(username)
        pages = resolve_pages(session, pages)
        for label, path in pages:
            status, headers, _ = session.get(path)
            if status != 200:
                where = headers.get("Location", "")
                raise RuntimeError(f"{who} ({username}): {label} {path} answered {status} {where}".rstrip())
        people.append((who, session, pages))
    return people


def drive(target: Target, people, clients: int, duration: float) -> tuple[dict[str, Tally], float]:
    tallies: dict[str, Tally] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client(number: int) -> None:
        who, signed_in, pages = people[number % len(people)]
        session = Session(target)
        session.cookies = dict(signed_in.cookies)
        local: dict[str, Tally] = {}
        turn = number
        while time.monotonic() < deadline:
            label, path = pages[turn % len(pages)]
            turn += 1
            tally = local.setdefault(f"{label} ({who})", Tally())
            started = time.perf_counter()
            try:
                status, _, _ = session.get(path)
                failed = None if status == 200 else f"{path}: {status}"
            except (OSError, http.client.HTTPException) as exc:
                failed = f"{path}: {type(exc).__name__}"
            tally.times.append((time.perf_counter() - started) * 1000)
            if failed:
                tally.errors += 1
                if len(tally.first_errors) < 3:
                    tally.first_errors.append(failed)
        with lock:
            for name, tally in local.items():
                total = tallies.setdefault(name, Tally())
                total.times += tally.times
                total.errors += tally.errors
                total.first_errors += tally.first_errors[: 3 - len(total.first_errors)]

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT + 10)
    return tallies, time.monotonic() - started


def report(tallies: dict[str, Tally], elapsed: float) -> dict:
    rows = []
    for name in sorted(tallies):
        tally = tallies[name]
        rows.append(
            {
                "page": name,
                "requests": len(tally.times),
                "errors": tally.errors,
                "p50_ms": round(percentile(tally.times, 0.5), 1),
                "p95_ms": round(percentile(tally.times, 0.95), 1),
                "first_errors": tally.first_errors,
            }
        )
    every = [t for tally in tallies.values() for t in tally.times]
    totals = {
        "requests": len(every),
        "errors": sum(row["errors"] for row in rows),
        "p50_ms": round(percentile(every, 0.5), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "requests_per_second": round(len(every) / elapsed, 1) if elapsed else 0.0,
        "seconds": round(elapsed, 1),
    }
    width = max([len("Page"), *(len(row["page"]) for row in rows)])
    print(f"{'Page':<{width}}  {'Requests':>8}  {'Errors':>6}  {'p50 ms':>8}  {'p95 ms':>8}")
    for row in rows:
        print(
            f"{row['page']:<{width}}  {row['requests']:>8}  {row['errors']:>6}  "
            f"{row['p50_ms']:>8.1f}  {row['p95_ms']:>8.1f}"
        )
    print(
        f"{'Total':<{width}}  {totals['requests']:>8}  {totals['errors']:>6}  "
        f"{totals['p50_ms']:>8.1f}  {totals['p95_ms']:>8.1f}"
    )
    print(f"{totals['requests_per_second']} requests a second over {totals['seconds']} s")
    for row in rows:
        for error in row["first_errors"]:
            print(f"  error on {row['page']}: {error}")
    return {"pages": rows, "totals": totals}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of load (default 300)")
    parser.add_argument("--clients", type=int, default=5, help="concurrent signed-in clients (default 5)")
    parser.add_argument("--json", type=Path, help="where to write the results (default bench/out/...)")
    parser.add_argument("--fresh", action="store_true", help="make the SQLite demo database again")
    parser.add_argument(
        "--target",
        help="a deployed site with the demo loaded, reached on 127.0.0.1 through its nginx and TLS, "
        "e.g. https://protutor.internal (docs/deploy-drill.md); no server is started",
    )
    parser.add_argument("--cafile", type=Path, help="with --target: the certificate authority to trust")
    args = parser.parse_args()
    if not 1 <= args.clients <= 32 or not 1 <= args.duration <= 3600:
        parser.error("--clients must be 1 to 32 and --duration 1 to 3600 seconds")

    OUT.mkdir(parents=True, exist_ok=True)
    if args.target:
        target = deployed(args.target, args.cafile)
        try:
            people = warm_up(target)
            print(
                f"Deployed site {args.target} via 127.0.0.1:{target.port}; {args.clients} clients for "
                f"{args.duration:g} s"
            )
            tallies, elapsed = drive(target, people, args.clients, args.duration)
        except (RuntimeError, OSError) as exc:
            print(f"load: {exc}", file=sys.stderr)
            return 2
        return finish(args, tallies, elapsed, vendor="deployed", target=args.target)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / 'load-demo.sqlite3'}"
    with tempfile.TemporaryDirectory(prefix="protutor-load-") as temp:
        env = server_env(database_url, Path(temp) / "static", Path(temp) / "var")
        vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
        print(f"Database ({vendor}): {prepare_database(env, fresh=args.fresh)}")
        run_command(["collectstatic", "--no-input"], env, "protutor collectstatic")
        port = free_port()
        server = start_server(env, port, OUT / "load-server.log")
        try:
            people = warm_up(Target(port))
            print(f"Serving on {HOST}:{port} (2 workers); {args.clients} clients for {args.duration:g} s")
            tallies, elapsed = drive(Target(port), people, args.clients, args.duration)
        except RuntimeError as exc:
            print(f"load: {exc}", file=sys.stderr)
            return 2
        finally:
            stop_server(server)
    return finish(args, tallies, elapsed, vendor=vendor)


def finish(args, tallies: dict[str, Tally], elapsed: float, *, vendor: str, target: str = "") -> int:
    results = report(tallies, elapsed)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    results.update(
        {
            "benchmark": "load",
            "when": stamp,
            "database": vendor,
            "target": target,
            "workers": 2,
            "clients": args.clients,
            "duration_seconds": args.duration,
        }
    )
    path = args.json or OUT / f"load-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Results written to {path}")
    return 1 if results["totals"]["errors"] or not results["totals"]["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
