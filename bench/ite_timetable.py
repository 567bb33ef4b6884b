"""Intern timetable benchmark: 100 interns over 1,500 teaching groups in 12 subjects (year groups 7 to 13,
abilities "set 1" to "set 4" or "mixed", 1 to 5 periods a week, targets of 10 to 16 periods, class limit
1), balanced to proved optimality in under 10 seconds.

    .venv/bin/python bench/ite_timetable.py [--json PATH]

Exits non-zero if `balance` (best of 3) takes 10 s or more, or does not prove optimality.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from protutor.ite.timetable import Group, Intern, balance

LIMIT_SECONDS = 10.0
SEED = 20260514
N_INTERNS = 100
N_GROUPS = 1500
CLASS_LIMIT = 1
SUBJECTS = {
    "Maths": "Ma",
    "English": "En",
    "Science": "Sc",
    "History": "Hi",
    "Geography": "Gg",
    "French": "Fr",
    "Spanish": "Sp",
    "Art": "Ar",
    "Music": "Mu",
    "Computing": "Cp",
    "PE": "Pe",
    "RE": "Re",
}
ABILITIES = ["set 1", "set 2", "set 3", "set 4", "mixed"]
FORMS = "XYZWV"


def school(seed: int = SEED) -> tuple[list[Intern], list[Group]]:
    """Groups spread at random over subjects, year groups and abilities; interns over subjects."""
    rng = random.Random(seed)
    subjects = list(SUBJECTS)
    groups, taken = [], set()
    for group_id in range(1, N_GROUPS + 1):
        subject, year = rng.choice(subjects), rng.randint(7, 13)
        number = 1
        while (code := f"{year}{rng.choice(FORMS)}/{SUBJECTS[subject]}{number}") in taken:
            number += 1
        taken.add(code)
        groups.append(Group(group_id, code, subject, year, rng.randint(1, 5), rng.choice(ABILITIES)))
    interns = [
        Intern(intern_id, f"Intern {intern_id}", rng.choice(subjects), rng.randint(10, 16))
        for intern_id in range(1, N_INTERNS + 1)
    ]
    return interns, groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    interns, groups = school()
    best, result = float("inf"), None
    for _ in range(3):
        started = time.perf_counter()
        result = balance(interns, groups, class_limit=CLASS_LIMIT)
        best = min(best, time.perf_counter() - started)
    assert result is not None
    if not result.feasible:
        print("FAIL: not feasible:", *result.problems, sep="\n  ")
        return 1
    shortfalls = [s.shortfall for s in result.interns]
    ranges = [len(s.key_stages) + len(s.abilities) for s in result.interns]
    covered = sum(1 for count in result.group_counts.values() if count)
    figures = {
        "interns": len(interns),
        "groups": len(groups),
        "subjects": len({g.subject for g in groups}),
        "class_limit": CLASS_LIMIT,
        "seconds": round(best, 3),
        "proved_optimal": result.optimal,
        "objective": result.objective,
        "max_shortfall": max(shortfalls),
        "total_shortfall": sum(shortfalls),
        "interns_on_target": sum(s == 0 for s in shortfalls),
        "mean_range": round(sum(ranges) / len(ranges), 2),
        "groups_covered": covered,
    }
    print(
        f"{'interns':>7} {'groups':>6} {'covered':>7} {'objective':>9} {'max short':>9} "
        f"{'sum short':>9} {'mean range':>10} {'seconds':>7}"
    )
    print(
        f"{len(interns):>7} {len(groups):>6} {covered:>7} {result.objective:>9} {max(shortfalls):>9} "
        f"{sum(shortfalls):>9} {figures['mean_range']:>10.2f} {best:>7.3f}"
    )
    print(f"proved optimal: {result.optimal}; interns on target: {figures['interns_on_target']}")
    for problem in result.problems:
        print("  ", problem)

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")

    if not result.optimal or best >= LIMIT_SECONDS:
        print(f"FAIL: balance must prove optimality in under {LIMIT_SECONDS:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
