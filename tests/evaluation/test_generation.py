"""``eval counterfact --generate``: each method's greedy reply judged (fake model)."""

import json

import pytest

from assistant.cli import main
from assistant.settings import Settings
from evaluation import command as eval_command
from evaluation.baselines import InContextMethod, NoEditMethod
from evaluation.dataset import load_cases
from evaluation.kgt_method import KGTMethod
from evaluation.runner import run_evaluation
from models.fake import FakeLanguageModel

GENERATED = {"gen_efficacy", "gen_paraphrase", "gen_neighborhood"}

# Questions, so that the fake model answers after "<answer>:" with the first fact's
# last word, or "I do not know" without facts.
CASES = [
    {
        "case_id": 1,
        "prompt": "What is the position of Percy Snow?",
        "subject": "Percy Snow",
        "target_new": "goaltender",
        "ground_truth": "linebacker",
        "rephrase_prompt": "Which position does Percy Snow play?",
        "locality_prompt": "What is the position of Brendon Ayanbadejo?",
        "locality_ground_truth": "linebacker",
    },
    {
        "case_id": 2,
        "prompt": "What instrument does Toko Yasuda play?",
        "subject": "Toko Yasuda",
        "target_new": "piano",
        "ground_truth": "guitar",
        "rephrase_prompt": "Which instrument is Toko Yasuda known for?",
        "locality_prompt": "What instrument did John Lennon play?",
        "locality_ground_truth": "guitar",
    },
]


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(CASES), encoding="utf-8")
    return path


def test_replies_are_judged_by_their_words_against_the_model_alone(data_file):
    model = FakeLanguageModel()
    kgt = KGTMethod(model, Settings())
    try:
        result = run_evaluation(
            model, load_cases(data_file), [kgt, InContextMethod(model)], generate=True
        )
    finally:
        kgt.close()
    summaries = {name: run.summary() for name, run in result.runs.items()}
    # KGT says each new target, and leaves the other entities' replies as they were.
    assert {k: summaries["kgt"][k] for k in GENERATED} == dict.fromkeys(GENERATED, 100.0)
    # icl copies the first note whatever is asked: right once, and every locality reply
    # differs from the model alone's, though noedit was not among the methods.
    icl = summaries["icl"]
    assert (icl["gen_efficacy"], icl["gen_paraphrase"], icl["gen_neighborhood"]) == (
        50.0,
        50.0,
        0.0,
    )


def test_the_model_alone_says_none_of_the_new_targets(data_file):
    result = run_evaluation(
        FakeLanguageModel(), load_cases(data_file), [NoEditMethod()], generate=True
    )
    summary = result.runs["noedit"].summary()
    assert (summary["gen_efficacy"], summary["gen_paraphrase"]) == (0.0, 0.0)
    assert summary["gen_neighborhood"] == 100.0  # the model alone is itself


def test_every_reply_starts_from_a_cold_cache(data_file):
    model = FakeLanguageModel()
    run_evaluation(model, load_cases(data_file), [NoEditMethod()])
    assert model.caches_forgotten == 0
    run_evaluation(model, load_cases(data_file), [NoEditMethod()], generate=True)
    # Two locality replies of the model alone, then three replies for each of two cases.
    assert model.caches_forgotten == 2 + 3 * 2


def test_a_reply_is_the_methods_answer_prompt_completed_greedily():
    calls = []

    class Spy(FakeLanguageModel):
        def complete(self, prompt, *, max_tokens, stop=(), temperature=0.0):
            calls.append((prompt, max_tokens, tuple(stop), temperature))
            return super().complete(prompt, max_tokens=max_tokens, stop=stop)

    method = NoEditMethod()
    reply = method.reply(Spy(), "Who wrote Hamlet?", None)
    assert reply == " I do not know"
    prompt, max_tokens, stop, temperature = calls[0]
    assert prompt == method.answer_prompt("Who wrote Hamlet?", None)
    assert temperature == 0.0 and "\n" in stop and max_tokens == 64


def test_cli_generate_adds_the_keys_and_the_report_columns(data_file, tmp_path):
    out, report = tmp_path / "out.json", tmp_path / "report.md"
    argv = ["eval", "counterfact", "--data", str(data_file), "--methods", "kgt,noedit"]
    code = main(
        [*argv, "--generate", "--json", str(out), "--report", str(report)],
        model_loader=lambda settings, override: FakeLanguageModel(),
        extensions=[eval_command.register],
    )
    assert code == 0
    methods = json.loads(out.read_text())["methods"]
    for scores in methods.values():
        assert set(scores) >= GENERATED and len(scores) == 9
    assert methods["kgt"]["gen_efficacy"] == 100.0 and methods["noedit"]["gen_efficacy"] == 0.0
    text = report.read_text()
    assert "generated: efficacy | generated: paraphrase | generated: neighbourhood |" in text
    assert "| kgt | 100.0 |" in text and "| 100.0 | 100.0 | 100.0 |" in text
    assert "--methods kgt,noedit --generate --json" in text


def test_without_generate_nothing_is_generated_or_shown(data_file, tmp_path):
    out, report = tmp_path / "out.json", tmp_path / "report.md"
    code = main(
        ["eval", "counterfact", "--data", str(data_file), "--methods", "kgt,noedit"]
        + ["--json", str(out), "--report", str(report)],
        model_loader=lambda settings, override: FakeLanguageModel(),
        extensions=[eval_command.register],
    )
    assert code == 0
    for scores in json.loads(out.read_text())["methods"].values():
        assert not GENERATED & set(scores)
    assert "generated" not in report.read_text()
