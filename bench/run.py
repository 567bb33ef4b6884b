"""Page benchmarks at college and trust scale, on SQLite and PostgreSQL (DESIGN.md section 4).

    bench/run [--json PATH] [--scales college,trust] [--databases sqlite,postgresql] [--repeat 20]
              [--generate] [--throughput-seconds 30] [--postgres URL]

For each database and scale, the data comes from bench/generate (made first if its manifest is missing,
or with --generate). Each page is requested in-process through Django's full stack (middleware, sessions,
templates) as the persona who uses it, signed in: 2 warm-up requests, then --repeat timed ones (server
time: the request through the WSGI handler, no network). The number of SQL queries is counted on one
request. Pages that change data (staff import preview, coach matching, timetable balancing) run inside a
transaction rolled back afterwards, so every repeat starts from the same data.

Then a throughput run: gunicorn with 2 workers serving the trust-scale database on loopback, driven by
bench/load.py's client for --throughput-seconds against the busiest page (a professional tutor's home) and,
in the same run, against a minimal Django view through the same middleware (bench/urls.py); the ratio of
the two is the figure to watch.

Prints one table (scale, database, page, queries, p50 ms, p95 ms, trust/college ratio of p50) and writes
the same as JSON to --json (default bench/out/run-<UTC time>.json), so two runs can be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common as setup

PYTHON = sys.executable
HERE = Path(__file__).resolve().parent
IMPORT_ROWS = 10_000

# (label, kind, persona, method, address). kind: list, detail, dashboard (DESIGN.md targets) or action.
# An address is a URL name with arguments from the manifest or the data ("{case}", "{observation}"...).
PAGES = [
    ("home: programme lead", "dashboard", "programme_lead", "GET", ("home",)),
    ("home: professional tutor", "dashboard", "tutor", "GET", ("home",)),
    ("home: teacher", "dashboard", "teacher", "GET", ("home",)),
    ("home: head of department", "dashboard", "head_of_department", "GET", ("home",)),
    ("home: administrator", "dashboard", "administrator", "GET", ("home",)),
    ("home: safeguarding lead", "dashboard", "safeguarding_lead", "GET", ("home",)),
    ("home: ITE tutor", "dashboard", "ite_tutor", "GET", ("home",)),
    ("caseloads", "list", "programme_lead", "GET", ("people:caseload-list",)),
    ("support case list", "list", "tutor", "GET", ("support:case-list",)),
    ("support case detail", "detail", "tutor", "GET", ("support:case-detail", "{case}")),
    ("observation list", "list", "tutor", "GET", ("observations:observation-list",)),
    ("observation detail", "detail", "tutor", "GET", ("observations:observation-detail", "{observation}")),
    ("staff member", "detail", "programme_lead", "GET", ("people:staff-detail", "{teacher}")),
    ("CPD session detail", "detail", "tutor", "GET", ("cpd:session-detail", "{session}")),
    ("intern detail", "detail", "ite_tutor", "GET", ("ite:intern-detail", "{intern}")),
    (
        "tutor's time against remission",
        "detail",
        "programme_lead",
        "GET",
        ("team:remission-detail", "{caseload}"),
    ),
    ("department needs", "dashboard", "tutor", "GET", ("observations:department-needs", "{department}")),
    ("CPD coverage board", "dashboard", "programme_lead", "GET", ("cpd:coverage",)),
    ("effective-observation share", "dashboard", "programme_lead", "GET", ("observations:outcomes",)),
    ("remission balance", "dashboard", "programme_lead", "GET", ("team:remission",)),
    ("ITE progress grid", "dashboard", "ite_tutor", "GET", ("ite:progress-grid",)),
    ("coach matching", "action", "coaching_coordinator", "POST", ("coaching:coordinator",)),
    ("intern timetable balancing", "action", "ite_tutor", "POST", ("ite:timetable",)),
    (
        f"staff import dry run, {IMPORT_ROWS:,} rows",
        "action",
        "administrator",
        "POST",
        ("people:import-start",),
    ),
]
TARGET_MS = {"list": 150, "detail": 150, "dashboard": 300}
ACTION_REPEAT = 3  # the slow actions are repeated fewer times


# --- measuring, inside one database's process ----------------------------------------------------------


def import_file(manifest: dict, rows: int = IMPORT_ROWS) -> bytes:
    """`rows` staff rows: the institution's own (unchanged on re-import) and new ones."""
    from protutor.people.models import StaffMember

    lines = ["staff code,forename,surname,email,department,job title,line manager's staff code"]
    existing = list(
        StaffMember.objects.filter(institution=manifest["institution"]).select_related(
            "department", "line_manager"
        )
    )
    for person in existing:
        lines.append(
            f"{person.staff_code},{person.forename},{person.surname},{person.email},"
            f"{person.department.name if person.department else ''},{person.job_title},"
            f"{person.line_manager.staff_code if person.line_manager else ''}"
        )
    departments = sorted({p.department.name for p in existing if p.department})
    for n in range(rows - len(existing)):
        lines.append(
            f"N{n:05d},New,Starter {n},new.starter{n}@bench.invalid,{departments[n % len(departments)]},Teacher,"
        )
    return ("\n".join(lines) + "\n").encode()


