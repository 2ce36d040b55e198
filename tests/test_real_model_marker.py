"""The real_model marker goes with the fixtures that hand out the embedded model, so
``pytest -m "not real_model"`` never loads it; collection says which test is wrong."""

from __future__ import annotations

import pytest

# The project's check and fixtures, in a sample project: collecting only, no model loads.
CONFTEST = (
    "from tests.conftest import embedded_model_path, pytest_collection_modifyitems, real_model"
)
INI = "[pytest]\nmarkers =\n    real_model: loads the embedded model\n"

AGREEING = """
import pytest

@pytest.mark.real_model
def test_loaded(real_model): pass

@pytest.mark.real_model
def test_file(embedded_model_path): pass

@pytest.mark.real_model
@pytest.mark.usefixtures("embedded_model_path")
def test_cli(): pass

def test_fast(tmp_path): pass
"""

MISMATCHED = """
import pytest

@pytest.fixture
def weights(embedded_model_path): pass

def test_loaded(real_model): pass

def test_indirectly(weights): pass

@pytest.mark.real_model
def test_marked(tmp_path): pass
"""


# A module can declare the marker for all its tests.
MODULE_MARKED = (
    "import pytest\npytestmark = pytest.mark.real_model\ndef test_it(real_model): pass\n"
)


def collect(pytester: pytest.Pytester, **files: str) -> pytest.RunResult:
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(**files)
    return pytester.runpytest_inprocess("--collect-only", "-q")


def test_tests_that_agree_are_collected(pytester):
    result = collect(pytester, test_sample=AGREEING, test_module=MODULE_MARKED)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["5 tests collected*"])


def test_a_mismatch_fails_collection_naming_each_test(pytester):
    result = collect(pytester, test_sample=MISMATCHED)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*real_model marker and fixtures disagree:",
            "*::test_loaded uses embedded_model_path, real_model but is not marked*",
            "*::test_indirectly uses embedded_model_path but is not marked*",
            "*::test_marked is marked real_model but uses neither*",
        ]
    )
