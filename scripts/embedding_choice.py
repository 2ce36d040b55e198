"""Which embedding ranks a person's facts better: WordLlama, or the GGUF model's own.

    .venv/bin/python scripts/embedding_choice.py [--data PATH] [--out PATH]

The task is the one retrieval ranks by meaning (:mod:`assistant.answering.fact_meaning`): given a
question, put the fact that answers it first among the facts learned before it. From
the development scenarios, each ``ask`` of kind recall, paraphrase, retention or update
is ranked against the facts taught or told earlier in its scenario ("scenario"; one
person or thing, as retrieval ranks one subject's facts), and again against every fact
taught or told earlier in the file ("memory", harder: facts of everyone). A taught fact
is its sentence (:func:`assistant.language.question_statement.statement_of`, else "question
answer") and the question it was learned from; a told fact is the statement. A fact is
right when its answer (statement) holds an expected string as whole words; for an
update, only the latest such fact. Asks with fewer than two facts or no right one are
left out. A fact's closeness is the largest cosine of the question with its texts.

Reported per kind and overall: top-1 (the closest fact is a right one), mean reciprocal
rank (ties count against), the number of asks; per embedder, ms per text (the task's
texts in one call; 30 short sentences, median of 5) and the memory it adds (resident
set growth, and peak growth from ``getrusage``). Embedders: WordLlama
(:func:`assistant.meaning.embedder.embed`); the embedded GGUF model through llama.cpp, mean
pooled, last-token pooled, and last-token pooled over a one-word prompt ('This
sentence: "..." means in one word:"', PromptEOL). The "-subject" rows leave out, on
both sides, "my" and the words naming what all of an ask's facts share (a name in each,
the word after "my" before it or in each), as the product leaves out the subject's
words; they are for the scenario pool only.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.language.question_statement import statement_of  # noqa: E402
from assistant.language.text import STOPWORDS, without_words, words  # noqa: E402
from assistant.meaning.embedder import embed as wordllama_embed  # noqa: E402
from models.embedded import default_model_path  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests/data/scenarios-dev.json"
KINDS = ("recall", "paraphrase", "retention", "update")
CALENDAR = re.compile(
    r"((mon|tues|wednes|thurs|fri|satur|sun)days?|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)$"
)
PROMPT_EOL = 'This sentence: "{}" means in one word:"'
SHORT = [
    "My sister Anna lives in Lisbon.",
    "Oskar plays the trombone.",
    "I drink rooibos in the evening.",
    "My climbing gym closes at 8 pm on Sundays.",
    "Walter was born in Aberdeen.",
    "Which city does my cousin live in?",
    "My dentist is Dr. Mensah.",
    "I run 12 km on Sundays.",
    "What breed is my dog Pepper?",
    "Freya goes to bed at 7:30.",
] * 3


@dataclass
class Fact:
    answer: str  # what an expected string is looked for in
    texts: tuple[str, ...]  # what the question is compared with


@dataclass
class Ask:
    kind: str
    question: str
    facts: list[Fact]
    right: set[int]


def _plain(text: str) -> str:
    return " " + " ".join(words(text.lower())) + " "


def _holds(text: str, expect: Sequence[str]) -> bool:
    return any(_plain(e) in _plain(text) for e in expect if words(e))


def learned_fact(step: dict) -> Fact | None:
    if "teach" in step:
        question, answer = step["teach"], step["answer"]
        statement = statement_of(question, answer)
        sentence = statement.text if statement else f"{question} {answer}"
        return Fact(answer, (sentence, question))
    if "tell" in step:
        return Fact(step["tell"], (step["tell"],))
    return None


def asks(scenarios: list[dict], memory: bool) -> list[Ask]:
    """Each scored ask with the facts learned before it (in its scenario, or in all)."""
    found: list[Ask] = []
    everything: list[Fact] = []
    for scenario in scenarios:
        own: list[Fact] = []
        for step in scenario["steps"]:
            fact = learned_fact(step)
            if fact is not None:
                own.append(fact)
                everything.append(fact)
                continue
            if step.get("kind") not in KINDS:
                continue
            facts = list(everything if memory else own)
            right = {i for i, f in enumerate(facts) if _holds(f.answer, step["expect"])}
            if step["kind"] == "update" and right:
                right = {max(right)}
            if len(facts) >= 2 and right:
                found.append(Ask(step["kind"], step["ask"], facts, right))
    return found


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word).lower()


def _name_words(text: str) -> set[str]:
    """Capitalised words other than function words and days or months."""
    return {
        _bare(w)
        for w in words(text)
        if w[:1].isupper() and _bare(w) not in STOPWORDS and not CALENDAR.match(_bare(w))
    }


def _after_my(text: str) -> list[tuple[str, str]]:
    """(the word after "my", the word after that) for each "my" in ``text``."""
    found = [*(_bare(w) for w in words(text)), ""]
    return [(found[i + 1], found[i + 2]) for i, w in enumerate(found[:-2]) if w == "my"]


def shared_subject_words(facts: Sequence[Fact]) -> frozenset[str]:
    """The words naming what all ``facts`` are about: "my", a name each has, "my X"."""
    texts = [" ".join(f.texts) for f in facts]
    answers = {_bare(w) for f in facts if len(f.texts) > 1 for w in words(f.answer)}
    names = set.intersection(*(_name_words(t) for t in texts)) - answers
    described = set.intersection(*({x for x, _ in _after_my(t)} for t in texts))
    described |= {x for t in texts for x, after in _after_my(t) if after in names}
    return frozenset(names | described | {"my"})


def without_subject(ask: Ask) -> Ask:
    left = shared_subject_words(ask.facts)
    facts = [Fact(f.answer, tuple(without_words(t, left) for t in f.texts)) for f in ask.facts]
    return Ask(ask.kind, without_words(ask.question, left), facts, ask.right)


def all_texts(task: Sequence[Ask]) -> list[str]:
    seen = dict.fromkeys(
        t for a in task for t in (a.question, *(x for f in a.facts for x in f.texts))
    )
    return list(seen)


def rank(ask: Ask, vector: dict[str, np.ndarray]) -> int:
    """Where the first right fact comes, 1 at the top; ties count against it."""
    asked = vector[ask.question]
    close = [max(float(vector[t] @ asked) for t in f.texts) for f in ask.facts]
    best = max(close[i] for i in ask.right)
    return 1 + sum(1 for i, c in enumerate(close) if i not in ask.right and c >= best)


def scores(task: Sequence[Ask], vector: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """(top-1, MRR) per kind and "all"."""
    ranks: dict[str, list[int]] = {}
    for ask in task:
        r = rank(ask, vector)
        ranks.setdefault(ask.kind, []).append(r)
        ranks.setdefault("all", []).append(r)
    return {
        kind: (float(np.mean([r == 1 for r in found])), float(np.mean([1 / r for r in found])))
        for kind, found in ranks.items()
    }


def rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:  # not Linux: the peak instead
        return peak_mb()


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


class Embedder:
    def __init__(self, name: str, load: Callable[[], Callable[[list[str]], np.ndarray]]):
        self.name = name
        rss, peak, start = rss_mb(), peak_mb(), time.perf_counter()
        self.embed = load()
        self.embed(["warm up"])
        self.load_s = time.perf_counter() - start
        self.rss_mb, self.peak_mb = rss_mb() - rss, peak_mb() - peak

    def vectors(self, texts: list[str]) -> tuple[dict[str, np.ndarray], float]:
        """Each text's unit vector, and ms per text for the one call."""
        start = time.perf_counter()
        rows = np.asarray(self.embed(texts), dtype=np.float32)
        ms = (time.perf_counter() - start) * 1000 / len(texts)
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        return dict(zip(texts, rows)), ms

    def short_ms(self) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            self.embed(SHORT)
            times.append((time.perf_counter() - start) * 1000 / len(SHORT))
        return statistics.median(times)


