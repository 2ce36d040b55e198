"""``assistant bench``: how fast corrections and answers are, and how they scale.

Everything runs in one process on one loaded model, in a temporary home with
synthetic graphs (:mod:`benchmarks.graphs`); every figure is a median (or a
95th percentile) of several runs. The measurements, in order:

1. corrections on a 100-fact graph and the same questions about other people on the
   1,000,000-fact graph, alternately, each after generating the answer it corrects
   and the warm-up the app runs when the user clicks thumbs-down
   (:mod:`assistant.learning.correction_warmup`, timed on its own: the user is typing then),
   so the caches hold what they would hold in the app; a correction is timed from
   the moment the user's answer is submitted to the saved edit; each is undone
   afterwards so every run sees the same graph. A first run warms up and is not
   counted. Right after each correction on the small graph, its floor
   (:mod:`benchmarks.floor`), on a second context that leaves the caches alone: a
   correction and its floor see the same machine load;
2. scoring one correction's 25 candidates (K=5 new + the subject's 20 facts) batched
   versus the naive way, both from a cold cache;
3. answers on a 10,000-fact graph versus an empty one (time to first token): one-hop
   questions naming their relation, their paraphrases, and two-hop questions;
4. the graph side of retrieval (subject lookup + its facts) on 100, 10,000 and
   1,000,000 facts, and the whole retrieval with the search by meaning: paraphrases
   naming a person (facts ranked by meaning, :mod:`assistant.answering.fact_meaning`) and
   questions naming no one (the person found by meaning among every name and alias).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answering.answer import stream_answer, stream_retrieved_answer
from assistant.answering.retrieval import graph_candidates, retrieve
from assistant.api import GraphStore, open_database, warm_up_correction
from assistant.learning.correction import run_correction
from assistant.learning.scoring import all_requests
from assistant.peak_memory import peak_rss_mb
from assistant.timing import median, ms_since, percentile
from models.llama_backend import LlamaLanguageModel

from .floor import RecordingModel, Workload, measure_floor_ms, unique_tokens, workload_of
from .graphs import (
    CorrectionCase,
    add_vets,
    correction_cases,
    describe_people,
    person_name,
    populate,
)

#: The graph sizes the report is keyed by.
GRAPH_SIZES = (100, 10_000, 1_000_000)
#: Runs per timed measurement; ASSISTANT_BENCH_RUNS overrides it (tests use 1).
DEFAULT_RUNS = 7
#: Subject lookups timed per graph for the retrieval percentile.
RETRIEVAL_LOOKUPS = 200
#: The two-hop questions are about other people than the one-hop ones (their vets are
#: added to the graph).
TWO_HOP_SHIFT = 2
#: An answer's priming question: caches the prompt template, not the measured question.
PRIMING_QUESTION = "Is it going to rain today?"
#: ASSISTANT_BENCH_WARM_UP=0 skips the thumbs-down warm-up: corrections as the command
#: line runs them (cold), for comparison.
WARM_UP = "ASSISTANT_BENCH_WARM_UP"

Progress = Callable[[str], None]


@dataclass
class CorrectionRuns:
    totals_ms: list[float] = field(default_factory=list)
    warm_ups_ms: list[float] = field(default_factory=list)  # at thumbs-down, before each
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time
    stages_ms: dict[str, list[float]] = field(default_factory=dict)
    workloads: list[Workload] = field(default_factory=list)
    requests: list = field(default_factory=list)  # all 25 candidates' scoring requests
    floors_ms: list[float] = field(default_factory=list)  # when measured, one per run
    unique_prompt_tokens: list[int] = field(default_factory=list)
    previous: Workload | None = None  # the run before (the warm-up included)


def run_benchmark(
    model: LlamaLanguageModel,
    largest: int = GRAPH_SIZES[-1],
    runs: int | None = None,
    progress: Progress = lambda _: None,
) -> dict:
    """Measure everything; returns the report (see :func:`report`)."""
    runs = runs or int(os.environ.get("ASSISTANT_BENCH_RUNS", DEFAULT_RUNS))
    sizes = [min(size, largest) for size in GRAPH_SIZES]
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        graphs = _GraphMaker(Path(tmp), progress)
        small, medium, large = (graphs.make(size) for size in sizes)
        progress(f"corrections on {sizes[0]} and {sizes[2]} facts, alternately")
        base, at_large = measure_corrections(model, [small[0], large[0]], small[1], runs)
        progress("scoring: batched versus naive")
        batched, naive = measure_scoring(model, base.requests, min(runs, 3))
        progress(f"answers on {sizes[1]} facts")
        answers = measure_answers(model, medium[0], graphs.empty(), medium[1], runs)
        retrieval = {
            str(key): retrieval_p95(store, people)
            for key, (store, people) in zip(GRAPH_SIZES, (small, medium, large))
        }
        progress("retrieval with the search by meaning")
        with_meaning = {
            str(key): measure_retrieval_with_meaning(store, people, graphs.described[size])
            for key, size, (store, people) in zip(GRAPH_SIZES, sizes, (small, medium, large))
        }
    result = report(
        model, base, (batched, naive), answers, (retrieval, with_meaning), at_large, sizes
    )
    result["details"]["graph_build_s"] = graphs.build_s
    return result


class _GraphMaker:
    """Synthetic graphs in the temporary home, one database file each."""

    def __init__(self, directory: Path, progress: Progress):
        self._directory = directory
        self._progress = progress
        self._made: dict[int, tuple[GraphStore, int]] = {}
        #: Per graph: questions naming no one, about people known by a description.
        self.described: dict[int, list[CorrectionCase]] = {}
        #: Seconds to write each graph, its vectors included.
        self.build_s: dict[str, float] = {}

    def make(self, n_facts: int) -> tuple[GraphStore, int]:
        if n_facts not in self._made:  # a small --facts makes sizes coincide
            self._progress(f"generating a graph of {n_facts} facts, with their vectors")
            start = time.perf_counter()
            store = GraphStore(open_database(self._directory / f"graph-{n_facts}.db"))
            people = populate(store.db, n_facts)
            self.described[n_facts] = describe_people(store, people)
            self.build_s[str(n_facts)] = time.perf_counter() - start
            self._made[n_facts] = (store, people)
        return self._made[n_facts]

    def empty(self) -> GraphStore:
        return GraphStore(open_database(self._directory / "empty.db"))


# ----- corrections -----------------------------------------------------------------


def measure_corrections(
    model: LlamaLanguageModel, stores: list[GraphStore], people: int, runs: int
) -> list[CorrectionRuns]:
    """Corrections on each graph, alternating between graphs run by run (so a
    change in the machine's load hits all alike); ``people`` must exist in every graph.

    Each graph gets the same questions about other people: a correction run right
    after the same one on the other graph would find its own prompts still cached
    (the relation prompt, the model alone's), which no real correction does: measured
    that way, the second graph's corrections come out ~10-30% faster than the first's."""
    recorder = RecordingModel(model)
    measured = [CorrectionRuns() for _ in stores]
    cases = [correction_cases(people, runs + 1, shift=k) for k in range(len(stores))]
    for i in range(runs + 1):
        for k, (store, runs_on_graph) in enumerate(zip(stores, measured)):
            _correct_once(
                model,
                recorder,
                store,
                cases[k][i],
                runs_on_graph,
                warm_up=i == 0,
                with_floor=k == 0,
            )
    return measured


def _correct_once(
    model: LlamaLanguageModel,
    recorder: RecordingModel,
    store: GraphStore,
    case,
    measured: CorrectionRuns,
    warm_up: bool,
    with_floor: bool,
) -> None:
    said = drain_answer(model, store, case.query)  # the answer being corrected
    start = time.perf_counter()
    if os.environ.get(WARM_UP, "1") != "0":
        warm_up_correction(model, store, case.query)  # the user clicked thumbs-down
    head_start = ms_since(start)
    recorder.reset()
    generated, decoded = model.tokens_generated, model.tokens_decoded
    start, cpu_start = time.perf_counter(), time.process_time()
    result = run_correction(recorder, store, case.query, case.answer, model_answer=said)
    total, cpu = ms_since(start), (time.process_time() - cpu_start) * 1000.0
    store.undo(result.applied.correction_id)  # every run sees the same graph
    work = workload_of(recorder, model.tokens_generated - generated, model.tokens_decoded - decoded)
    # The template text every correction shares is found by comparing with the run before.
    previous, measured.previous = measured.previous, work
    if warm_up:
        return  # caches and lazily created contexts
    measured.totals_ms.append(total)
    measured.warm_ups_ms.append(head_start)
    measured.cpu_ms.append(cpu)
    for stage, ms in result.proposal.timings_ms.items():
        measured.stages_ms.setdefault(stage, []).append(ms)
    measured.workloads.append(work)
    measured.unique_prompt_tokens.append(unique_tokens(work, previous))
    if with_floor:
        measured.floors_ms.append(measure_floor_ms(model, work, previous))
    if not measured.requests:  # the 25 candidates' full scoring, for batched vs naive
        proposal = result.proposal
        measured.requests = all_requests(
            case.query,
            proposal.correction.subject,
            case.answer,
            proposal.relations,
            proposal.existing,
        )


def measure_scoring(model: LlamaLanguageModel, requests: list, runs: int) -> tuple[float, float]:
    """Median ms of scoring ``requests`` batched and naively, both from a cold cache."""
    batched, naive = [], []
    for _ in range(max(runs, 1)):
        model.forget_cache()
        start = time.perf_counter()
        model.score(requests)
        batched.append(ms_since(start))
        start = time.perf_counter()
        model.score_separately(requests)
        naive.append(ms_since(start))
    return median(batched), median(naive)


# ----- answers and retrieval ---------------------------------------------------------


@dataclass
class AnswerRuns:
    with_graph_first_ms: list[float] = field(default_factory=list)
    without_graph_first_ms: list[float] = field(default_factory=list)
    with_graph_total_ms: list[float] = field(default_factory=list)
    #: The same, for the questions' paraphrases (facts ranked by meaning).
    ranked_first_ms: list[float] = field(default_factory=list)
    ranked_without_first_ms: list[float] = field(default_factory=list)
    #: The same, for questions chaining two facts (a person's vet, where it is based).
    two_hop_first_ms: list[float] = field(default_factory=list)
    two_hop_without_first_ms: list[float] = field(default_factory=list)
    #: How each answer with the graph chose its facts ("by name", "by model", ...).
    chosen_by: Counter = field(default_factory=Counter)


def measure_answers(
    model, store: GraphStore, empty: GraphStore, people: int, runs: int
) -> AnswerRuns:
    """Time to first token with the graph and without it, for the same questions, each
    after a priming answer (so the template is cached but the question is not).

    Each case is asked as written, naming its relation ("What does X eat?", whose
    facts are found by name), paraphrased ("What is X's favourite food?", whose facts
    are ranked by meaning), and, about another person, as a two-hop question ("Where
    is Y's vet based?": Y's vet, then where the vet is based; the vets are added to the
    graph first); the report's one-hop overhead is the first."""
    measured = AnswerRuns()
    others = correction_cases(people, runs + 1, shift=TWO_HOP_SHIFT)
    add_vets(store, [other.subject for other in others])
    for i, (case, other) in enumerate(zip(correction_cases(people, runs + 1), others)):
        timed = []
        for query in (case.query, case.paraphrase, other.two_hop):
            drain_answer(model, empty, PRIMING_QUESTION)
            first, total, how = _time_answer(model, store, query)
            drain_answer(model, empty, PRIMING_QUESTION)
            without, _, _ = _time_answer(model, empty, query)
            timed.append((first, total, without, how))
        if i == 0:
            continue  # warm-up
        one_hop, paraphrase, two_hop = timed
        first, total, without, how = one_hop
        measured.with_graph_first_ms.append(first)
        measured.with_graph_total_ms.append(total)
        measured.without_graph_first_ms.append(without)
        measured.ranked_first_ms.append(paraphrase[0])
        measured.ranked_without_first_ms.append(paraphrase[2])
        measured.two_hop_first_ms.append(two_hop[0])
        measured.two_hop_without_first_ms.append(two_hop[2])
        measured.chosen_by.update([how, f"paraphrase {paraphrase[3]}", f"two-hop {two_hop[3]}"])
    return measured


def _time_answer(model, store: GraphStore, query: str) -> tuple[float, float, str]:
    """(ms to the first piece, ms to the whole answer, how its facts were chosen: a
    chain of two is "<how> path")."""
    start = time.perf_counter()
    found, pieces = stream_retrieved_answer(model, store, query)
    first = None
    for _ in pieces:
        if first is None:
            first = ms_since(start)
    total = ms_since(start)
    how = f"{found.chosen_by} path" if found.path else str(found.chosen_by)
    return (total if first is None else first), total, how


def drain_answer(model, store: GraphStore, query: str) -> str:
    """The whole answer to ``query``, as the app would show it."""
    _, _, pieces = stream_answer(model, store, query)
    return "".join(pieces).strip()


def retrieval_p95(store: GraphStore, people: int, lookups: int = RETRIEVAL_LOOKUPS) -> float:
    """95th percentile ms of the graph side of retrieval for questions naming people
    spread over the graph."""
    times = []
    for i in range(lookups):
        query = f"What does {person_name((i * 7919) % people)} eat?"
        start = time.perf_counter()
        subject, facts = graph_candidates(store, query)
        times.append(ms_since(start))
        if subject is None or not facts:
            raise RuntimeError(f"the synthetic graph lost a person: {query}")
    return percentile(times, 95)


@dataclass
class MeaningRetrieval:
    """The whole retrieval, the search by meaning included, on one graph."""

    named_ms: list[float] = field(default_factory=list)  # paraphrases naming a person
    unnamed_ms: list[float] = field(default_factory=list)  # questions naming no one
    found: int = 0  # questions naming no one whose person was found
    first_search_ms: float = 0.0  # the first, which reads the names into memory


def measure_retrieval_with_meaning(
    store: GraphStore,
    people: int,
    described: list[CorrectionCase],
    lookups: int = RETRIEVAL_LOOKUPS,
) -> MeaningRetrieval:
    """Time ``retrieve`` (no model) for paraphrases naming people spread over the graph
    ("What is X's favourite food?": X's facts, with the questions they answer, embedded
    with the question and ranked by meaning) and, alternately, questions naming no one
    ("What is the piano tutor's workplace?": every name and alias searched by meaning,
    then the facts of the person found). The first search, which reads the names, is
    timed apart."""
    measured = MeaningRetrieval()
    start = time.perf_counter()
    retrieve(None, store, described[0].query)
    measured.first_search_ms = ms_since(start)
    named = correction_cases(people, lookups // 2)
    for i in range(lookups):
        case = named[i // 2] if i % 2 == 0 else described[(i // 2) % len(described)]
        start = time.perf_counter()
        found = retrieve(None, store, case.paraphrase)
        (measured.named_ms if i % 2 == 0 else measured.unnamed_ms).append(ms_since(start))
        measured.found += i % 2 == 1 and found.subject == case.subject
    return measured


# ----- the report ----------------------------------------------------------------------

REPORT_KEYS = (
    "model",
    "correction_ms_p50",
    "correction_ms_p95",
    "correction_breakdown_ms",
    "scoring_batched_ms",
    "scoring_naive_ms",
    "scoring_speedup",
    "answer_ms_p50",
    "answer_overhead_ms_p50",
    "retrieval_ms_p95",
    "correction_ms_p50_at_1m_facts",
    "floor_ms",
    "tokens_per_correction",
    "peak_rss_mb",
    "retrieval_with_meaning_ms_p95",
    "answer_overhead_two_hop_ms_p50",
)


def report(
    model,
    base: CorrectionRuns,
    scoring: tuple[float, float],
    answers: AnswerRuns,
    retrievals: tuple[dict[str, float], dict[str, MeaningRetrieval]],
    at_large: CorrectionRuns,
    sizes: list[int],
) -> dict:
    batched, naive = scoring
    retrieval, with_meaning = retrievals
    overheads = [
        w - wo for w, wo in zip(answers.with_graph_first_ms, answers.without_graph_first_ms)
    ]
    data = {
        "model": model.name,
        "correction_ms_p50": median(base.totals_ms),
        "correction_ms_p95": percentile(base.totals_ms, 95),
        "correction_breakdown_ms": {
            stage: median(base.stages_ms.get(stage, [0.0]))
            for stage in ("relation_extraction", "scoring", "apply")
        },
        "scoring_batched_ms": batched,
        "scoring_naive_ms": naive,
        "scoring_speedup": naive / batched if batched else 0.0,
        "answer_ms_p50": median(answers.with_graph_total_ms),
        "answer_overhead_ms_p50": median(overheads),
        "retrieval_ms_p95": retrieval,
        "correction_ms_p50_at_1m_facts": median(at_large.totals_ms),
        "floor_ms": median(base.floors_ms),
        "tokens_per_correction": int(
            median(
                [
                    tokens + work.generated
                    for tokens, work in zip(base.unique_prompt_tokens, base.workloads)
                ]
            )
        ),
        "peak_rss_mb": peak_rss_mb(),
        "retrieval_with_meaning_ms_p95": {
            size: percentile(m.named_ms + m.unnamed_ms, 95) for size, m in with_meaning.items()
        },
        "answer_overhead_two_hop_ms_p50": median(
            [w - wo for w, wo in zip(answers.two_hop_first_ms, answers.two_hop_without_first_ms)]
        ),
    }
    details = {
        "graph_sizes": sizes,
        "prompt_tokens": int(median(base.unique_prompt_tokens)),
        "generated_tokens": int(median([w.generated for w in base.workloads])),
        "decoded_tokens": int(median([w.decoded for w in base.workloads])),
        "answer_first_token_ms_with_graph": median(answers.with_graph_first_ms),
        "answer_first_token_ms_without_graph": median(answers.without_graph_first_ms),
        # The paraphrases, whose facts the model ranks (the report's questions name
        # their relation, so their facts are found by name).
        "answer_first_token_ms_ranked": median(answers.ranked_first_ms),
        "answer_overhead_ranked_ms_p50": median(
            [w - wo for w, wo in zip(answers.ranked_first_ms, answers.ranked_without_first_ms)]
        ),
        "answer_facts_chosen_by": dict(answers.chosen_by),
        "answer_first_token_ms_two_hop": median(answers.two_hop_first_ms),
        # The two kinds of question timed for retrieval_with_meaning_ms_p95, apart.
        "retrieval_named_by_meaning_ms_p95": {
            size: percentile(m.named_ms, 95) for size, m in with_meaning.items()
        },
        "retrieval_unnamed_by_meaning_ms_p95": {
            size: percentile(m.unnamed_ms, 95) for size, m in with_meaning.items()
        },
        "unnamed_found": {
            size: f"{m.found}/{len(m.unnamed_ms)}" for size, m in with_meaning.items()
        },
        "names_read_ms": {size: m.first_search_ms for size, m in with_meaning.items()},
        "subject_ms": median(base.stages_ms.get("subject", [0.0])),
        "planning_ms": median(base.stages_ms.get("planning", [0.0])),
        "runs": len(base.totals_ms),
        "warm_up_ms": median(base.warm_ups_ms),
        "correction_with_warm_up_ms": median(
            [total + warm for total, warm in zip(base.totals_ms, base.warm_ups_ms)]
        ),
        # Each correction over the floor measured right after it (same machine load).
        "correction_over_floor_per_run_p50": median(
            [total / floor for total, floor in zip(base.totals_ms, base.floors_ms) if floor]
        ),
        "correction_cpu_ms": median(base.cpu_ms),
        "correction_cpu_ms_at_largest": median(at_large.cpu_ms),
        "apply_ms_at_largest": median(at_large.stages_ms.get("apply", [0.0])),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
    }
    return {"report": data, "details": details}