def post_data(label: str, manifest: dict, import_rows: int = IMPORT_ROWS) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    if label.startswith("coach"):
        return {"action": "match"}
    if label.startswith("intern"):
        return {"action": "run", "class_limit": "1"}
    return {
        "institution": str(manifest["institution"]),
        "file": SimpleUploadedFile("staff.csv", import_file(manifest, import_rows), content_type="text/csv"),
    }


def addresses(manifest: dict) -> dict[str, int]:
    from protutor.cpd.models import Session
    from protutor.ite.models import Intern
    from protutor.observations.models import Observation
    from protutor.people.models import User
    from protutor.support.models import SupportCase

    tutor = User.objects.get(username=manifest["personas"]["tutor"]).staff
    # The tutor's most recent open case and developmental observation (bench/generate makes both).
    case = SupportCase.objects.filter(holdings__tutor=tutor, status="open").order_by("-opened_at").first()
    observation = (
        Observation.objects.filter(observer=tutor, kind="developmental")
        .order_by("-observed_on", "-pk")
        .first()
    )
    teacher = User.objects.get(username=manifest["personas"]["teacher"]).staff
    session = (
        Session.objects.filter(department=manifest["department"], status="delivered")
        .order_by("-starts_at")
        .first()
    )
    intern = Intern.objects.filter(staff__institution=manifest["institution"]).order_by("pk").first()
    return {
        "{case}": case.pk,
        "{observation}": observation.pk,
        "{teacher}": teacher.pk,
        "{session}": session.pk,
        "{intern}": intern.pk,
        "{caseload}": tutor.caseloads.order_by("-academic_year__starts_on").first().pk,
        "{department}": manifest["department"],
    }