def llama(pooling: int, template: str = "{}") -> Callable[[], Callable]:
    def load():
        import llama_cpp

        model = llama_cpp.Llama(
            model_path=str(default_model_path()),
            embedding=True,
            pooling_type=pooling,
            n_ctx=512,
            n_threads=2,
            n_threads_batch=2,
            verbose=False,
        )
        return lambda texts: model.embed([template.format(t) for t in texts])

    return load


def report(data: str, pools: dict[str, list[Ask]], rows: dict, costs: list[tuple]) -> str:
    lines = [f"Ranking facts by meaning: {data}, top-1 / MRR per kind", ""]
    header = f"{'pool':<17}{'embedder':<44}" + "".join(f"{k:>14}" for k in (*KINDS, "all"))
    for pool, task in pools.items():
        n = [sum(a.kind == k for a in task) for k in KINDS] + [len(task)]
        lines += [header, f"{pool:<17}{'asks':<44}" + "".join(f"{v:>14}" for v in n)]
        for name, by_pool in rows.items():
            got = by_pool[pool]
            cells = "".join(
                f"{got[k][0]:>8.2f}/{got[k][1]:.2f}" if k in got else f"{'-':>14}"
                for k in (*KINDS, "all")
            )
            lines.append(f"{pool:<17}{name:<44}{cells}")
        lines.append("")
    lines.append(
        f"{'embedder':<44}{'ms/text task':>14}{'ms/text 30':>12}{'load s':>8}"
        f"{'RSS +MB':>9}{'peak +MB':>10}"
    )
    for name, task_ms, short_ms, load_s, rss, peak in costs:
        lines.append(
            f"{name:<44}{task_ms:>14.2f}{short_ms:>12.2f}{load_s:>8.2f}{rss:>9.0f}{peak:>10.0f}"
        )
    lines.append(
        "(peak +MB: growth of the process's high-water mark; 0 once an earlier model set it)"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    scenarios = json.loads(args.data.read_text())
    import llama_cpp

    tasks = {"scenario": asks(scenarios, memory=False), "memory": asks(scenarios, memory=True)}
    subject_task = [without_subject(a) for a in tasks["scenario"]]
    gguf = default_model_path().name
    embedders = [
        ("wordllama", lambda: wordllama_embed),
        (f"{gguf} mean", llama(llama_cpp.LLAMA_POOLING_TYPE_MEAN)),
        (f"{gguf} last", llama(llama_cpp.LLAMA_POOLING_TYPE_LAST)),
        (f"{gguf} last+prompt", llama(llama_cpp.LLAMA_POOLING_TYPE_LAST, PROMPT_EOL)),
    ]
    rows: dict[str, dict[str, dict[str, tuple[float, float]]]] = {}
    costs = []
    for name, load in embedders:  # one model at a time
        embedder = Embedder(name, load)
        vector, task_ms = embedder.vectors(all_texts(tasks["scenario"] + tasks["memory"]))
        rows[name] = {pool: scores(task, vector) for pool, task in tasks.items()}
        vector, _ = embedder.vectors(all_texts(subject_task))
        rows[name]["scenario-subject"] = scores(subject_task, vector)
        costs.append(
            (name, task_ms, embedder.short_ms(), embedder.load_s, embedder.rss_mb, embedder.peak_mb)
        )
        del embedder

    pools = {**tasks, "scenario-subject": subject_task}
    text = report(args.data.name, pools, rows, costs)
    print(text, end="")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)


if __name__ == "__main__":
    main()
