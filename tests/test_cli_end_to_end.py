"""The installed ``assistant`` program with the real embedded model, as a new user
would try it. Runs real llama.cpp in subprocesses."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

QUESTION = "What does my dog Bruno eat?"


def assistant(home, *argv, check=True):
    exe = shutil.which("assistant", path=str(Path(sys.executable).parent))
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    result = subprocess.run([exe, *argv], capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.real_model
@pytest.mark.usefixtures("embedded_model_path")  # the CLI loads the default model
def test_correct_ask_list_undo_with_the_embedded_model(tmp_path):
    home = tmp_path / "home"
    learned = json.loads(
        assistant(home, "correct", QUESTION, "vegetables", "--subject", "Bruno", "--json").stdout
    )
    assert learned["subject"] == "Bruno" and learned["added"]
    assert all(f["subject"] == "Bruno" and f["object"] == "vegetables" for f in learned["added"])

    listed = json.loads(assistant(home, "facts", "list", "--json").stdout)
    assert [f["id"] for f in listed] == [f["id"] for f in learned["added"]]

    answer = json.loads(assistant(home, "ask", QUESTION, "--json").stdout)
    assert answer["subject"] == "Bruno"
    assert {f["id"] for f in answer["facts"]} <= {f["id"] for f in learned["added"]}
    assert answer["facts"] and answer["answer"]

    paraphrase = json.loads(
        assistant(home, "--json", "ask", "Which food should I buy for my dog?").stdout
    )
    assert paraphrase["subject"] == "Bruno" and paraphrase["facts"]

    assistant(home, "facts", "undo")
    assert json.loads(assistant(home, "facts", "list", "--json").stdout) == []
    after = json.loads(assistant(home, "ask", QUESTION, "--json").stdout)
    assert after["facts"] == []


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "model file not found"),
        (b"not a model at all" * 100, "not a GGUF model file"),
    ],
)
def test_bad_model_files_give_one_clear_line(tmp_path, content, message):
    path = tmp_path / "model.gguf"
    if content is not None:
        path.write_bytes(content)
    result = assistant(tmp_path / "home", "--model", str(path), "ask", "hi", check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.real_model
def test_a_truncated_gguf_is_reported_not_crashed(tmp_path, embedded_model_path):
    path = tmp_path / "truncated.gguf"
    with open(embedded_model_path, "rb") as source:
        path.write_bytes(source.read(3_000_000))
    result = assistant(tmp_path / "home", "--model", str(path), "ask", "hi", check=False)
    assert result.returncode == 1
    assert "cannot load model" in result.stderr and "Traceback" not in result.stderr


def test_version_and_help_need_no_model(tmp_path):
    assert "assistant 0.1.0" in assistant(tmp_path, "--version").stdout
    assert "correct" in assistant(tmp_path, "--help").stdout
