"""Crash safety: kill a process with SIGKILL at random moments while it corrects, undoes
and deletes, and check the database after every kill.

    python scripts/crash_test.py --kills 60 [--model fake|real] [--seed 1] [--json]

A child process opens the home (recovering whatever the last kill left), then loops:
70% corrections (``propose_correction`` + ``apply_proposal``, the real pipeline), 15%
undos, 15% deletes. Before each write it journals what it is about to do (the planned
edits), and after it what was committed; a SQLite trace callback also journals each
BEGIN and COMMIT, so every kill can be placed: before the transaction, inside it,
during COMMIT, or between operations. The parent kills the child after a random delay
and, on a copy of the database and its WAL (so the next child still recovers the real
files), checks that:

- ``PRAGMA integrity_check`` is ok and every invariant of the graph holds (the edit log
  agrees with the facts table: tests/reliability/graph_invariants.py);
- the operation in flight is wholly applied or not at all (a correction: its row with
  exactly the planned edit-log rows, or nothing; an undo: done or not; a delete: all its
  facts gone or all there), and not applied at all when the kill came before COMMIT;
- the last operation reported committed is there.

``--model fake`` (the default) uses the deterministic fake model: a correction takes a
millisecond or two, so kills land often inside transactions. ``--model real`` uses the
embedded SmolLM2 GGUF (each child loads it; most time is spent in the model).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.facts import AddFact, EditOp, RemoveFact  # noqa: E402
from assistant.learning.correction import apply_proposal, drain, propose_correction  # noqa: E402
from assistant.paths import database_path, ensure_private_dir  # noqa: E402
from assistant.preload import load_language_data  # noqa: E402
from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from tests.reliability.graph_invariants import graph_problems  # noqa: E402

SUBJECTS = ["Bruno", "Anna", "Dr. Lee"]
ANSWERS = ["vegetables", "meat", "Google", "the park", "blue"]
OPERATION_WEIGHTS = {"correct": 70, "undo": 15, "delete": 15}


# ----- the child: a loop of operations, journaled --------------------------------------


class Journal:
    """Unbuffered JSON lines: each write is one system call, so it survives SIGKILL.

    ``stretch`` seconds of sleep before every statement inside a transaction widen the
    window a kill can land in (instrumentation only: the statements are unchanged).
    """

    def __init__(self, path: Path, stretch: float = 0.0):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.stretch = stretch
        self.in_transaction = False

    def note(self, **record) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode("utf-8"))

    def trace(self, sql: str) -> None:
        word = sql.split(None, 1)[0].upper() if sql.strip() else ""
        if word in ("BEGIN", "COMMIT", "ROLLBACK"):
            self.note(sql=word)
            self.in_transaction = word == "BEGIN"
        elif self.in_transaction and self.stretch:
            time.sleep(self.stretch)


def _load_model(kind: str):
    if kind == "fake":
        from models.fake import FakeLanguageModel

        return FakeLanguageModel()
    from models.embedded import default_model_path
    from models.llama_backend import LlamaLanguageModel

    return LlamaLanguageModel(str(default_model_path()), context_length=2048, n_threads=1)


def _correct(store, model, rng, journal, tag: str) -> None:
    subject = rng.choice(SUBJECTS)
    proposal = drain(
        propose_correction(
            model,
            store,
            f"What does {subject} like best?",
            rng.choice(ANSWERS),
            subject=subject,
            message_id=tag,
            k=3,
        )
    )
    edits = proposal.plan.edits
    journal.note(
        op="correct",
        tag=tag,
        adds=sum(isinstance(e, AddFact) for e in edits),
        removes=sorted(e.fact_id for e in edits if isinstance(e, RemoveFact)),
    )
    applied = apply_proposal(store, proposal)
    journal.note(done="correct", correction_id=applied.correction_id)


def _undo(store, rng, journal, active: list[int]) -> None:
    correction_id = rng.choice(active)
    rows = store.db.execute(
        "SELECT op, fact_id FROM edit_log WHERE correction_id = ?", [correction_id]
    ).fetchall()
    journal.note(op="undo", correction_id=correction_id, rows=sorted(rows))
    store.undo(correction_id)
    journal.note(done="undo")


def _delete(store, rng, journal, facts) -> None:
    chosen = rng.sample(facts, min(len(facts), rng.randint(1, 3)))
    journal.note(op="delete", facts=[[f.id, f.created_at] for f in chosen])
    store.delete_facts([f.id for f in chosen])
    journal.note(done="delete")


def run_child(home: Path, journal_path: Path, model_kind: str, seed: int, stretch: float) -> None:
    journal = Journal(journal_path, stretch)
    ensure_private_dir(home)
    store = GraphStore(open_database(database_path(home)))
    store.db.conn.set_trace_callback(journal.trace)
    model = _load_model(model_kind)
    load_language_data()  # as the app does after loading the model
    rng = random.Random(seed)
    print("ready", flush=True)
    for i in itertools.count():
        kind = rng.choices(list(OPERATION_WEIGHTS), list(OPERATION_WEIGHTS.values()))[0]
        active = [
            i for (i,) in store.db.execute("SELECT id FROM corrections WHERE undone_at IS NULL")
        ]
        facts = store.facts(include_invalid=True)
        if kind == "undo" and active:
            _undo(store, rng, journal, active)
        elif kind == "delete" and facts:
            _delete(store, rng, journal, facts)
        else:
            _correct(store, model, rng, journal, f"{seed}-{i}")


# ----- the parent: kill, then check a copy of what the kill left ----------------------


def last_operation(lines: list[dict]) -> tuple[dict | None, bool, str]:
    """(the last operation begun, whether it finished, where the kill landed)."""
    begun = [i for i, r in enumerate(lines) if "op" in r]
    if not begun:
        return None, False, "before any write"
    start = begun[-1]
    after = lines[start + 1 :]
    if any("done" in r for r in after):
        return lines[start], True, "between operations"
    markers = [r["sql"] for r in after if "sql" in r]
    if "COMMIT" in markers:
        return lines[start], False, "during COMMIT"
    if "BEGIN" in markers:
        return lines[start], False, "inside the transaction"
    return lines[start], False, "before the transaction"


def _correction_state(conn, op: dict) -> bool:
    """Whether the correction is applied; raises AssertionError if only partly."""
    row = conn.execute("SELECT id FROM corrections WHERE message_id = ?", [op["tag"]]).fetchone()
    if row is None:
        invalid = {i for (i,) in conn.execute("SELECT id FROM facts WHERE invalid_at IS NOT NULL")}
        assert not set(op["removes"]) & invalid, "a planned removal happened without its correction"
        return False
    rows = conn.execute(
        "SELECT op, fact_id FROM edit_log WHERE correction_id = ?", [row[0]]
    ).fetchall()
    adds = [f for o, f in rows if o == EditOp.ADD]
    removes = sorted(f for o, f in rows if o == EditOp.REMOVE)
    assert len(adds) == op["adds"] and removes == op["removes"], (
        f"correction {op['tag']} partly applied: {len(adds)}/{op['adds']} adds, "
        f"removes {removes} of {op['removes']}"
    )
    return True


def _undo_state(conn, op: dict) -> bool:
    undone = conn.execute(
        "SELECT undone_at FROM corrections WHERE id = ?", [op["correction_id"]]
    ).fetchone()[0]
    facts = {i: gone for i, gone in conn.execute("SELECT id, invalid_at FROM facts")}
    added = [f for o, f in op["rows"] if o == EditOp.ADD]
    removed = [f for o, f in op["rows"] if o == EditOp.REMOVE]
    if undone is None:
        rows = conn.execute(
            "SELECT op, fact_id FROM edit_log WHERE correction_id = ?", [op["correction_id"]]
        ).fetchall()
        assert sorted(map(list, rows)) == op["rows"], "undo partly applied: edit log changed"
        assert all(f in facts for f in added), "undo deleted facts but is not recorded"
        return False
    assert not set(added) & set(facts), "undo recorded but facts it added are still there"
    assert all(facts.get(f) is None for f in removed), "undo recorded but a removal was kept"
    return True


def _delete_state(conn, op: dict) -> bool:
    present = {(i, c) for i, c in conn.execute("SELECT id, created_at FROM facts")}
    chosen = {tuple(f) for f in op["facts"]}
    assert not chosen & present or chosen <= present, "delete partly applied"
    return not chosen & present


CHECKS = {"correct": _correction_state, "undo": _undo_state, "delete": _delete_state}


def check_after_kill(db_file: Path, lines: list[dict]) -> tuple[str, list[str]]:
    """Where the kill landed, and every problem found in the database it left."""
    op, finished, phase = last_operation(lines)
    conn = sqlite3.connect(db_file)
    try:
        problems = graph_problems(conn)
        if op is not None:
            try:
                applied = CHECKS[op["op"]](conn, op)
                if finished and not applied:
                    problems.append(f"committed {op['op']} lost")
                if phase in ("before the transaction", "inside the transaction") and applied:
                    problems.append(f"{op['op']} applied although killed before COMMIT")
            except AssertionError as error:
                problems.append(str(error))
    finally:
        conn.close()
    return phase, problems


def _copy_database(db_file: Path, scratch: Path) -> Path:
    copy = scratch / db_file.name
    for suffix in ("", "-wal"):
        source = Path(str(db_file) + suffix)
        target = Path(str(copy) + suffix)
        target.unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, target)
    Path(str(copy) + "-shm").unlink(missing_ok=True)  # rebuilt from the WAL
    return copy


def _kill_one(
    home: Path, journal: Path, model: str, seed: int, delay: float, stretch: float
) -> int:
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            "--home",
            str(home),
            "--journal",
            str(journal),
            "--model",
            model,
            "--seed",
            str(seed),
            "--stretch",
            str(stretch),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    ready = child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.communicate()
    return child.returncode if not ready else -signal.SIGKILL


def run(
    kills: int, model: str, seed: int, max_delay: float, home: Path, stretch: float = 0.0
) -> dict:
    rng = random.Random(seed)
    scratch = home.parent / "checked-copy"
    scratch.mkdir(parents=True, exist_ok=True)
    phases: collections.Counter = collections.Counter()
    problems, committed = [], 0
    for k in range(kills):
        journal = home.parent / f"journal-{k}.jsonl"
        code = _kill_one(home, journal, model, seed * 1000 + k, rng.uniform(0, max_delay), stretch)
        if code != -signal.SIGKILL:
            problems.append(f"kill {k}: child exited with {code} before being killed")
            continue
        text = journal.read_text() if journal.exists() else ""
        lines = [json.loads(x) for x in text.splitlines()]
        committed += sum("done" in r for r in lines)
        phase, found = check_after_kill(_copy_database(database_path(home), scratch), lines)
        phases[phase] += 1
        problems += [f"kill {k} ({phase}): {p}" for p in found]
    store = GraphStore(open_database(database_path(home)))  # the app's own recovery
    final = graph_problems(store.db.conn)
    summary = {
        "model": model,
        "kills": kills,
        "stretch_s": stretch,
        "kill_moments": dict(phases),
        "operations_committed": committed,
        "final": {
            "corrections": len(store.corrections()),
            "facts": len(store.facts(include_invalid=True)),
            "problems": final,
        },
        "problems": problems,
    }
    summary["ok"] = not problems and not final
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--model", choices=["fake", "real"], default="fake")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-delay",
        type=float,
        help="longest wait before a kill, seconds (default: 0.3 fake, 8 real)",
    )
    parser.add_argument(
        "--stretch",
        type=float,
        default=0.0005,
        help="sleep before each statement inside a transaction, seconds "
        "(widens the window kills land in; 0 for none)",
    )
    parser.add_argument("--home", help="a new home to run in (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the summary as one line")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--journal", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(Path(args.home), Path(args.journal), args.model, args.seed, args.stretch)
        return 0
    max_delay = args.max_delay or (0.3 if args.model == "fake" else 8.0)
    with tempfile.TemporaryDirectory(prefix="kgt-crash-") as scratch:
        home = Path(args.home) if args.home else Path(scratch) / "home"
        summary = run(args.kills, args.model, args.seed, max_delay, home, args.stretch)
    print(json.dumps(summary, indent=None if args.json else 2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
