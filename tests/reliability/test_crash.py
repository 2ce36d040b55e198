"""Crash safety: processes killed with SIGKILL mid-correction leave a sound database in
which every correction is wholly applied or not at all. Runs scripts/crash_test.py with
a few kills (fake model); the full run and its figures are in docs/RELIABILITY.md."""

from pathlib import Path

from assistant.learning.correction import run_correction

from .scripts_under_test import import_script, run_script

crash_test = import_script("crash_test")


def test_killed_correction_loops_leave_a_sound_database(tmp_path):
    summary, code = run_script(
        "crash_test", "--kills", "8", "--seed", "11", "--home", str(tmp_path / "home")
    )
    assert summary["problems"] == [] and summary["final"]["problems"] == []
    assert sum(summary["kill_moments"].values()) == 8
    assert summary["kill_moments"].get("inside the transaction", 0) >= 1
    assert summary["operations_committed"] > 0 and summary["final"]["corrections"] > 0
    assert code == 0 and summary["ok"]


def _journal_of(store, tag, adds):
    return [
        {"op": "correct", "tag": tag, "adds": adds, "removes": []},
        {"sql": "BEGIN"},
        {"sql": "COMMIT"},
    ]


def test_the_check_notices_a_half_applied_correction(tmp_path, store, fake_model):
    run_correction(
        fake_model, store, "What does Bruno eat?", "meat", subject="Bruno", message_id="t-1", k=3
    )
    planned = len(store.facts())
    db_file = Path(store.db.execute("PRAGMA database_list").fetchone()[2])
    phase, problems = crash_test.check_after_kill(db_file, _journal_of(store, "t-1", planned))
    assert (phase, problems) == ("during COMMIT", [])
    # The same database, had the journal planned one more edit than was written:
    _, problems = crash_test.check_after_kill(db_file, _journal_of(store, "t-1", planned + 1))
    assert any("partly applied" in p for p in problems)


def test_the_check_notices_a_correction_applied_although_killed_before_commit(store, fake_model):
    run_correction(
        fake_model, store, "What does Bruno eat?", "meat", subject="Bruno", message_id="t-2", k=3
    )
    db_file = Path(store.db.execute("PRAGMA database_list").fetchone()[2])
    journal = _journal_of(store, "t-2", len(store.facts()))[:2]  # BEGIN, never COMMIT
    phase, problems = crash_test.check_after_kill(db_file, journal)
    assert phase == "inside the transaction"
    assert problems == ["correct applied although killed before COMMIT"]
