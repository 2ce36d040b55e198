"""Privacy: private files, no network from the core, incognito stores nothing, and
"forget" leaves no copy in the database file, its write-ahead log, the edit log's text
or the model's caches, nor, when asked, in the chat messages that stated it."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from assistant.answering.answer import answer_question
from assistant.chat import ChatSession
from assistant.errors import InputError, ModelError
from assistant.language.prompts import chat_system_prompt
from assistant.learning.correction import drain, run_correction
from assistant.llm import ChatMessage
from assistant.paths import database_path
from assistant.settings import Settings, update_settings
from assistant.store.conversations import ConversationStore
from assistant.store.database import open_database
from assistant.store.forgetting import forget_entity, forget_facts
from assistant.store.graph_store import GraphStore

from .test_bad_input import cli
from .test_migration_backup import extra_migration

SECRET_SUBJECT = "Zanzibarquux"
SECRET_FOOD = "glimmerberries"
QUESTION = f"What does my dog {SECRET_SUBJECT} eat?"


def raw_copies(db_file: Path, *texts: str) -> dict[str, list[str]]:
    """Which of ``texts`` appear, in any case, in the bytes of the database's files."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(str(db_file) + suffix)
        if path.exists():
            data = path.read_bytes().lower()
            found[path.name] = [t for t in texts if t.lower().encode("utf-8") in data]
    return found


# ----- files readable by the user only -------------------------------------------------


def test_everything_written_in_the_home_is_private_whatever_the_umask(capsys, private_home):
    old = os.umask(0o022)
    try:
        cli(capsys, "correct", QUESTION, SECRET_FOOD, "--subject", SECRET_SUBJECT)
        cli(capsys, "ask", QUESTION)
        update_settings(private_home, temperature=0.2)
        cli(capsys, "facts", "export", str(private_home / "export.json"))
        with extra_migration("CREATE TABLE privacy_test (x)"):
            open_database(database_path(private_home)).conn.close()
        # Keep a connection open so that the -wal and -shm files exist while we look.
        keep = open_database(database_path(private_home))
        keep.execute("SELECT count(*) FROM facts").fetchone()
        modes = {
            p.relative_to(private_home).as_posix(): stat.S_IMODE(p.stat().st_mode)
            for p in [private_home, *private_home.rglob("*")]
        }
    finally:
        os.umask(old)
    assert modes.pop(".") == 0o700
    assert {"assistant.db", "assistant.db-wal", "settings.json", "export.json"} <= set(modes)
    assert any(name.startswith("assistant.backup-") for name in modes)
    assert {
        name: mode
        for name, mode in modes.items()
        if mode != (0o700 if (private_home / name).is_dir() else 0o600)
    } == {}


# ----- no network ----------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection fails loudly and is recorded."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is blocked in this test")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)
    return attempts


@pytest.mark.real_model
def test_correct_and_ask_with_the_real_model_make_no_network_connection(
    no_network, store, real_model
):
    result = run_correction(real_model, store, QUESTION, SECRET_FOOD, subject=SECRET_SUBJECT)
    answer = answer_question(real_model, store, QUESTION)
    session = ChatSession(real_model, store, Settings(), max_tokens=8)
    _, pieces = session.send(QUESTION)
    "".join(pieces)
    assert result.applied.added and answer.facts
    assert no_network == []


@pytest.mark.real_model
def test_loading_a_model_never_downloads_one(no_network, embedded_model_path, tmp_path):
    from models.loader import load_model

    with pytest.raises(ModelError, match="not found"):
        load_model(Settings(), str(tmp_path / "missing.gguf"))
    model = load_model(Settings(context_length=512), embedded_model_path)
    model.close()
    assert no_network == []


# ----- incognito -----------------------------------------------------------------------


def test_incognito_learns_and_stores_nothing(capsys, private_home, fake_model):
    update_settings(private_home, incognito=True)
    code, out, err = cli(capsys, "correct", QUESTION, SECRET_FOOD, "--subject", SECRET_SUBJECT)
    assert code == 1 and out == "" and err.count("\n") == 1 and "incognito" in err
    code, _, _ = cli(capsys, "ask", QUESTION)
    assert code == 0
    store = GraphStore(open_database(database_path(private_home)))
    session = ChatSession(fake_model, store, Settings(incognito=True))
    "".join(session.send(QUESTION)[1])
    with pytest.raises(InputError, match="incognito"):
        drain(session.correct(SECRET_FOOD))
    counts = {
        t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("entities", "facts", "corrections", "edit_log", "aliases")
    }
    assert set(counts.values()) == {0}
    store.erase_deleted_text()
    assert (
        set(sum(raw_copies(database_path(private_home), SECRET_SUBJECT, SECRET_FOOD).values(), []))
        == set()
    )


