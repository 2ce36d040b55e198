"""What `assistant ARGS` opens: the window for no arguments or only global options (the
CLI's global options are the window's too), the CLI for a subcommand, --help or
--version; and `--exit-when-ready`, which opens the window and closes it once the model
has loaded (how the packaged app's smoke test opens it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import launcher
from ui.app import exit_when_ready

from ..models.openai_stub_server import StubServer
from .conftest import WAIT_MS

SERVER = "http://gpu-box:8000/v1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dispatched(monkeypatch):
    """Run the launcher with the window and the CLI replaced by recorders."""
    calls = []
    monkeypatch.setattr(launcher, "run_window", lambda argv: calls.append(("window", argv)) or 0)
    monkeypatch.setattr(launcher, "run_cli", lambda argv: calls.append(("cli", argv)) or 0)

    def run(*argv: str):
        calls.clear()
        assert launcher.main(list(argv)) == 0
        return calls[0]

    return run


def test_no_arguments_or_only_window_options_open_the_window(dispatched, tmp_path):
    home = str(tmp_path)
    assert dispatched() == ("window", [])
    assert dispatched("--home", home) == ("window", ["--home", home])
    assert dispatched(f"--home={home}") == ("window", [f"--home={home}"])
    assert dispatched("--theme", "dark", "--home", home, "--model", "m.gguf") == (
        "window",
        ["--theme", "dark", "--home", home, "--model", "m.gguf"],
    )
    assert dispatched("gui", "--home", home) == ("window", ["--home", home])
    assert dispatched("--exit-when-ready") == ("window", ["--exit-when-ready"])


def test_global_options_with_no_subcommand_open_the_window(dispatched, tmp_path):
    home = str(tmp_path)
    assert dispatched("--home", home, "--json") == ("window", ["--home", home, "--json"])
    assert dispatched("--server", SERVER) == ("window", ["--server", SERVER])
    server_options = ["--server", SERVER, "--server-model", "m", "--api-key-env", "MY_KEY"]
    assert dispatched(*server_options, "--json") == ("window", [*server_options, "--json"])
    assert dispatched(f"--server={SERVER}", "--home", home)[0] == "window"


def test_a_subcommand_or_a_cli_option_runs_the_cli(dispatched, tmp_path):
    home = str(tmp_path)
    assert dispatched("--home", home, "facts", "list") == ("cli", ["--home", home, "facts", "list"])
    assert dispatched("ask", "What?", "--home", home)[0] == "cli"
    assert dispatched("--json", "models", "list")[0] == "cli"
    assert dispatched("--help") == ("cli", ["--help"])
    assert dispatched("--version") == ("cli", ["--version"])
    assert dispatched("--server", SERVER, "ask", "What?")[0] == "cli"
    assert dispatched("--home", home, "--json", "--help")[0] == "cli"


@pytest.fixture
def stub_server():
    server = StubServer(api_key="k-window").start()
    yield server
    server.stop()


def test_the_window_opened_with_a_server_runs_its_model_there(stub_server, private_home):
    """`assistant --home DIR --json --server URL` opens the window (``--json`` changes
    nothing) on the server's model, for that run only: the program itself, in its own
    process, as the packaged app's smoke test runs it."""
    argv = [
        sys.executable,
        "-m",
        "ui.launcher",
        "--home",
        str(private_home),
        "--json",
        "--server",
        stub_server.url,
    ]
    argv += ["--api-key-env", "MY_KEY", "--exit-when-ready"]
    env = {**os.environ, "MY_KEY": "k-window", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "Bearer k-window" in stub_server.authorizations
    settings = private_home / "settings.json"
    assert not settings.exists() or stub_server.url not in settings.read_text()


def test_a_window_option_written_wrong_is_said_before_qt_loads(capsys):
    with pytest.raises(SystemExit) as exit_:
        launcher.main(["--theme", "purple"])
    assert exit_.value.code == 2
    assert "invalid choice: 'purple'" in capsys.readouterr().err


def test_exit_when_ready_closes_the_window_once_the_model_is_loaded(qtbot, open_window):
    window = open_window(wait_ready=False)
    codes = []
    exit_when_ready(window, codes.append)
    qtbot.waitUntil(lambda: codes == [0], timeout=WAIT_MS)
    assert window.model_name == "fake" and not window.isVisible()


def test_exit_when_ready_fails_when_the_model_does_not_load(qtbot, open_window, tmp_path, capsys):
    def no_model(_settings):
        raise FileNotFoundError(tmp_path / "missing.gguf")

    window = open_window(factory=no_model, wait_ready=False)
    codes = []
    exit_when_ready(window, codes.append)
    qtbot.waitUntil(lambda: codes == [1], timeout=WAIT_MS)
    assert window.model_name is None and not window.isVisible()
    assert capsys.readouterr().err.startswith("assistant: error: ")
