"""The CounterFact evaluation: metrics, the online protocol, the CLI's contract (fake model)."""

import json

import pytest

from assistant.answering.answer import answer_question
from assistant.language.prompts import reasoning_prompt
from assistant.llm import Score
from assistant.settings import Settings
from evaluation.baselines import InContextMethod, NoEditMethod
from evaluation.dataset import load_cases
from evaluation.kgt_method import KGTMethod
from evaluation.methods import Method
from evaluation.metrics import CaseOutcome, scores_of
from evaluation.rag import NoteMemoryMethod
from evaluation.runner import curve_points, run_evaluation
from models.fake import FakeLanguageModel, fake_tokens

from .cli import main


def record(i, subject, prompt, new, true, rephrase, locality, local_true):
    return {
        "case_id": i,
        "prompt": prompt,
        "subject": subject,
        "target_new": new,
        "ground_truth": true,
        "rephrase_prompt": rephrase,
        "locality_prompt": locality,
        "locality_ground_truth": local_true,
    }


CASES = [
    record(
        1,
        "Toko Yasuda",
        "Toko Yasuda, the",
        "piano",
        "guitar",
        "Toko Yasuda is incredible at",
        "John Lennon performs on the",
        "guitar",
    ),
    record(
        2,
        "Michel Denisot",
        "Michel Denisot spoke the language",
        "Russian",
        "French",
        "Michel Denisot's mother tongue is",
        "The native language of Jean Say is",
        "French",
    ),
    record(
        3,
        "Percy Snow",
        "What is the position of Percy Snow?",
        "goaltender",
        "linebacker",
        "Percy Snow plays as",
        "Brendon Ayanbadejo, the",
        "linebacker",
    ),
]


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(CASES), encoding="utf-8")
    return path


class PriorModel(FakeLanguageModel):
    """A continuation already in the prompt is likely (-0.1 per token); otherwise the
    model's prior from a table: its world knowledge, known to the test."""

    PRIOR = {
        "piano": -4.0,
        "guitar": -1.0,
        "russian": -3.0,
        "french": -2.0,
        "goaltender": -1.5,
        "linebacker": -2.5,
    }

    def _score_one(self, request):
        context = set(fake_tokens(request.context))
        tokens = fake_tokens(request.continuation)
        values = [-0.1 if t in context else self.PRIOR.get(t, -6.0) for t in tokens]
        return Score(sum(values), len(tokens), False)


def test_metrics_follow_rome_definitions():
    outcomes = [
        CaseOutcome(-1.0, -2.0, -3.0, -2.0, -0.5, -0.6),  # efficacy only + neighbourhood
        CaseOutcome(-2.0, -2.0, -1.0, -2.0, -0.7, -0.6),  # a tie is not a success
    ]
    scores = scores_of(outcomes)
    assert (scores.efficacy, scores.paraphrase, scores.neighborhood) == (50.0, 50.0, 50.0)


def test_scores_are_computed_right_on_a_hand_made_file(data_file):
    model = PriorModel()
    cases = load_cases(data_file)
    result = run_evaluation(model, cases, [NoEditMethod(), InContextMethod(model)])
    noedit, icl = (result.runs[name].summary() for name in ("noedit", "icl"))
    # The model alone prefers new over true only for goaltender (-1.5 > -2.5).
    assert noedit["efficacy"] == pytest.approx(100 / 3)
    assert noedit["paraphrase"] == pytest.approx(100 / 3)
    # Locality truths guitar/French/linebacker beat piano/Russian/goaltender 2 of 3 times.
    assert noedit["neighborhood"] == pytest.approx(200 / 3)
    # With every fact in the prompt each new answer is copied (-0.1)...
    assert icl["efficacy"] == 100.0 and icl["paraphrase"] == 100.0
    # ...and so is every other case's new answer: no locality truth survives.
    assert icl["neighborhood"] == 0.0


def test_json_summary_has_exactly_the_issue_schema(data_file, tmp_path, capsys):
    out = tmp_path / "out.json"
    code = main(
        ["eval", "counterfact", "--data", str(data_file), "--json", str(out)],
        model_loader=lambda settings, override: FakeLanguageModel(),
    )
    assert code == 0
    summary = json.loads(out.read_text())
    assert set(summary) == {"model", "n", "data", "methods", "peak_rss_mb"}
    assert summary["n"] == 3 and summary["data"] == str(data_file)
    assert list(summary["methods"]) == ["kgt", "noedit", "icl", "rag"]
    for scores in summary["methods"].values():
        assert set(scores) == {
            "efficacy",
            "paraphrase",
            "neighborhood",
            "correction_ms_p50",
            "correction_ms_p95",
            "answer_ms_p50",
        }
        assert all(isinstance(v, float) for v in scores.values())
        assert all(0.0 <= scores[k] <= 100.0 for k in ("efficacy", "paraphrase", "neighborhood"))
    assert summary["peak_rss_mb"] > 1.0
    err = capsys.readouterr().err
    assert "100%" in err  # the progress bar ran to its end on stderr


