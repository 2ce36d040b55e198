"""Chat scenarios: the matcher, the file's checks, the runs through ChatSession and the
CLI's JSON and report (fake model), and one tiny run on the real model."""

import json
import re

import pytest

from assistant.chat import ChatSession
from assistant.cli import main
from assistant.errors import InputError
from assistant.learning.correction import correct
from assistant.settings import Settings
from evaluation import command as eval_command
from evaluation import scenario_runner
from evaluation.matching import contains_phrase, reply_passes, same_words
from evaluation.scenario_file import KINDS, load_scenarios
from evaluation.scenario_report import markdown_report
from evaluation.scenario_runner import NOTHING_STATED, run_scenarios
from evaluation.scenario_summary import summary_json
from models.fake import FakeLanguageModel

SUMMARY_KEYS = {
    "model",
    "scenarios",
    "kinds",
    "overall",
    "corrections",
    "failed_corrections",
    "facts_added_per_correction",
    "facts_removed_per_correction",
    "facts_lost",
    "tells_total",
    "tells_not_learned",
    "correction_ms_p50",
    "reply_ms_p50",
    "peak_rss_mb",
}

OSKAR = {
    "id": "nephew-oskar",
    "about": "a nephew's instrument",
    "steps": [
        {"teach": "What instrument does my nephew Oskar play?", "answer": "trombone"},
        {
            "ask": "Which instrument is Oskar learning?",
            "expect": ["trombone"],
            "kind": "paraphrase",
        },
        {
            "ask": "What instrument does my nephew Oskar play?",
            "expect": ["trombone"],
            "kind": "recall",
        },
        {
            "ask": "Which instrument has black and white keys?",
            "expect": ["piano"],
            "kind": "neighbour",
        },
    ],
}
# A later scenario that refers back to Oskar: one memory holds both.
OSKAR_AGAIN = {
    "id": "oskar-again",
    "steps": [{"ask": "What does Oskar play?", "expect": ["trombone"], "kind": "retention"}],
}
# Nothing in the question names what it is about: the correction cannot find a subject.
NO_SUBJECT = {
    "id": "weather",
    "steps": [
        {"teach": "how cold was yesterday?", "answer": "freezing"},
        {"ask": "how cold was yesterday?", "expect": ["freezing"], "kind": "recall"},
    ],
}


def write(tmp_path, scenarios, name="scenarios.json"):
    path = tmp_path / name
    path.write_text(json.dumps(scenarios), encoding="utf-8")
    return path


def run_cli(argv, model=None):
    model = model or FakeLanguageModel()
    return main(
        ["eval", "scenarios", *argv],
        model_loader=lambda settings, override: model,
        extensions=[eval_command.register],
    )


def greedy():
    return Settings(temperature=0.0)


# -- the matcher -------------------------------------------------------------------


def test_matcher_takes_whole_words_only():
    assert contains_phrase("Pepper is a whippet.", "whippet")
    assert not contains_phrase("Pepper loves whippets", "whippet")
    assert not contains_phrase("A pianola", "piano")
    assert contains_phrase("He plays the trombone", "the trombone")
    assert not contains_phrase("He plays the trombone", "he trombone")


def test_matcher_ignores_case_punctuation_and_spacing():
    assert contains_phrase("She goes to HILLCREST-Primary!", "Hillcrest primary")
    assert contains_phrase("It's   the\nlighthouse   keeper.", "lighthouse keeper")
    assert contains_phrase("Oskar's school", "Oskar's")
    assert same_words("Paris, France.", "  paris   france")
    assert not contains_phrase("anything", "?!")  # a phrase without words finds nothing


def test_reply_passes_needs_one_expected_and_no_rejected():
    assert reply_passes("She is a pilot now", ["pilot", "aviator"])
    assert not reply_passes("She is a pharmacist", ["pilot"])
    assert not reply_passes("A pilot, formerly a pharmacist", ["pilot"], ["pharmacist"])
    assert reply_passes("A pilot with pharmacists as friends", ["pilot"], ["pharmacist"])