def measure(database: str, scale: str, repeat: int, postgres: str) -> list[dict]:
    url = setup.database_url(scale, database, postgres)
    setup.configure(url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from protutor.people.models import User

    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed static files
    manifest = json.loads((setup.OUT / f"bench-{database}-{scale}.json").read_text())
    ids = addresses(manifest)
    clients = {}
    for persona, username in manifest["personas"].items():
        clients[persona] = Client()
        clients[persona].force_login(User.objects.get(username=username))
    rows = []
    for label, kind, persona, method, (name, *args) in PAGES:
        path = reverse(name, args=[ids[a] for a in args])
        client = clients[persona]
        times, queries, status = [], None, None
        count = ACTION_REPEAT if kind == "action" else repeat
        for n in range(count + (1 if kind == "action" else 2)):
            with transaction.atomic():
                data = post_data(label, manifest) if method == "POST" else None
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    # secure: as through the TLS proxy, so production's HTTPS redirect lets it through
                    response = (
                        client.post(path, data, secure=True)
                        if method == "POST"
                        else client.get(path, secure=True)
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                transaction.set_rollback(True)
            status = response.status_code
            if status not in (200, 302):
                raise SystemExit(f"bench: {label} ({path}) answered {status}")
            if method == "POST" and status == 200 and b"govuk-error-summary" in response.content:
                raise SystemExit(f"bench: {label} ({path}) was refused: the form shows an error")
            queries = len(captured)
            if n >= (1 if kind == "action" else 2):
                times.append(elapsed)
        rows.append(
            {
                "scale": scale,
                "database": database,
                "page": label,
                "kind": kind,
                "queries": queries,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "requests": len(times),
            }
        )
        print(
            f"  {scale} {database} {label}: {rows[-1]['queries']} queries, p50 {rows[-1]['p50_ms']} ms",
            flush=True,
        )
    return rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- throughput --------------------------------------------------------------------------------------


def throughput(database: str, scale: str, seconds: float, postgres: str) -> dict:
    """gunicorn, 2 workers, on the generated database: the tutor's home against a minimal view."""
    from bench import load

    url = setup.database_url(scale, database, postgres)
    manifest = json.loads((setup.OUT / f"bench-{database}-{scale}.json").read_text())
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    static = setup.OUT / "static"
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=os.urandom(24).hex(),
        PROTUTOR_ENCRYPTION_KEYS=setup.keys(),
        DATABASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="true",
        STATIC_ROOT=str(static),
        PROTUTOR_VAR_DIR=str(setup.OUT / "var"),
        PROTUTOR_MFA_REQUIRED_ROLES="",
        PROTUTOR_BASE_URL="https://127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(setup.ROOT),
    )
    load.run_command(["collectstatic", "--no-input"], env, "protutor collectstatic")
    port = load.free_port()
    server = load.start_server(env, port, setup.OUT / "run-server.log")
    try:
        session = load.Session(load.Target(port))
        session.sign_in(manifest["personas"]["tutor"], "bench-password")
        results = {}
        for label, path in (("professional tutor's home", "/"), ("minimal Django view", "/bench/minimal/")):
            status, _, _ = session.get(path)
            if status != 200:
                raise SystemExit(f"bench: {path} answered {status} under gunicorn")
            tallies, elapsed = load.drive(
                load.Target(port), [("tutor", session, [(label, path)])], 4, seconds
            )
            every = [t for tally in tallies.values() for t in tally.times]
            errors = sum(t.errors for t in tallies.values())
            results[label] = {
                "requests": len(every),
                "errors": errors,
                "requests_per_second": round(len(every) / elapsed, 1),
                "p50_ms": round(percentile(every, 0.5), 1),
                "p95_ms": round(percentile(every, 0.95), 1),
            }
    finally:
        load.stop_server(server)
    page, minimal = results["professional tutor's home"], results["minimal Django view"]
    return {
        "database": database,
        "scale": scale,
        "workers": 2,
        "clients": 4,
        "seconds": seconds,
        "pages": results,
        "ratio": round(minimal["requests_per_second"] / page["requests_per_second"], 1)
        if page["requests_per_second"]
        else None,
    }


# --- the run -----------------------------------------------------------------------------------------


def child(args: list[str]) -> str:
    """Run this script (or bench/generate.py) in a fresh process: Django is set up once per database."""
    done = subprocess.run([PYTHON, *args], capture_output=True, text=True, check=False)  # noqa: S603
    sys.stderr.write(done.stderr[-3000:] if done.returncode else "")
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{done.stdout[-3000:]}")
    return done.stdout


def table(rows: list[dict]) -> list[dict]:
    """Add each trust row's trust/college ratio (of p50) and print the table."""
    college = {(r["database"], r["page"]): r for r in rows if r["scale"] == "college"}
    for row in rows:
        base = college.get((row["database"], row["page"]))
        row["ratio"] = round(row["p50_ms"] / base["p50_ms"], 2) if row["scale"] == "trust" and base else None
        target = TARGET_MS.get(row["kind"])
        row["target_ms"] = target
        row["meets_target"] = None if target is None or row["scale"] != "trust" else row["p95_ms"] < target
    width = max(len(r["page"]) for r in rows)
    print(
        f"{'scale':<8} {'database':<10} {'page':<{width}} {'queries':>7} {'p50 ms':>9} {'p95 ms':>9} {'ratio':>6}"
    )
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
        flag = "" if r["meets_target"] in (None, True) else f"  over {r['target_ms']} ms"
        print(
            f"{r['scale']:<8} {r['database']:<10} {r['page']:<{width}} {r['queries']:>7} "
            f"{r['p50_ms']:>9.1f} {r['p95_ms']:>9.1f} {ratio:>6}{flag}"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--scales", default="college,trust")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--generate", action="store_true", help="make the data again first")
    parser.add_argument("--throughput-seconds", type=float, default=30, help="0 skips the throughput run")
    parser.add_argument("--postgres", default=setup.DEFAULT_POSTGRES)
    parser.add_argument("--measure", nargs=2, metavar=("DATABASE", "SCALE"), help=argparse.SUPPRESS)
    parser.add_argument("--throughput", nargs=2, metavar=("DATABASE", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print("ROWS " + json.dumps(measure(*args.measure, args.repeat, args.postgres)))
        return 0
    if args.throughput:
        print(
            "THROUGHPUT " + json.dumps(throughput(*args.throughput, args.throughput_seconds, args.postgres))
        )
        return 0

    scales = [s for s in args.scales.split(",") if s]
    databases = [d for d in args.databases.split(",") if d]
    if not set(scales) <= set(setup.SCALES) or not set(databases) <= set(setup.DATABASES):
        parser.error(f"--scales from {setup.SCALES}, --databases from {setup.DATABASES}")
    if "postgresql" in databases:
        try:
            import psycopg

            psycopg.connect(f"{args.postgres}/postgres", connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            sys.exit(
                f"bench: PostgreSQL is not answering at {args.postgres} ({str(exc).strip()}). Start it "
                "(pg_ctlcluster --skip-systemctl-redirect 15 main start), pass --postgres, or run "
                "--databases sqlite."
            )
    rows, generated = [], {}
    for database in databases:
        for scale in scales:
            manifest = setup.OUT / f"bench-{database}-{scale}.json"
            if args.generate or not manifest.exists():
                print(f"bench: generating {scale} on {database}", flush=True)
                child(
                    [
                        str(HERE / "generate.py"),
                        "--scale",
                        scale,
                        "--database",
                        database,
                        "--postgres",
                        args.postgres,
                    ]
                )
            generated[f"{database}-{scale}"] = json.loads(manifest.read_text())
            print(f"bench: measuring {scale} on {database}", flush=True)
            out = child(
                [
                    str(HERE / "run.py"),
                    "--measure",
                    database,
                    scale,
                    "--repeat",
                    str(args.repeat),
                    "--postgres",
                    args.postgres,
                ]
            )
            rows += json.loads(next(line for line in out.splitlines() if line.startswith("ROWS "))[5:])
    rows = table(rows)
    result = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ"),
        "repeat": args.repeat,
        "rows": rows,
        "data": {key: {"counts": m["counts"], "seconds": m["seconds"]} for key, m in generated.items()},
    }
    if args.throughput_seconds > 0:
        database = "postgresql" if "postgresql" in databases else databases[0]
        scale = "trust" if "trust" in scales else scales[0]
        print(
            f"bench: throughput on {scale} {database}, gunicorn 2 workers, {args.throughput_seconds:g} s each",
            flush=True,
        )
        out = child(
            [
                str(HERE / "run.py"),
                "--throughput",
                database,
                scale,
                "--throughput-seconds",
                str(args.throughput_seconds),
                "--postgres",
                args.postgres,
            ]
        )
        result["throughput"] = json.loads(
            next(line for line in out.splitlines() if line.startswith("THROUGHPUT "))[11:]
        )
        for label, figures in result["throughput"]["pages"].items():
            print(
                f"  {label}: {figures['requests_per_second']} requests a second, p50 {figures['p50_ms']} ms, "
                f"p95 {figures['p95_ms']} ms, {figures['errors']} errors"
            )
        print(f"  minimal view / page throughput: {result['throughput']['ratio']}")
    path = args.json or setup.OUT / f"run-{result['when']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"bench: results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
