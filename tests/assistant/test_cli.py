"""The CLI's interface, exactly as other checks call it (fake model)."""

import json

import pytest

from assistant.cli import main
from models.fake import FakeLanguageModel


def fake_loader(settings, override):
    return FakeLanguageModel()


def run(capsys, *argv):
    code = main(list(argv), model_loader=fake_loader)
    out, err = capsys.readouterr()
    return code, out, err


def test_correct_ask_list_undo_round_trip(capsys, private_home):
    code, out, _ = run(
        capsys,
        "correct",
        "What does my dog Bruno eat?",
        "vegetables",
        "--subject",
        "Bruno",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) == {
        "subject",
        "added",
        "removed",
        "replaced",
        "loss_before",
        "loss_after",
        "latency_ms",
        "correction_id",
    }
    assert result["subject"] == "Bruno" and result["added"]
    fact = result["added"][0]
    assert set(fact) == {"id", "subject", "relation", "object", "created_at", "source", "sentence"}
    assert fact["source"] == {"correction_id": result["correction_id"]}

    code, out, _ = run(capsys, "--json", "ask", "What does my dog Bruno eat?")
    answer = json.loads(out)
    assert set(answer) == {"answer", "subject", "facts", "latency_ms", "path"}
    assert answer["subject"] == "Bruno" and answer["facts"]

    code, out, _ = run(capsys, "facts", "list", "--json")
    assert [f["id"] for f in json.loads(out)] == [f["id"] for f in result["added"]]

    assert run(capsys, "facts", "undo")[0] == 0
    code, out, _ = run(capsys, "facts", "list", "--json")
    assert json.loads(out) == []


def test_global_options_work_after_the_subcommand(capsys, tmp_path):
    home = tmp_path / "elsewhere"
    run(capsys, "correct", "Where does Anna work?", "Google", "--home", str(home))
    code, out, _ = run(capsys, "facts", "list", "--json", "--home", str(home))
    assert json.loads(out)[0]["subject"] == "Anna"
    code, out, _ = run(capsys, "--home", str(home), "--json", "facts", "list")
    assert json.loads(out)[0]["subject"] == "Anna"


def test_list_all_includes_replaced_facts(capsys):
    run(capsys, "correct", "What does Bruno eat?", "meat")
    run(capsys, "correct", "What does Bruno eat?", "fish")
    _, out, _ = run(capsys, "facts", "list", "--all", "--json")
    facts = json.loads(out)
    assert any(f["invalid_at"] for f in facts) and any(not f["invalid_at"] for f in facts)


@pytest.mark.parametrize(
    "argv,message",
    [
        (("ask", "  "), "question is empty"),
        (("correct", "", "x"), "question is empty"),
        (("facts", "delete", "42"), "no fact with id 42"),
        (("facts", "delete", "abc"), "must be a number"),
        (("facts", "undo"), "no correction to undo"),
    ],
)
def test_errors_are_one_line_on_stderr_with_nonzero_exit(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code != 0 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_delete_removes_the_fact(capsys):
    _, out, _ = run(capsys, "correct", "What does Bruno eat?", "meat", "--json")
    fact_id = json.loads(out)["added"][0]["id"]
    assert run(capsys, "facts", "delete", str(fact_id))[0] == 0
    _, out, _ = run(capsys, "facts", "list", "--json")
    assert fact_id not in [f["id"] for f in json.loads(out)]


def test_terminal_chat_answers_and_learns_with_wrong(capsys, monkeypatch):
    lines = iter(["What does my dog Bruno eat?", "/wrong vegetables", "/facts", "/quit"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    code, out, _ = run(capsys, "chat")
    assert code == 0
    assert "Learned about Bruno" in out and "vegetables" in out
