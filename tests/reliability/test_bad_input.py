"""Bad input gets one clear error and changes nothing: empty and whitespace messages,
messages longer than the model's context, control characters, emoji, right-to-left
text and SQL metacharacters, garbage relation output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from assistant.answering.answer import answer_question
from assistant.chat import ChatSession
from assistant.cli import main
from assistant.errors import ContextOverflowError, InputError
from assistant.learning.correction import run_correction
from assistant.paths import database_path
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore
from models.fake import FakeLanguageModel

from .graph_invariants import graph_problems

QUESTION = "What does my dog Bruno eat?"


def snapshot(store):
    """Everything a bad input must leave untouched."""
    tables = ("entities", "aliases", "facts", "corrections", "edit_log")
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_a_pasted_essay_is_refused_not_crashed_on(store, fake_model):
    # 50,000 distinct words: their n-grams once overflowed SQLite's bound-variable limit
    # in the entity lookup (sqlite3.OperationalError: too many SQL variables).
    run_correction(fake_model, store, QUESTION, "vegetables", subject="Bruno")
    before = snapshot(store)
    essay = QUESTION + " " + " ".join(f"w{i}" for i in range(50_000))
    with pytest.raises(ContextOverflowError, match="too long"):
        answer_question(fake_model, store, essay)
    assert store.find_entity_in(essay) == "Bruno"
    assert snapshot(store) == before


# ----- empty and whitespace messages ---------------------------------------------------

BLANKS = ["", "   ", "\t\n \r\n", "\u2028\u3000"]


def fake_loader(settings, override):
    return FakeLanguageModel()


def cli(capsys, *argv):
    code = main(list(argv), model_loader=fake_loader)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_messages_get_one_clear_error_everywhere_and_change_nothing(
    capsys, store, fake_model, blank
):
    before = snapshot(store)
    for argv in (["ask", blank], ["correct", blank, "vegetables"], ["correct", QUESTION, blank]):
        code, out, err = cli(capsys, *argv)
        assert code == 1 and out == "" and err.count("\n") == 1 and "is empty" in err
    with pytest.raises(InputError, match="empty"):
        answer_question(fake_model, store, blank)
    with pytest.raises(InputError, match="empty"):
        run_correction(fake_model, store, blank, "vegetables")
    with pytest.raises(InputError, match="empty"):
        run_correction(fake_model, store, QUESTION, blank, subject="Bruno")
    with pytest.raises(InputError, match="empty"):
        ChatSession(fake_model, store).send(blank)
    assert snapshot(store) == before


# ----- unusual text ----------------------------------------------------------------------

AWKWARD = {
    "emoji": ("What does 🐶 Bruno eat? 🍖", "🥕 carrots", "Bruno 🐶"),
    "right to left": ("ماذا يأكل برونو؟", "خضروات", "برونو"),
    "mixed direction": ("What does برونو eat?", "جزر carrots", "برونو"),
    "SQL": (
        "What does Robert'); DROP TABLE facts;-- eat?",
        "x' OR '1'='1",
        "Robert'); DROP TABLE facts;--",
    ),
    "quotes and percent": ('What does Bob "the" %_ eat at 100%?', "50% 'fish' \\n", 'Bob "the" %_'),
    "combining and zero width": ("What does Zoe\u0301 eat?", "cafe\u0301\u200d", "Zoe\u0301"),
}


@pytest.mark.parametrize("name", AWKWARD)
def test_awkward_text_is_learned_verbatim_and_answered(capsys, private_home, name):
    question, answer, subject = AWKWARD[name]
    code, out, err = cli(capsys, "--json", "correct", question, answer, "--subject", subject)
    assert code == 0, err
    learned = json.loads(out)
    assert learned["subject"] == subject and learned["added"]
    assert {f["object"] for f in learned["added"]} == {answer}
    code, out, _ = cli(capsys, "--json", "ask", question, "--subject", subject)
    assert code == 0 and json.loads(out)["facts"]
    code, out, _ = cli(capsys, "--json", "facts", "list", "--subject", subject)
    assert {f["object"] for f in json.loads(out)} == {answer}
    store = GraphStore(open_database(database_path(private_home)))
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.find_entity_in(question) == subject


@pytest.mark.parametrize("field", ["question", "answer", "subject"])
def test_control_characters_are_refused_and_nothing_is_stored(store, fake_model, field):
    text = {"question": QUESTION, "answer": "vegetables", "subject": "Bruno"}
    text[field] = text[field][:3] + "\x1b[2J\x00" + text[field][3:]
    before = snapshot(store)
    with pytest.raises(InputError, match="control character U\\+001B"):
        run_correction(fake_model, store, text["question"], text["answer"], subject=text["subject"])
    assert snapshot(store) == before


def test_a_question_with_control_characters_can_still_be_asked(store, fake_model):
    run_correction(fake_model, store, QUESTION, "vegetables", subject="Bruno")
    answer = answer_question(fake_model, store, "What does Bruno\x07 eat?\x00")
    assert answer.subject == "Bruno" and answer.facts


# ----- what the model prints when asked for relations ------------------------------------

GARBAGE = [
    "",
    "   ",
    "\n",
    "<sep><sep><sep>",
    "<<<>>>",
    "1. 2. 3.",
    "�" * 50,
    "Bruno <sep> vegetables",
    "a" * 5000,
    "<query>: evil <answer>: x",
    "<|im_end|>",
    " ".join(["word"] * 400),
]


@pytest.mark.parametrize("reply", GARBAGE)
def test_empty_or_garbage_relation_output_still_learns_the_answer(store, reply):
    model = FakeLanguageModel(
        replies=lambda p: reply if p.rstrip().endswith("<relation>:") else None
    )
    result = run_correction(model, store, QUESTION, "vegetables", subject="Bruno", k=5)
    relations = [f.relation for f in result.applied.added]
    assert relations and all(0 < len(r) <= 48 and "\n" not in r for r in relations)
    assert {f.object for f in result.applied.added} == {"vegetables"}
    assert graph_problems(store.db.conn) == []


# ----- longer than the model's context -----------------------------------------------------

# The backend words it by where it noticed: "too long to score", "the context holds N".
TOO_LONG = re.compile(r"too long|context holds")


@pytest.mark.real_model
def test_a_correction_too_long_for_the_real_model_is_refused_whole(store, real_model):
    run_correction(real_model, store, QUESTION, "vegetables", subject="Bruno")
    before = snapshot(store)
    essay = QUESTION + " " + "really " * 6000
    with pytest.raises(ContextOverflowError, match=TOO_LONG):
        run_correction(real_model, store, essay, "meat", subject="Bruno")
    with pytest.raises(ContextOverflowError, match=TOO_LONG):
        run_correction(real_model, store, QUESTION, "meat " * 6000, subject="Bruno")
    with pytest.raises(ContextOverflowError, match=TOO_LONG):
        answer_question(real_model, store, essay)
    assert snapshot(store) == before


@pytest.mark.real_model
@pytest.mark.usefixtures("embedded_model_path")  # the CLI loads the default model
@pytest.mark.parametrize(
    "argv",
    [["ask", "{essay}"], ["correct", "{essay}", "vegetables"], ["correct", QUESTION, "{essay}"]],
)
def test_the_real_cli_refuses_a_message_longer_than_the_context(tmp_path, argv):
    essay = QUESTION + " " + " ".join(f"w{i}" for i in range(12_000))  # ~60k tokens
    result = assistant_cli(tmp_path / "home", *[a.format(essay=essay) for a in argv])
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and TOO_LONG.search(result.stderr)
    facts = assistant_cli(tmp_path / "home", "--json", "facts", "list")
    assert json.loads(facts.stdout) == []


def assistant_cli(home, *argv):
    """The installed program, as a user runs it."""
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


# ----- a broken knowledge database --------------------------------------------------------


def test_a_corrupt_database_file_gets_one_line_and_is_left_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"this is not a database" * 100
    database_path(home).write_bytes(garbage)
    result = assistant_cli(home, "facts", "list")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "cannot open the knowledge database" in result.stderr
    assert database_path(home).read_bytes() == garbage
