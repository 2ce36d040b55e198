"""Shared fixtures: a private home per test, stores on real SQLite, the fake model,
and (session-wide, loaded once) the real llama.cpp backend on the embedded GGUF."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.database import open_database  # noqa: E402
from assistant.graph_store import GraphStore  # noqa: E402
from models.fake import FakeLanguageModel  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """One cache folder for the whole run (the embedded model's CPU-fast copy is made
    once in it), never the user's own."""
    cache = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("ASSISTANT_CACHE")
    os.environ["ASSISTANT_CACHE"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("ASSISTANT_CACHE", None)
    else:
        os.environ["ASSISTANT_CACHE"] = previous


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test gets its own home: nothing touches the user's real data."""
    home = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    return home


@pytest.fixture
def store(tmp_path):
    return GraphStore(open_database(tmp_path / "graph.db"))


@pytest.fixture
def fake_model():
    return FakeLanguageModel()


@pytest.fixture(scope="session")
def embedded_model_path():
    from models.embedded import default_model_path

    return str(default_model_path())


@pytest.fixture(scope="session")
def real_model(embedded_model_path):
    from models.llama_backend import LlamaLanguageModel

    model = LlamaLanguageModel(embedded_model_path, context_length=2048)
    yield model
    model.close()
