"""Two processes on one home at once: corrections and deletes, no "database is locked",
nothing lost.

    python scripts/concurrency_test.py --ops 1000 [--workers 2] [--seed 7] [--json]

Each worker is a separate process running the real core on the same home, as the
desktop app and the CLI do: ``run_correction`` (fake model: the database is what is
tested, and a fast model makes the writes collide more often) and
``GraphStore.delete_facts``. The workers start at the same instant on a new home, so
they also race to create and migrate the database. Subjects are shared, so they edit
the same entities and facts.

Every committed operation is journaled by its worker (one JSON line). Afterwards the
parent checks that the database holds exactly what the journals say was committed:
every fact added and not deleted is there, valid unless a correction replaced it; every
deleted fact is gone; every correction's edit log is what it applied. A plan made stale
by the other process (a fact it meant to remove or delete was deleted or replaced
meanwhile) is refused by the store with a clear error, writing nothing; the worker
then plans again, and these conflicts are counted.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.errors import AssistantError  # noqa: E402
from assistant.learning.correction import run_correction  # noqa: E402
from assistant.paths import database_path, ensure_private_dir  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from assistant.timing import median, ms_since, percentile  # noqa: E402
from models.fake import FakeLanguageModel  # noqa: E402
from tests.reliability.graph_invariants import graph_problems  # noqa: E402

SUBJECTS = ["Bruno", "Anna", "Dr. Lee", "Paris"]
ANSWERS = ["vegetables", "meat", "Google", "the park", "blue", "Monday"]
DELETE_SHARE = 0.2
MAX_ATTEMPTS = 20


# ----- worker (a child process) ----------------------------------------------------


def _key(fact) -> list:
    # Row ids can be reused after a delete; with the creation time they are unique.
    return [fact.id, fact.created_at]


def _correct(store: GraphStore, model, rng: random.Random, tag: str) -> dict:
    subject = rng.choice(SUBJECTS)
    result = run_correction(
        model,
        store,
        f"What does {subject} like best?",
        rng.choice(ANSWERS),
        subject=subject,
        message_id=tag,
        k=3,
    )
    return {
        "op": "correct",
        "tag": tag,
        "added": [_key(f) for f in result.applied.added],
        "removed": [_key(f) for f in result.applied.removed],
    }


def _delete(store: GraphStore, rng: random.Random) -> dict | None:
    facts = store.facts(include_invalid=True)
    if not facts:
        return None
    chosen = rng.sample(facts, min(len(facts), rng.randint(1, 2)))
    deleted = store.delete_facts([f.id for f in chosen])
    return {"op": "delete", "deleted": [_key(f) for f in deleted]}


def _one_operation(store, model, rng, tag: str) -> tuple[dict, int]:
    """Runs one operation to success; returns its record and the conflicts met."""
    wants_delete = rng.random() < DELETE_SHARE
    for attempt in range(MAX_ATTEMPTS):
        try:
            record = _delete(store, rng) if wants_delete else None
            return record or _correct(store, model, rng, tag), attempt
        except AssistantError as error:  # a stale plan: refused whole, plan again
            last = str(error)
    raise RuntimeError(f"gave up after {MAX_ATTEMPTS} conflicts: {last}")


def run_worker(home: Path, ops: int, seed: int, start_at: float, journal: Path) -> int:
    while time.time() < start_at:
        time.sleep(0.001)
    ensure_private_dir(home)
    store = GraphStore(open_database(database_path(home)))
    model, rng = FakeLanguageModel(), random.Random(seed)
    with journal.open("w", encoding="utf-8") as out:
        for i in range(ops):
            start = time.perf_counter()
            try:
                record, conflicts = _one_operation(store, model, rng, f"w{seed}-{i}")
            except sqlite3.OperationalError as error:  # "database is locked" lands here
                record, conflicts = {"op": "error", "error": str(error)}, 0
            record.update(ms=ms_since(start), conflicts=conflicts)
            out.write(json.dumps(record) + "\n")
    return 0


# ----- parent: run the workers, then compare the database with their journals -------


def _expected(records: list[dict]) -> tuple[set, set, dict]:
    added, deleted, removed, edits = set(), set(), set(), {}
    for r in records:
        if r["op"] == "correct":
            added |= {tuple(k) for k in r["added"]}
            removed |= {tuple(k) for k in r["removed"]}
            edits[r["tag"]] = {(tuple(k), "add") for k in r["added"]} | {
                (tuple(k), "remove") for k in r["removed"]
            }
        elif r["op"] == "delete":
            deleted |= {tuple(k) for k in r["deleted"]}
    present = added - deleted
    edits = {tag: {e for e in rows if e[0] not in deleted} for tag, rows in edits.items()}
    return present, present - removed, edits


def _stored(conn: sqlite3.Connection) -> tuple[set, set, dict]:
    facts = conn.execute("SELECT id, created_at, invalid_at FROM facts").fetchall()
    present = {(i, c) for i, c, _ in facts}
    valid = {(i, c) for i, c, gone in facts if gone is None}
    edits: dict[str, set] = {}
    rows = conn.execute(
        "SELECT c.message_id, f.id, f.created_at, l.op FROM edit_log l "
        "JOIN corrections c ON c.id = l.correction_id JOIN facts f ON f.id = l.fact_id"
    )
    for tag, fact_id, created, op in rows:
        edits.setdefault(tag, set()).add(((fact_id, created), op))
    return present, valid, edits


def _spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {
        "median": round(median(values), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values), 2),
    }


def compare(db_file: Path, records: list[dict]) -> list[str]:
    """What the database lacks or holds beyond the committed operations."""
    conn = sqlite3.connect(db_file)
    try:
        problems = graph_problems(conn)
        want_present, want_valid, want_edits = _expected(records)
        present, valid, edits = _stored(conn)
    finally:
        conn.close()
    if present != want_present:
        problems.append(
            f"facts lost {sorted(want_present - present)[:5]}, "
            f"unexpected {sorted(present - want_present)[:5]}"
        )
    if valid != want_valid:
        problems.append(f"validity differs on {sorted(valid ^ want_valid)[:5]}")
    for tag, rows in want_edits.items():
        if rows != edits.get(tag, set()):
            problems.append(f"edit log of correction {tag} differs: {rows ^ edits.get(tag, set())}")
    return problems


def _spawn(home: Path, ops: int, seed: int, start_at: float, journal: Path):
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--worker",
            "--home",
            str(home),
            "--ops",
            str(ops),
            "--seed",
            str(seed),
            "--start-at",
            str(start_at),
            "--journal",
            str(journal),
        ]
    )


def run(ops: int, workers: int, seed: int, home: Path) -> dict:
    home.parent.mkdir(parents=True, exist_ok=True)
    journals = [home.parent / f"journal-{n}.jsonl" for n in range(workers)]
    start_at = time.time() + 1.5  # every worker imported and waiting: they start together
    share = [ops // workers + (n < ops % workers) for n in range(workers)]
    procs = [_spawn(home, share[n], seed * 100 + n, start_at, journals[n]) for n in range(workers)]
    codes = [p.wait() for p in procs]
    wall = time.time() - start_at
    records = [
        json.loads(line)
        for j in journals
        if j.exists()
        for line in j.read_text(encoding="utf-8").splitlines()
    ]
    errors = [r["error"] for r in records if r["op"] == "error"]
    problems = compare(database_path(home), records) if all(c == 0 for c in codes) else []
    summary = {
        "workers": workers,
        "operations": len(records),
        "corrections": sum(r["op"] == "correct" for r in records),
        "deletes": sum(r["op"] == "delete" for r in records),
        "conflicts_replanned": sum(r["conflicts"] for r in records),
        "locked_errors": sum("locked" in e for e in errors),
        "other_errors": errors[:5],
        "worker_exit_codes": codes,
        "wall_s": round(wall, 2),
        "ops_per_s": round(len(records) / wall, 1) if wall > 0 else None,
        "latency_ms": {
            op: _spread([r["ms"] for r in records if r["op"] == op]) for op in ("correct", "delete")
        },
        "problems": problems,
    }
    summary["ok"] = not problems and not errors and codes == [0] * workers and len(records) == ops
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1000, help="operations in all")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", help="a new, empty home (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--journal", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(Path(args.home), args.ops, args.seed, args.start_at, Path(args.journal))
    with tempfile.TemporaryDirectory(prefix="kgt-concurrency-") as scratch:
        home = Path(args.home) if args.home else Path(scratch) / "home"
        summary = run(args.ops, args.workers, args.seed, home)
    print(json.dumps(summary, indent=None if args.json else 2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
