"""The layering rules hold: ui -> models -> assistant, the core's rooms each import only
the rooms under them, the window reaches the core only through ``assistant.api``, and
the core never imports Qt or llama.cpp (import-linter contracts in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9 kept, 0 broken" in result.stdout


def test_the_core_is_in_rooms():
    """No module lies loose in ``assistant/`` beyond the front door, the chat, the
    warm-up and the shared records: every other module belongs to a room."""
    loose = {path.stem for path in (ROOT / "assistant").glob("*.py")}
    shared = {"errors", "facts", "llm", "settings", "paths", "timing", "timeutil", "peak_memory"}
    assert loose == shared | {"__init__", "api", "chat", "preload"}


def test_the_front_door_names_only_what_it_imports():
    import assistant.api as api

    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert not missing
    assert len(set(api.__all__)) == len(api.__all__)


def test_importing_the_core_loads_neither_qt_nor_llama_cpp():
    code = (
        "import sys, assistant.cli, assistant.learning.correction, assistant.chat;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'llama_cpp')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_no_module_imports_itself_back():
    """No import cycle between modules (a cycle makes load order matter and hides
    which module owns what)."""
    import grimp

    packages = ("assistant", "models", "ui", "benchmarks", "evaluation")
    graph = grimp.build_graph(*packages)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, cycles
