"""Shared fixtures: a private home per test, stores on real SQLite, the fake model,
and (session-wide, loaded once) the real llama.cpp backend on the embedded GGUF.

The ``real_model`` marker and the fixtures that hand out the embedded model go
together, so ``pytest -m "not real_model"`` is a fast lane that never needs it: a test
that uses ``real_model`` or ``embedded_model_path`` (directly, through another fixture,
or with ``@pytest.mark.usefixtures`` when a subprocess loads the default model) carries
the marker, and a test with the marker uses one of them. Collection fails otherwise.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.store.database import open_database  # noqa: E402
from assistant.store.graph_store import GraphStore  # noqa: E402
from models.fake import FakeLanguageModel  # noqa: E402

# For tests of this file's collection check, on sample test files.
pytest_plugins = ["pytester"]

REAL_MODEL_FIXTURES = frozenset({"real_model", "embedded_model_path"})


def real_model_mismatch(item: pytest.Item) -> str | None:
    """Why ``item``'s real_model marker and its fixtures disagree, or None."""
    marked = item.get_closest_marker("real_model") is not None
    uses = sorted(REAL_MODEL_FIXTURES.intersection(item.fixturenames))
    if uses and not marked:
        return f"uses {', '.join(uses)} but is not marked @pytest.mark.real_model"
    if marked and not uses:
        return (
            "is marked real_model but uses neither real_model nor embedded_model_path "
            '(a test whose subprocess loads the default model: @pytest.mark.usefixtures("'
            'embedded_model_path"))'
        )
    return None


def pytest_collection_modifyitems(config, items):
    problems = [f"{item.nodeid} {why}" for item in items if (why := real_model_mismatch(item))]
    if problems:
        raise pytest.UsageError(
            "real_model marker and fixtures disagree:\n  " + "\n  ".join(problems)
        )


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
