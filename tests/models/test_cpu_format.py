"""The embedded model's CPU-fast copy: made once, atomically, used only where it
helps, and never at the cost of a working model."""

from pathlib import Path

import pytest

from assistant.llm import ScoreRequest
from assistant.settings import Settings
from models import cpu_format
from models.loader import load_model

QUERY = "The capital of France is"


@pytest.fixture(scope="module")
def fast_copy(embedded_model_path, private_cache):
    return cpu_format.fast_cpu_copy(Path(embedded_model_path))


def _file_type(path: Path) -> int:
    from llama_cpp import Llama

    llm = Llama(model_path=str(path), vocab_only=True, verbose=False)
    try:
        return int(llm.metadata["general.file_type"])
    finally:
        llm.close()


@pytest.mark.real_model
def test_the_copy_is_in_the_fast_format_in_the_cache(fast_copy, embedded_model_path, private_cache):
    import llama_cpp

    assert fast_copy == private_cache / "SmolLM2-135M-Instruct.Q4_1-as-Q8_0.gguf"
    assert _file_type(fast_copy) == llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    assert _file_type(Path(embedded_model_path)) == llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_1
    assert not list(private_cache.glob("*.part"))  # no temporary file left behind


@pytest.mark.real_model
def test_a_second_call_reuses_the_copy(fast_copy, monkeypatch, embedded_model_path):
    def no_conversion(*_):
        raise AssertionError("converted again")

    monkeypatch.setattr(cpu_format, "convert", no_conversion)
    assert cpu_format.fast_cpu_copy(Path(embedded_model_path)) == fast_copy


@pytest.mark.real_model
def test_the_copy_ranks_answers_as_the_original_does(fast_copy, embedded_model_path):
    from models.llama_backend import LlamaLanguageModel

    requests = [
        ScoreRequest(QUERY, " Paris"),
        ScoreRequest(QUERY, " Berlin"),
        ScoreRequest(QUERY, " a banana"),
    ]
    scores = {}
    for path in (embedded_model_path, fast_copy):
        model = LlamaLanguageModel(str(path), context_length=512)
        try:
            scores[str(path)] = [s.mean_logprob for s in model.score(requests)]
        finally:
            model.close()
    original, copy = scores[embedded_model_path], scores[str(fast_copy)]
    assert original[0] > original[1] > original[2]
    assert copy[0] > copy[1] > copy[2]
    assert all(abs(a - b) < 1.0 for a, b in zip(original, copy))


def test_a_failed_conversion_falls_back_to_the_original(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + b"\0" * 4096)
    cache = tmp_path / "cache"
    assert cpu_format.fast_cpu_copy(broken, cache) == broken
    assert list(cache.iterdir()) == []  # nothing half-written stays


@pytest.mark.real_model
def test_a_damaged_copy_is_made_again(tmp_path, monkeypatch, embedded_model_path):
    source = Path(embedded_model_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    damaged = cpu_format.fast_copy_path(source, cache)
    damaged.write_bytes(b"not a model")
    made = []

    def record(src, target):
        made.append((src, target, target.exists()))
        return target

    monkeypatch.setattr(cpu_format, "convert", record)
    assert cpu_format.fast_cpu_copy(source, cache) == damaged
    assert made == [(source, damaged, False)]  # the damaged file went first


@pytest.mark.real_model
def test_the_loader_uses_the_copy_only_for_the_embedded_default_on_a_cpu(
    fast_copy, embedded_model_path
):
    model = load_model(Settings(n_gpu_layers=0))
    try:
        assert model.name == fast_copy.name
    finally:
        model.close()
    chosen = load_model(Settings(model_path=embedded_model_path, n_gpu_layers=0))
    try:
        assert chosen.name == Path(embedded_model_path).name  # the user's choice, as is
    finally:
        chosen.close()