# ----- forget --------------------------------------------------------------------------


def test_forget_an_entity_then_ask_again_finds_no_trace_of_it(capsys, private_home):
    cli(capsys, "correct", QUESTION, SECRET_FOOD, "--subject", SECRET_SUBJECT)
    cli(capsys, "correct", "Where does Anna work?", "Google", "--subject", "Anna")
    code, out, _ = cli(capsys, "ask", QUESTION)
    assert code == 0 and SECRET_FOOD in out  # the fake model answers with the fact

    code, out, _ = cli(capsys, "facts", "forget", SECRET_SUBJECT.lower())
    assert code == 0 and out.startswith(f"Forgot {SECRET_SUBJECT.lower()}:")
    code, out, err = cli(capsys, "ask", QUESTION)
    assert code == 0 and SECRET_FOOD not in out + err
    db_file = database_path(private_home)
    assert set(sum(raw_copies(db_file, SECRET_SUBJECT, SECRET_FOOD).values(), [])) == set()
    assert "Google" in sum(raw_copies(db_file, "Google").values(), [])  # the rest is kept
    code, _, err = cli(capsys, "facts", "forget", SECRET_SUBJECT)
    assert code == 1 and "no entity named" in err


def test_deleting_facts_removes_them_from_the_edit_log_text_too(store, fake_model):
    run_correction(fake_model, store, QUESTION, SECRET_FOOD, subject=SECRET_SUBJECT)
    wrong = answer_question(fake_model, store, QUESTION).text
    assert SECRET_FOOD in wrong
    # The next correction records the wrong answer it replaced, which quotes the fact.
    run_correction(
        fake_model, store, QUESTION, "carrots", subject=SECRET_SUBJECT, model_answer=wrong
    )
    secret_ids = [f.id for f in store.facts(include_invalid=True) if f.object == SECRET_FOOD]
    store.delete_facts(secret_ids)
    answer = answer_question(fake_model, store, QUESTION)
    assert SECRET_FOOD not in answer.text and "carrots" in answer.text
    db_file = Path(store.db.execute("PRAGMA database_list").fetchone()[2])
    assert set(sum(raw_copies(db_file, SECRET_FOOD).values(), [])) == set()


def chat_that_teaches_the_secret(store, fake_model) -> ConversationStore:
    """Conversations as the app stores them: the secret is taught by thumbs-down on an
    answer, then said again in another chat beside an unrelated exchange."""
    conversations = ConversationStore(store.db)
    first = conversations.create()
    conversations.add_message(first.id, "user", QUESTION)
    wrong = conversations.add_message(first.id, "assistant", "Dogs eat meat.")
    run_correction(
        fake_model,
        store,
        QUESTION,
        SECRET_FOOD,
        subject=SECRET_SUBJECT,
        model_answer=wrong.content,
        message_id=str(wrong.id),
    )
    second = conversations.create()
    for role, text in (
        ("user", f"{SECRET_SUBJECT} gobbled all the {SECRET_FOOD.title()} again!"),
        ("assistant", "What a dog."),
        ("user", "Where does Anna work?"),
        ("assistant", "Anna works at Google."),
    ):
        conversations.add_message(second.id, role, text)
    return conversations


def db_file_of(store) -> Path:
    return Path(store.db.execute("PRAGMA database_list").fetchone()[2])


def test_deleting_a_fact_with_its_messages_leaves_no_copy_in_the_files(store, fake_model):
    conversations = chat_that_teaches_the_secret(store, fake_model)
    assert SECRET_FOOD in sum(raw_copies(db_file_of(store), SECRET_FOOD).values(), [])
    [fact] = store.facts(SECRET_SUBJECT)
    forgotten = forget_facts(store, [fact.id], with_messages=True)
    assert forgotten.messages.count == 4 and len(forgotten.messages.removed) == 1
    found = raw_copies(db_file_of(store), SECRET_FOOD, "gobbled", "Dogs eat meat")
    assert set(sum(found.values(), [])) == set()
    assert "Google" in sum(raw_copies(db_file_of(store), "Google").values(), [])
    [left] = conversations.conversations()
    assert [m.content for m in conversations.messages(left.id)][-1] == "Anna works at Google."


