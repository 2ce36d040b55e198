"""How long the model's own replies run, and what stopping them earlier costs.

    python scripts/chat_length.py --data tests/data/scenarios-dev.json \\
        --data tests/data/scenarios-dev-limits.json

Every ``neighbour`` and ``unrelated`` ask of the files (the questions memory leaves to
the model) is sent to the embedded model alone, greedy, as the chat sends it: its
system prompt and the question. Each reply is judged by the scenarios' rule
(``evaluation/matching.py``) as it is, stopped where it repeats itself
(:func:`assistant.language.repetition.until_repetition`), and cut at a smaller token
budget; and once more under a system prompt that asks for a short answer. Printed per
setting: the asks passed, the mean reply length in tokens, and how many replies ran to
the 512-token budget, after the stop at a repeat (a loop that never ended).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.language.prompts import chat_system_prompt  # noqa: E402
from assistant.language.repetition import until_repetition  # noqa: E402
from assistant.llm import ChatMessage  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evaluation.matching import reply_passes  # noqa: E402

BUDGET = 512
SMALLER = (256, 160, 96)
SHORT = "Answer in one or two sentences."


def asks(paths: list[str]) -> list[dict]:
    found = []
    for path in paths:
        for scenario in json.loads(Path(path).read_text()):
            for step in scenario["steps"]:
                if step.get("kind") in {"neighbour", "unrelated"}:
                    found.append(step)
    return found


def generate(model, system: str, question: str, budget: int) -> list[str]:
    messages = [ChatMessage("system", system), ChatMessage("user", question)]
    return list(model.chat(messages, max_tokens=budget, temperature=0.0))


def judged(model, step: dict, pieces: list[str], budget: int | None, stop: bool) -> dict:
    if stop:
        pieces = list(until_repetition(iter(pieces)))
    text = "".join(pieces)
    ran_out = model.count_tokens(text) >= BUDGET - 2
    if budget is not None and model.count_tokens(text) > budget:
        text = _first_tokens(model, text, budget)
    n = model.count_tokens(text)
    passed = reply_passes(text, step.get("expect", []), step.get("reject", []))
    return {"passed": passed, "tokens": n, "ran_out": ran_out, "text": text}


def _first_tokens(model, text: str, budget: int) -> str:
    """The longest prefix of whole words within ``budget`` tokens."""
    words = re.findall(r"\s*\S+", text)
    kept = ""
    for word in words:
        if model.count_tokens(kept + word) > budget:
            break
        kept += word
    return kept


def row(name: str, results: list[dict]) -> str:
    passed = sum(r["passed"] for r in results)
    mean = sum(r["tokens"] for r in results) / max(len(results), 1)
    ran_out = sum(r["ran_out"] for r in results)
    return f"| {name} | {passed}/{len(results)} | {mean:.0f} | {ran_out} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--out", help="every reply, as JSON")
    args = parser.parse_args()
    from models.loader import load_model

    model = load_model(Settings(), None)
    steps = asks(args.data)
    base = chat_system_prompt([])
    long_replies = [generate(model, base, s["ask"], BUDGET) for s in steps]
    short_replies = [generate(model, f"{base} {SHORT}", s["ask"], BUDGET) for s in steps]
    table = {
        f"as it is, {BUDGET} tokens": [
            judged(model, s, p, None, False) for s, p in zip(steps, long_replies)
        ],
        "stopped at a repeat": [
            judged(model, s, p, None, True) for s, p in zip(steps, long_replies)
        ],
    }
    for budget in SMALLER:
        table[f"stopped at a repeat, {budget} tokens"] = [
            judged(model, s, p, budget, True) for s, p in zip(steps, long_replies)
        ]
    table["short-answer prompt, stopped at a repeat"] = [
        judged(model, s, p, None, True) for s, p in zip(steps, short_replies)
    ]
    for budget in SMALLER:
        table[f"short-answer prompt, stopped at a repeat, {budget} tokens"] = [
            judged(model, s, p, budget, True) for s, p in zip(steps, short_replies)
        ]
    print(f"| setting | passed | mean tokens | ran to {BUDGET} tokens unstopped |")
    print("|---|---|---|---|")
    for name, results in table.items():
        print(row(name, results))
    if args.out:
        Path(args.out).write_text(json.dumps({k: v for k, v in table.items()}, indent=1))


if __name__ == "__main__":
    main()
