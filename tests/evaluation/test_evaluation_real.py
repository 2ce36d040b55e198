"""One small CounterFact evaluation on the real embedded model, through the CLI."""

import json

import pytest

from evaluation.dataset import load_cases

from .cli import main

pytestmark = pytest.mark.real_model

# Three records in CounterFact's flattened schema (cloze, question-then-cloze, and a
# question in chat form); made up here, not taken from the dev split.
RECORDS = [
    {
        "case_id": 1,
        "prompt": "The mother tongue of Lea Martin is",
        "subject": "Lea Martin",
        "target_new": "Finnish",
        "ground_truth": "French",
        "rephrase_prompt": "Lea Martin grew up speaking",
        "locality_prompt": "The mother tongue of Jacques Chirac is",
        "locality_ground_truth": "French",
    },
    {
        "case_id": 2,
        "prompt": "What is the home city of Tom Keller? It is",
        "subject": "Tom Keller",
        "target_new": "Oslo",
        "ground_truth": "Berlin",
        "rephrase_prompt": "Tom Keller lives in the city of",
        "locality_prompt": "The capital of Germany is",
        "locality_ground_truth": "Berlin",
    },
    {
        "case_id": 3,
        "prompt": "What instrument does Ana Ruiz play?",
        "subject": "Ana Ruiz",
        "target_new": "violin",
        "ground_truth": "guitar",
        "rephrase_prompt": "Which instrument is Ana Ruiz known for?",
        "locality_prompt": "Jimi Hendrix played the",
        "locality_ground_truth": "guitar",
    },
]


def test_a_three_case_run_on_the_real_model(tmp_path, capsys, embedded_model_path):
    from models.llama_backend import LlamaLanguageModel

    data, out, plot = tmp_path / "cases.json", tmp_path / "out.json", tmp_path / "plot.png"
    data.write_text(json.dumps(RECORDS), encoding="utf-8")
    assert len(load_cases(data)) == 3
    code = main(
        ["eval", "counterfact", "--data", str(data), "--json", str(out), "--plot", str(plot)],
        model_loader=lambda settings, override: LlamaLanguageModel(
            embedded_model_path, context_length=2048
        ),
    )
    assert code == 0
    summary = json.loads(out.read_text())
    methods = summary["methods"]
    assert summary["n"] == 3 and summary["model"].startswith("SmolLM2")
    # Learning the user's answers must beat the model alone on the edited queries.
    assert methods["kgt"]["efficacy"] > methods["noedit"]["efficacy"]
    assert methods["kgt"]["correction_ms_p50"] > 0 and methods["noedit"]["correction_ms_p50"] < 5
    assert all(0.0 <= m["neighborhood"] <= 100.0 for m in methods.values())
    assert plot.stat().st_size > 1000
    assert "| kgt |" in capsys.readouterr().out