def test_deleting_a_fact_without_its_messages_keeps_them(store, fake_model):
    conversations = chat_that_teaches_the_secret(store, fake_model)
    before = [m.content for m in conversations.all_messages()]
    [fact] = store.facts(SECRET_SUBJECT)
    assert forget_facts(store, [fact.id]).messages.count == 0
    assert store.facts(SECRET_SUBJECT) == []
    assert [m.content for m in conversations.all_messages()] == before
    assert "gobbled" in sum(raw_copies(db_file_of(store), "gobbled").values(), [])


def test_forgetting_an_entity_with_its_messages_leaves_no_copy_in_the_files(store, fake_model):
    conversations = chat_that_teaches_the_secret(store, fake_model)
    forgotten = forget_entity(store, SECRET_SUBJECT, with_messages=True)
    assert len(forgotten.facts) == 1 and forgotten.messages.count == 4
    found = raw_copies(db_file_of(store), SECRET_SUBJECT, SECRET_FOOD, "gobbled")
    assert set(sum(found.values(), [])) == set()
    assert len(list(conversations.all_messages())) == 2


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["facts", "delete", "{fact}", "--json"], {"deleted"}),  # as before the option
        (
            ["facts", "delete", "{fact}", "--with-messages", "--json"],
            {"deleted", "messages_deleted"},
        ),
        (["facts", "forget", SECRET_SUBJECT, "--json"], {"forgotten", "facts_deleted"}),
        (
            ["facts", "forget", SECRET_SUBJECT, "--with-messages", "--json"],
            {"forgotten", "facts_deleted", "messages_deleted"},
        ),
    ],
)
def test_the_cli_deletes_messages_only_when_asked(capsys, private_home, fake_model, argv, expected):
    store = GraphStore(open_database(database_path(private_home)))
    conversations = chat_that_teaches_the_secret(store, fake_model)
    [fact] = store.facts(SECRET_SUBJECT)
    code, out, _ = cli(capsys, *(a.format(fact=fact.id) for a in argv))
    result = json.loads(out)
    assert code == 0 and set(result) == expected
    left = len(list(conversations.all_messages()))
    assert (result.get("messages_deleted"), left) in {(None, 6), (4, 2)}


def test_the_cli_says_how_many_messages_it_deleted(capsys, private_home, fake_model):
    store = GraphStore(open_database(database_path(private_home)))
    chat_that_teaches_the_secret(store, fake_model)
    code, out, _ = cli(capsys, "facts", "forget", SECRET_SUBJECT, "--with-messages")
    assert code == 0
    assert out.splitlines() == [
        f"Forgot {SECRET_SUBJECT}: 1 facts deleted.",
        "Deleted 4 messages that stated it; 1 conversation left empty, removed.",
    ]


@pytest.mark.real_model
def test_after_forget_the_real_models_caches_hold_nothing(store, real_model):
    run_correction(real_model, store, QUESTION, SECRET_FOOD, subject=SECRET_SUBJECT)
    first = answer_question(real_model, store, QUESTION)  # greedy: the scoring cache
    assert first.facts
    system = ChatMessage("system", chat_system_prompt(first.facts))
    "".join(real_model.chat([system, ChatMessage("user", QUESTION)], max_tokens=2))
    fact_tokens = real_model.tokenize(f" {SECRET_FOOD}")
    assert _cached_prompts(real_model, fact_tokens) == {"scoring": True, "chat": True}

    store.forget_entity(SECRET_SUBJECT)
    real_model.forget_cache()
    assert _cached_prompts(real_model, fact_tokens) == {"scoring": False, "chat": False}
    again = answer_question(real_model, store, QUESTION)
    assert again.facts == [] and SECRET_FOOD not in again.text


def _cached_prompts(model, tokens: list[int]) -> dict[str, bool]:
    """Whether the prompt state the backend keeps (the scoring context's cached
    prefixes; llama_cpp.Llama's last chat prompt) contains ``tokens``. Reads the
    backend's own bookkeeping: there is no public view of its caches."""
    scoring = any(_contains(list(prefix), tokens) for prefix in model._cache._cached)
    chat = _contains([int(t) for t in model._llm._input_ids], tokens)
    return {"scoring": scoring, "chat": chat}


def _contains(haystack: list[int], needle: list[int]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))
