"""A missing, truncated, non-GGUF or unsupported model file: through the real program,
one line on stderr, a non-zero exit, and nothing else happens."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from assistant.settings import update_settings

from .test_bad_input import assistant_cli


def gguf_header(version: int) -> bytes:
    return b"GGUF" + struct.pack("<I", version)


def with_architecture(model: bytes, name: bytes) -> bytes:
    """The embedded model with its general.architecture value renamed in place."""
    key = model.index(b"general.architecture")
    start = model.index(b"llama", key)
    assert len(name) == 5
    return model[:start] + name + model[start + 5 :]


BROKEN = {
    "empty file": lambda model: b"",
    "text file": lambda model: b"hello, I am not a model\n" * 100,
    "zip archive": lambda model: b"PK\x03\x04" + b"\0" * 4096,
    "GGUF version 1": lambda model: gguf_header(1) + b"\0" * 4096,
    "GGUF version 99": lambda model: gguf_header(99) + b"\0" * 4096,
    "header only": lambda model: model[:64],
    "cut in half": lambda model: model[: len(model) // 2],
    "garbage after a valid header": lambda model: gguf_header(3) + b"\x07" * 8192,
    "unknown architecture": lambda model: with_architecture(model, b"zzzzz"),
}
EXPECTED = {
    "empty file": "not a GGUF",
    "text file": "not a GGUF",
    "zip archive": "not a GGUF",
    "GGUF version 1": "unsupported GGUF version 1",
    "GGUF version 99": "unsupported GGUF version 99",
    "header only": "truncated",
    "cut in half": "cannot load model",
    "garbage after a valid header": "cannot load model",
    "unknown architecture": "cannot load model",
}


@pytest.fixture(scope="module")
def embedded_bytes(embedded_model_path):
    return Path(embedded_model_path).read_bytes()


def assert_one_line_error(result, expected: str):
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("assistant: error: ")
    assert expected in result.stderr


@pytest.mark.real_model
@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_model_file_gets_one_line_and_a_non_zero_exit(tmp_path, embedded_bytes, name):
    path = tmp_path / "model.gguf"
    path.write_bytes(BROKEN[name](embedded_bytes))
    home = tmp_path / "home"
    result = assistant_cli(home, "--model", str(path), "ask", "What does Bruno eat?")
    assert_one_line_error(result, EXPECTED[name])
    correct = assistant_cli(home, "correct", "What does Bruno eat?", "meat", "--model", str(path))
    assert_one_line_error(correct, EXPECTED[name])
    assert assistant_cli(home, "facts", "list").stdout.strip() == "No facts learned yet."


@pytest.mark.parametrize("where", ["missing file", "a directory"])
def test_a_model_path_from_the_settings_that_is_not_a_file(tmp_path, where):
    home = tmp_path / "home"
    chosen = tmp_path / "nowhere.gguf" if where == "missing file" else tmp_path
    update_settings(home, model_path=str(chosen))
    result = assistant_cli(home, "ask", "What does Bruno eat?")
    assert_one_line_error(result, "not found" if where == "missing file" else "not a file")