def test_with_nothing_expected_a_reply_passes_by_what_it_does_not_say():
    assert reply_passes("Whiskers is a fine name for a cat.", [], ["Oskar", "trombone"])
    assert not reply_passes("Try Oskar, like your nephew.", [], ["Oskar", "trombone"])


# -- the file --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not JSON (line 1)"),
        ({"id": "x"}, "expected a non-empty JSON list of scenarios"),
        ([{"steps": [{"tell": "hi"}]}], 'scenario 1 has no "id"'),
        ([{"id": "a", "steps": []}], 'scenario 1 (a) has no "steps"'),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "expected": ["x"], "kind": "recall"}]}],
            "scenario 1 (a) step 1 (ask) lacks expect and has unknown key(s) expected",
        ),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "expect": ["x"], "kind": "guess"}]}],
            "unknown kind 'guess'",
        ),
        ([{"id": "a", "steps": [{"teach": "Q?"}]}], "step 1 (teach) lacks answer"),
        ([{"id": "a", "steps": [{"teach": "Q?", "tell": "x", "answer": "y"}]}], "exactly one"),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "expect": "x", "kind": "recall"}]}],
            '"expect" must be a list of strings',
        ),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "expect": ["..."], "kind": "recall"}]}],
            "a phrase without words",
        ),
        ([{"id": "a", "steps": [{"tell": "  "}]}], '"tell" must be a non-empty string'),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "reject": ["x"], "kind": "abstain"}]}],
            "scenario 1 (a) step 1 (ask) lacks expect",
        ),
        (
            [{"id": "a", "steps": [{"ask": "Q?", "expect": [], "kind": "history"}]}],
            '"expect" is empty',
        ),
        ([OSKAR, OSKAR], "scenario id 'nephew-oskar' is used twice"),
        ([{"id": "a", "steps": [{"tell": "Hi, I am Ann."}]}], "no ask step"),
    ],
)
def test_malformed_files_are_one_clear_line(content, message, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    assert run_cli(["--data", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("assistant: error:")


def test_missing_file_and_bad_limit_are_one_clear_line(tmp_path, capsys):
    assert run_cli(["--data", str(tmp_path / "none.json")]) == 1
    assert "scenario file not found" in capsys.readouterr().err
    assert run_cli(["--data", str(write(tmp_path, [OSKAR])), "--limit", "0"]) == 1
    assert "--limit must be > 0" in capsys.readouterr().err


def test_the_files_steps_are_read_in_order(tmp_path):
    scenarios = load_scenarios(write(tmp_path, [OSKAR, OSKAR_AGAIN]), limit=1)
    assert [s.id for s in scenarios] == ["nephew-oskar"]
    teach, paraphrase = scenarios[0].steps[:2]
    assert (teach.question, teach.answer, teach.subject) == (
        OSKAR["steps"][0]["teach"],
        "trombone",
        None,
    )
    assert (paraphrase.expect, paraphrase.reject, paraphrase.kind) == (
        ("trombone",),
        (),
        "paraphrase",
    )


def test_the_kinds_of_what_memory_must_not_say_are_read(tmp_path):
    limits = {
        "id": "limits",
        "steps": [
            {"ask": "What is Oskar's shoe size?", "expect": ["don't know"], "kind": "abstain"},
            {"ask": "What did Oskar play before?", "expect": ["cello"], "kind": "history"},
            {"ask": "What does Oskar play?", "expect": ["plays trombone"], "kind": "wording"},
            {"ask": "Tell me a joke.", "reject": ["Oskar"], "kind": "unrelated"},
        ],
    }
    steps = load_scenarios(write(tmp_path, [limits]))[0].steps
    assert [s.kind for s in steps] == ["abstain", "history", "wording", "unrelated"]
    assert (steps[3].expect, steps[3].reject) == ((), ("Oskar",))


# -- the runs ----------------------------------------------------------------------


def test_one_memory_for_all_scenarios_and_the_baseline_has_none(tmp_path):
    model = FakeLanguageModel()
    scenarios = load_scenarios(write(tmp_path, [OSKAR, OSKAR_AGAIN]))
    results = run_scenarios(model, scenarios, greedy())
    memory = {(o.scenario_id, o.number): o for o in results.memory}
    # Taught in the first conversation, found in the second.
    later = memory[("oskar-again", 1)]
    assert later.passed and {f.object for f in later.facts} == {"trombone"}
    assert memory[("nephew-oskar", 2)].passed and memory[("nephew-oskar", 3)].passed
    # The model alone saw the same messages and learned nothing.
    assert all(not o.facts and o.correction is None for o in results.baseline)
    assert [o.step for o in results.baseline] == [o.step for o in results.memory]
    assert not any(o.passed for o in results.baseline)
    assert "trombone" not in " ".join(o.reply for o in results.baseline)


def test_every_reply_is_greedy(tmp_path):
    temperatures = []

    class Spy(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            temperatures.append(("chat", temperature))
            return super().chat(messages, max_tokens=max_tokens, temperature=temperature)

        def complete(self, prompt, *, max_tokens, stop=(), temperature=0.0):
            temperatures.append(("complete", temperature))
            return super().complete(
                prompt, max_tokens=max_tokens, stop=stop, temperature=temperature
            )

    # The user's own temperature is not the run's: the command asks for greedy replies.
    run_cli(["--data", str(write(tmp_path, [OSKAR]))], Spy())
    assert {kind for kind, _ in temperatures} == {"chat", "complete"}
    assert {t for _, t in temperatures} == {0.0}


def test_a_failed_correction_is_counted_with_its_reason(tmp_path):
    results = run_scenarios(
        FakeLanguageModel(), load_scenarios(write(tmp_path, [NO_SUBJECT])), greedy()
    )
    teach = results.memory[0]
    assert teach.correction.result is None
    assert "could not tell what the question is about" in teach.correction.failure
    assert teach.failed and results.memory[1].passed is False


class StatementSession(ChatSession):
    """A chat that learns from statements: "... X moved to CITY." becomes the question
    "Which city does X live in?" answered CITY, learned through KGT."""

    def learn_statement(self, turn):
        if " moved to " not in turn.question:
            return None
        before, city = turn.question.rstrip(".").split(" moved to ")
        question = f"Which city does {before.split()[-1]} live in?"
        return correct(self.model, self.store, question, city)


TELLS = {
    "id": "friend-moves",
    "steps": [
        {"tell": "My friend Ingrid moved to Porto."},
        {"tell": "What a lovely day."},
        {"ask": "Which city did Ingrid move to?", "expect": ["Porto"], "kind": "update"},
    ],
}


def test_a_tell_is_learned_when_the_chat_can_learn_statements(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_runner, "ChatSession", StatementSession)
    results = run_scenarios(FakeLanguageModel(), load_scenarios(write(tmp_path, [TELLS])), greedy())
    moved, chatter, ask = results.memory
    assert moved.correction.result.applied.subject == "Ingrid" and moved.note is None
    assert chatter.correction is None and chatter.note == NOTHING_STATED
    assert ask.passed and {f.object for f in ask.facts} == {"Porto"}
    summary = summary_json(results, "fake")
    assert (summary["tells_total"], summary["tells_not_learned"]) == (2, 1)


def test_a_tell_whose_correction_fails_counts_as_a_failed_correction(tmp_path, monkeypatch):
    class Refusing(ChatSession):
        def learn_statement(self, turn):
            raise InputError("could not tell what the message is about")

    monkeypatch.setattr(scenario_runner, "ChatSession", Refusing)
    results = run_scenarios(FakeLanguageModel(), load_scenarios(write(tmp_path, [TELLS])), greedy())
    moved = results.memory[0]
    assert moved.correction.failure == "could not tell what the message is about"
    summary = summary_json(results, "fake")
    assert (summary["corrections"], summary["failed_corrections"]) == (2, 2)
    assert (summary["tells_total"], summary["tells_not_learned"]) == (2, 2)


def test_the_chats_own_statement_learning_teaches_a_tell(tmp_path):
    # The real ChatSession: the stated move is learned, small talk teaches nothing.
    results = run_scenarios(FakeLanguageModel(), load_scenarios(write(tmp_path, [TELLS])), greedy())
    moved, small_talk, ask = results.memory
    assert moved.correction is not None and moved.correction.result is not None
    assert small_talk.correction is None and small_talk.note == NOTHING_STATED
    assert ask.passed is True and "Porto" in ask.reply


# -- the command: JSON and report -------------------------------------------------


def test_json_has_exactly_the_schema_and_null_rates_for_absent_kinds(tmp_path, capsys):
    out = tmp_path / "out.json"
    data = write(tmp_path, [OSKAR, OSKAR_AGAIN, NO_SUBJECT])
    assert run_cli(["--data", str(data), "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert set(summary) == SUMMARY_KEYS
    assert summary["model"] == "fake" and summary["scenarios"] == 3
    assert list(summary["kinds"]) == list(KINDS)
    for row in summary["kinds"].values():
        assert set(row) == {"passed", "total", "rate", "baseline_rate"}
    assert summary["kinds"]["recall"] == {
        "passed": 1,
        "total": 2,
        "rate": 50.0,
        "baseline_rate": 0.0,
    }
    assert summary["kinds"]["paraphrase"]["rate"] == 100.0
    assert summary["kinds"]["neighbour"] == {
        "passed": 0,
        "total": 1,
        "rate": 0.0,
        "baseline_rate": 0.0,
    }
    for absent in ("update", "multihop", "abstain", "history", "wording", "unrelated"):
        assert summary["kinds"][absent] == {
            "passed": 0,
            "total": 0,
            "rate": None,
            "baseline_rate": None,
        }
    assert summary["overall"] == pytest.approx(100 * 3 / 5)
    assert (summary["corrections"], summary["failed_corrections"]) == (2, 1)
    assert summary["facts_added_per_correction"] >= 1.0
    assert summary["facts_removed_per_correction"] == 0.0
    for key in ("overall", "facts_added_per_correction", "correction_ms_p50", "reply_ms_p50"):
        assert isinstance(summary[key], float)
    assert summary["correction_ms_p50"] > 0.0 and summary["reply_ms_p50"] >= 0.0
    assert summary["peak_rss_mb"] > 1.0
    captured = capsys.readouterr()
    assert "100%" in captured.err  # the progress bar ran to its end on stderr
    assert "| paraphrase | 1 | 1 | 100.0 | 0.0 |" in captured.out


def test_global_json_flag_prints_the_same_summary(tmp_path, capsys):
    out = tmp_path / "out.json"
    data = write(tmp_path, [OSKAR, OSKAR_AGAIN])
    code = main(
        ["--json", "eval", "scenarios", "--data", str(data), "--json", str(out), "--limit", "1"],
        model_loader=lambda settings, override: FakeLanguageModel(),
        extensions=[eval_command.register],
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads(out.read_text())
    assert set(printed) == SUMMARY_KEYS and printed["scenarios"] == 1
    assert {k: v for k, v in printed.items() if not k.endswith(("_ms_p50", "_mb"))} == {
        k: v for k, v in written.items() if not k.endswith(("_ms_p50", "_mb"))
    }


def test_report_lists_failed_steps_with_facts_corrections_and_the_command(tmp_path):
    report = tmp_path / "report.md"
    data = write(tmp_path, [OSKAR, NO_SUBJECT])
    assert run_cli(["--data", str(data), "--report", str(report)]) == 0
    text = report.read_text()
    assert "| neighbour | 0 | 1 | 0.0 | 0.0 |" in text and "| multihop | 0 | 0 | - | - |" in text
    assert "4. ask (neighbour) **FAILED**: Which instrument has black and white keys?" in text
    assert "expected: piano; rejected: -" in text
    # The correction that taught Oskar's instrument, as the sentence the window shows.
    assert "added Your nephew Oskar plays trombone.; removed none" in text
    # the paraphrase's reply used the learned fact
    assert "facts used: Your nephew Oskar plays trombone." in text
    assert "correction failed: could not tell what the question is about" in text
    assert f"assistant eval scenarios --data {data} --report {report}" in text


def moves(scenario_id, asks_after):
    return {
        "id": scenario_id,
        "steps": [
            {"teach": "Which city does my sister Anna live in?", "answer": "Lisbon"},
            {"teach": "Which city does my sister Anna live in?", "answer": "Porto"},
            *asks_after,
        ],
    }


def test_unrelated_asks_are_scored_with_the_other_kinds(tmp_path):
    chatter = {
        "id": "chatter",
        "steps": [
            {"teach": "What instrument does my nephew Oskar play?", "answer": "trombone"},
            {
                "ask": "Can you suggest a name for a cat?",
                "reject": ["trombone"],
                "kind": "unrelated",
            },
        ],
    }
    out, report = tmp_path / "out.json", tmp_path / "report.md"
    data = write(tmp_path, [chatter])
    assert run_cli(["--data", str(data), "--json", str(out), "--report", str(report)]) == 0
    row = json.loads(out.read_text())["kinds"]["unrelated"]
    # The fake model's own chat reply names no learned value, with or without memory.
    assert row == {"passed": 1, "total": 1, "rate": 100.0, "baseline_rate": 100.0}
    assert "| unrelated | 1 | 1 | 100.0 | 100.0 |" in report.read_text()


def test_report_tells_an_update_from_a_fact_the_scenario_never_changed(tmp_path):
    update = {
        "ask": "Where does Anna live now?",
        "expect": ["Porto"],
        "reject": ["Lisbon"],
        "kind": "update",
    }
    changed, changed_json = tmp_path / "changed.md", tmp_path / "changed.json"
    data = str(write(tmp_path, [moves("m", [update])]))
    assert run_cli(["--data", data, "--report", str(changed), "--json", str(changed_json)]) == 0
    text = changed.read_text()
    assert "1 removed by corrections: 1 updates of a value the scenarios changed, 0 that" in text
    assert "- m step 2: Your sister Anna lives in Lisbon. (update)" in text
    assert json.loads(changed_json.read_text())["facts_lost"] == 0
    # The same removal with no ask saying the value changed: a lost fact, flagged.
    lost, lost_json = tmp_path / "lost.md", tmp_path / "lost.json"
    plain = {"ask": "Where does Anna live?", "expect": ["Porto"], "kind": "recall"}
    data = str(write(tmp_path, [moves("m", [plain])], "b.json"))
    assert run_cli(["--data", data, "--report", str(lost), "--json", str(lost_json)]) == 0
    assert (
        "- m step 2: Your sister Anna lives in Lisbon. (**NOT an update: lost**)"
        in lost.read_text()
    )
    assert json.loads(lost_json.read_text())["facts_lost"] == 1
    # A history ask that expects the old value also says it changed.
    before = {"ask": "Where did Anna live before?", "expect": ["Lisbon"], "kind": "history"}
    asked = tmp_path / "asked.md"
    data = write(tmp_path, [moves("m", [before])], "c.json")
    assert run_cli(["--data", str(data), "--report", str(asked)]) == 0
    assert "- m step 2: Your sister Anna lives in Lisbon. (update)" in asked.read_text()


def test_user_settings_do_not_stop_the_run_from_learning(tmp_path, private_home):
    private_home.mkdir(parents=True, exist_ok=True)
    (private_home / "settings.json").write_text(json.dumps({"incognito": True, "temperature": 1.2}))
    out = tmp_path / "out.json"
    assert run_cli(["--data", str(write(tmp_path, [OSKAR])), "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert summary["failed_corrections"] == 0 and summary["kinds"]["recall"]["rate"] == 100.0


# -- the real model ------------------------------------------------------------------


@pytest.mark.real_model
def test_two_tiny_scenarios_on_the_real_model(tmp_path, real_model):
    scenarios = [
        {
            "id": "dog-pepper",
            "steps": [
                {"teach": "What breed is my dog Pepper?", "answer": "whippet"},
                {"ask": "What breed is my dog Pepper?", "expect": ["whippet"], "kind": "recall"},
            ],
        },
        {
            "id": "pepper-again",
            "steps": [
                {"ask": "What kind of dog is Pepper?", "expect": ["whippet"], "kind": "paraphrase"}
            ],
        },
    ]
    results = run_scenarios(real_model, load_scenarios(write(tmp_path, scenarios)), greedy())
    summary = summary_json(results, real_model.name)
    assert set(summary) == SUMMARY_KEYS and summary["scenarios"] == 2
    assert summary["corrections"] == 1 and summary["failed_corrections"] == 0
    assert summary["facts_added_per_correction"] >= 1.0
    # The second conversation finds the fact the first one taught.
    assert {f.object for f in results.memory[2].facts} == {"whippet"}
    assert results.memory[2].reply.strip() and results.memory[2].reply_ms > 0.0
    # The model alone answered the same three messages with no memory.
    assert [bool(o.reply.strip()) for o in results.baseline] == [True, True, True]
    assert all(not o.facts for o in results.baseline)
    assert markdown_report(results, real_model.name, "cmd").startswith("# Chat scenarios:")


def test_report_shows_the_chain_a_multihop_reply_followed(tmp_path):
    vet = {
        "id": "dog-vet",
        "steps": [
            {"teach": "Who is my dog Rex's vet?", "answer": "Dr. Moreau"},
            {"teach": "Where does Dr. Moreau work?", "answer": "Vetcare Lyon"},
            {"ask": "Where does my dog's vet work?", "expect": ["Vetcare"], "kind": "multihop"},
            {"ask": "What is a doctor for animals called?", "expect": ["vet"], "kind": "neighbour"},
        ],
    }
    report = tmp_path / "report.md"
    assert run_cli(["--data", str(write(tmp_path, [vet])), "--report", str(report)]) == 0
    text = report.read_text()
    assert "| multihop | 1 | 1 | 100.0 |" in text
    # The fake model picks among the parse's readings ("works at" / "works in").
    assert re.search(
        r"   - path: Your dog Rex's vet is Dr\. Moreau\. "
        r"-> Dr\. Moreau works (at|in) Vetcare Lyon\.",
        text,
    )


@pytest.mark.real_model
def test_memory_says_only_what_it_knows_on_the_real_model(tmp_path, real_model):
    not_known = ["don't know"]
    scenarios = [
        {
            "id": "cousin-tomas",
            "steps": [
                {"teach": "Which city does my cousin Tomas live in?", "answer": "Lyon"},
                {"teach": "What does Tomas do for work?", "answer": "carpenter"},
                {"ask": "Where does Tomas live?", "expect": ["Lyon"], "kind": "recall"},
                {
                    "ask": "What is Tomas's phone number?",
                    "expect": not_known,
                    "reject": ["Lyon", "carpenter"],
                    "kind": "abstain",
                },
                {
                    "ask": "Where does my brother live?",
                    "expect": not_known,
                    "reject": ["Lyon"],
                    "kind": "abstain",
                },
                {"tell": "My cousin Tomas moved to Nantes in March."},
                {
                    "ask": "Where did Tomas live before Nantes?",
                    "expect": ["Lyon"],
                    "kind": "history",
                },
                {
                    "ask": "What is the capital of France?",
                    "reject": ["Tomas", "Lyon", "Nantes", "carpenter"],
                    "kind": "unrelated",
                },
            ],
        }
    ]
    results = run_scenarios(real_model, load_scenarios(write(tmp_path, scenarios)), greedy())
    asks = {o.step.question: o for o in results.memory if o.passed is not None}
    assert all(o.passed for o in asks.values()), {q: o.reply for q, o in asks.items()}
    # The statement's reply says the new value, never the old one.
    told = results.memory[5]
    assert "Nantes" in told.reply and "Lyon" not in told.reply