def test_global_json_flag_prints_the_summary_and_other_commands_keep_it(data_file, capsys):
    loader = lambda settings, override: FakeLanguageModel()  # noqa: E731
    assert (
        main(
            ["--json", "eval", "counterfact", "--data", str(data_file), "--methods", "noedit"],
            model_loader=loader,
        )
        == 0
    )
    assert set(json.loads(capsys.readouterr().out)["methods"]) == {"noedit"}
    assert main(["--json", "facts", "list"], model_loader=loader) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_report_and_plot_are_written(data_file, tmp_path, capsys):
    report, plot = tmp_path / "report.md", tmp_path / "plot.png"
    code = main(
        [
            "eval",
            "counterfact",
            "--data",
            str(data_file),
            "--methods",
            "kgt,noedit",
            "--report",
            str(report),
            "--plot",
            str(plot),
        ],
        model_loader=lambda settings, override: FakeLanguageModel(),
    )
    assert code == 0
    text = report.read_text()
    assert "| kgt |" in text and "| noedit |" in text and "94.58" in text
    assert f"--report {report}" in text and "![scores" in text
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--data", "missing.json"], "data file not found"),
        (["--data", "{data}", "--methods", "kgt,finetune"], "unknown method(s) finetune"),
        (["--data", "{data}", "--limit", "0"], "--limit"),
        (["--data", "{bad}"], "lacks the field(s) locality_prompt"),
    ],
)
def test_bad_input_is_one_clear_line(argv, message, data_file, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{k: v for k, v in CASES[0].items() if k != "locality_prompt"}]))
    argv = [a.format(data=data_file, bad=bad) for a in argv]
    code = main(
        ["eval", "counterfact", *argv], model_loader=lambda settings, override: FakeLanguageModel()
    )
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and err.count("\n") == 1


class SpyMethod(Method):
    """Records every call, to check the protocol from the method's side."""

    name = "spy"

    def __init__(self, log):
        self.log = log

    def learn(self, query, answer, subject):
        self.log.append(("learn", query, subject))

    def answer_prompt(self, query, subject):
        self.log.append(("answer", query, subject))
        return query


def many_cases(n):
    return [dict(CASES[0], case_id=i, prompt=f"Toko Yasuda case {i}, the") for i in range(n)]


def test_protocol_is_online_each_case_learned_once_then_all_scored(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps(many_cases(12)))
    log = []
    run_evaluation(FakeLanguageModel(), load_cases(path), [SpyMethod(log)])
    learned = [entry[1] for entry in log if entry[0] == "learn"]
    assert learned == [f"Toko Yasuda case {i}, the" for i in range(12)]
    kinds = "".join("L" if entry[0] == "learn" else "A" for entry in log)
    # 10 learned, then the 10 cases' three queries scored; 2 more, then all 12 scored.
    assert kinds == "L" * 10 + "A" * 30 + "L" * 2 + "A" * 36
    assert curve_points(12) == [10, 12] and curve_points(1000) == [10, 100, 1000]


def test_no_subject_hides_the_subject_field_from_the_method(data_file):
    for hide in (False, True):
        log = []
        run_evaluation(
            FakeLanguageModel(), load_cases(data_file), [SpyMethod(log)], hide_subject=hide
        )
        subjects = {(kind, query): subject for kind, query, subject in log}
        if hide:
            assert set(subjects.values()) == {None}
        else:
            assert subjects[("learn", "Toko Yasuda, the")] == "Toko Yasuda"
            assert subjects[("answer", "Toko Yasuda is incredible at")] == "Toko Yasuda"
            # The locality query is about someone else: its subject is never given.
            assert subjects[("answer", "John Lennon performs on the")] is None


def test_kgt_is_scored_with_the_facts_the_reply_is_made_from():
    model = FakeLanguageModel()
    method = KGTMethod(model, Settings())
    try:
        method.learn("What does my dog Bruno eat?", "vegetables", "Bruno")
        prompt = method.answer_prompt("Which food should I buy for Bruno?", None)
        answer = answer_question(model, method.store, "Which food should I buy for Bruno?")
        assert answer.facts and prompt == reasoning_prompt(
            "Which food should I buy for Bruno?", answer.facts
        )
        assert "vegetables" in prompt and "vegetables" in answer.text
        # Facts are retrieved for their own subject only.
        assert "vegetables" not in method.answer_prompt("What does my cat Tom eat?", None)
    finally:
        method.close()


def test_kgt_learns_without_the_subject_by_finding_the_entity():
    method = KGTMethod(FakeLanguageModel(), Settings())
    try:
        method.learn("Toko Yasuda, the", "piano", None)
        assert method.store.entity_names() == ["Toko Yasuda"]
        assert "piano" in method.answer_prompt("Toko Yasuda is incredible at", None)
        assert method.notes()[0].startswith("kgt: ") and " of 1 corrections " in method.notes()[0]
    finally:
        method.close()


def test_rag_retrieves_notes_by_bm25_and_quotes_fts_syntax():
    rag = NoteMemoryMethod(top_k=1)
    try:
        rag.learn("Toko Yasuda, the", "piano", None)
        rag.learn("Michel Denisot spoke the language", "Russian", None)
        assert rag.search("What language did Michel Denisot speak?") == [
            "Michel Denisot spoke the language Russian."
        ]
        assert rag.search('NEAR("x" AND) OR * "') == []
        assert "(none)" in rag.answer_prompt("the of", None)  # no content words, no notes
    finally:
        rag.close()


def test_icl_keeps_the_newest_facts_that_fit_and_says_so():
    model = FakeLanguageModel(context_length=300)
    icl = InContextMethod(model)
    for i in range(40):
        icl.learn(f"The favourite number of person {i} is", str(i), None)
    prompt = icl.answer_prompt("The favourite number of person 39 is", None)
    assert "person 39 is 39." in prompt and "person 0 is 0." not in prompt
    assert model.count_tokens(prompt) <= model.context_length
    assert "oldest were left out" in icl.notes()[0]
    # The facts block comes first, the question last (the prefix cache shares the facts).
    assert prompt.index("person 38 is 38.") < prompt.index("<question>")
