"""Choosing and checking the model file: clear errors before llama.cpp sees a bad file."""

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ModelError
from assistant.settings import Settings
from models.gguf_file import check_gguf_file
from models.loader import resolve_model_path


def write(path, data):
    path.write_bytes(data)
    return path


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        check_gguf_file(tmp_path / "nope.gguf")


def test_directory_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a file"):
        check_gguf_file(tmp_path)


def test_non_gguf_file(tmp_path):
    with pytest.raises(ModelError, match="not a GGUF"):
        check_gguf_file(write(tmp_path / "x.gguf", b"PK\x03\x04" + b"\0" * 4096))


def test_unsupported_version(tmp_path):
    data = b"GGUF" + struct.pack("<I", 99) + b"\0" * 4096
    with pytest.raises(ModelError, match="unsupported GGUF version 99"):
        check_gguf_file(write(tmp_path / "x.gguf", data))


def test_truncated_header_only(tmp_path):
    data = b"GGUF" + struct.pack("<I", 3) + b"\0" * 16
    with pytest.raises(ModelError, match="truncated"):
        check_gguf_file(write(tmp_path / "x.gguf", data))


@pytest.mark.real_model
def test_the_embedded_model_passes(embedded_model_path):
    from pathlib import Path

    check_gguf_file(Path(embedded_model_path))


@pytest.mark.real_model
def test_override_beats_settings_beats_embedded(tmp_path, embedded_model_path):
    chosen = tmp_path / "a.gguf"
    assert resolve_model_path(Settings(model_path=str(tmp_path / "b.gguf")), str(chosen)) == chosen
    assert resolve_model_path(Settings(model_path=str(chosen))) == chosen
    assert str(resolve_model_path(Settings())) == embedded_model_path


def test_a_process_that_loaded_llama_cpp_exits_without_unclosed_files():
    """llama_cpp leaves two os.devnull files open from its import on; the models
    package closes them at exit (``-X dev`` shows every unclosed file)."""
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-c", "import models.gpu, llama_cpp"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning" not in result.stderr
