"""The paper's online protocol, for several methods side by side.

Cases are fed in order, each once, to every method (one growing store per method).
At each checkpoint N (10, 100, 1000 and the run's own size) every case learned so
far is scored through each method's answer pipeline: the curve of scores against
accumulated facts (the paper's Figure 4). The last checkpoint is the headline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.api import AssistantError, LanguageModel, ScoreRequest
from assistant.peak_memory import peak_rss_mb
from assistant.timing import ms_since, percentile

from .dataset import EvalCase
from .generation import GeneratedScores, generated_scores, model_alone_replies
from .methods import Method
from .metrics import CaseOutcome, Scores, scores_of

CURVE_POINTS = (10, 100, 1000)

#: (units done, units in all, what is happening)
ProgressCallback = Callable[[int, int, str], None]


@dataclass
class MethodRun:
    method: Method
    correction_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    failed_corrections: int = 0
    curve: dict[int, Scores] = field(default_factory=dict)
    #: Its replies judged (``generate``), after the last case; None when not asked for.
    generated: GeneratedScores | None = None

    def summary(self) -> dict:
        final = self.curve[max(self.curve)]
        summary = {
            "efficacy": final.efficacy,
            "paraphrase": final.paraphrase,
            "neighborhood": final.neighborhood,
            "correction_ms_p50": percentile(self.correction_ms, 50),
            "correction_ms_p95": percentile(self.correction_ms, 95),
            "answer_ms_p50": percentile(self.answer_ms, 50),
        }
        if self.generated is not None:
            summary["gen_efficacy"] = self.generated.efficacy
            summary["gen_paraphrase"] = self.generated.paraphrase
            summary["gen_neighborhood"] = self.generated.neighborhood
        return summary


@dataclass
class EvaluationResult:
    n: int
    runs: dict[str, MethodRun]
    peak_rss_mb: float
    wall_s: float
    #: Cases the run was asked for; more than ``n`` in a checkpoint's partial result.
    planned_n: int = 0

    def notes(self) -> list[str]:
        found = []
        for name, run in self.runs.items():
            found += run.method.notes()
            if run.failed_corrections:
                found.append(
                    f"{name}: {run.failed_corrections} corrections failed "
                    "(nothing was learned from them)"
                )
        return found


def curve_points(n: int) -> list[int]:
    return sorted({c for c in CURVE_POINTS if c < n} | {n})


def run_evaluation(
    model: LanguageModel,
    cases: Sequence[EvalCase],
    methods: Sequence[Method],
    *,
    hide_subject: bool = False,
    generate: bool = False,
    on_progress: ProgressCallback | None = None,
    on_checkpoint: Callable[[EvaluationResult], None] | None = None,
) -> EvaluationResult:
    """Learn every case online, scoring at each curve point; ``on_checkpoint`` gets the
    result so far after each point (a long run leaves its figures as it goes). With
    ``generate``, every method's replies are judged too, once all cases are learned
    (generating is slow: the headline only, not the curve)."""
    start = time.perf_counter()
    runs = {m.name: MethodRun(m) for m in methods}
    points = curve_points(len(cases))
    total = len(methods) * (len(cases) + sum(points))
    if generate:
        total += (len(methods) + 1) * len(cases)
    done = 0

    def tick(units: int, label: str) -> None:
        nonlocal done
        done += units
        if on_progress:
            on_progress(done, total, label)

    tick(0, "starting")
    for index, case in enumerate(cases, start=1):
        subject = None if hide_subject else case.subject
        for run in runs.values():
            _learn(run, case, subject)
            tick(1, f"learning {run.method.name} {index}/{len(cases)}")
        if index in points:
            for run in runs.values():
                run.curve[index] = _score(model, run, cases[:index], hide_subject, tick)
            if on_checkpoint and index < len(cases):
                on_checkpoint(
                    EvaluationResult(
                        index, runs, peak_rss_mb(), time.perf_counter() - start, len(cases)
                    )
                )
    if generate:
        _generate(model, runs, cases, hide_subject, tick)
    return EvaluationResult(
        len(cases), runs, peak_rss_mb(), time.perf_counter() - start, len(cases)
    )


def _learn(run: MethodRun, case: EvalCase, subject: str | None) -> None:
    began = time.perf_counter()
    try:
        run.method.learn(case.prompt, case.target_new, subject)
    except AssistantError:
        # A correction the method cannot make (e.g. no subject found) teaches nothing;
        # the case still counts, and the report says how many there were.
        run.failed_corrections += 1
    run.correction_ms.append(ms_since(began))


def _generate(
    model: LanguageModel,
    runs: dict[str, MethodRun],
    cases: Sequence[EvalCase],
    hide_subject: bool,
    tick: Callable[[int, str], None],
) -> None:
    alone = model_alone_replies(model, cases, tick)
    queries = [queries_of(case, hide_subject) for case in cases]
    for run in runs.values():
        run.generated = generated_scores(model, run.method, cases, queries, alone, tick)


def queries_of(case: EvalCase, hide_subject: bool) -> list[tuple[str, str | None]]:
    """(query, subject shown to the method); the locality prompt's subject is never given."""
    subject = None if hide_subject else case.subject
    return [(case.prompt, subject), (case.rephrase_prompt, subject), (case.locality_prompt, None)]


def requests_of(case: EvalCase, prompts: Sequence[str]) -> list[ScoreRequest]:
    """The six scored continuations, in :class:`CaseOutcome` field order."""
    on_prompt, on_rephrase, on_locality = prompts
    new, true, local = (
        f" {case.target_new}",
        f" {case.ground_truth}",
        f" {case.locality_ground_truth}",
    )
    return [
        ScoreRequest(on_prompt, new),
        ScoreRequest(on_prompt, true),
        ScoreRequest(on_rephrase, new),
        ScoreRequest(on_rephrase, true),
        ScoreRequest(on_locality, local),
        ScoreRequest(on_locality, new),
    ]


def score_shared_contexts(model: LanguageModel, requests: Sequence[ScoreRequest]) -> list[float]:
    """Mean log-probabilities, one model call per run of requests with the same context.

    The backend decodes the prefix shared by *all* requests of a call once; in one
    large call of many prompts that prefix is only the instruction, and each prompt
    would be decoded again for each of its two targets. Called per prompt, the whole
    prompt is decoded once, and its start (the instruction, or icl's facts block)
    stays in the backend's prefix cache from the previous call.
    """
    values: list[float] = []
    start = 0
    for end in range(1, len(requests) + 1):
        if end == len(requests) or requests[end].context != requests[start].context:
            values += [s.mean_logprob for s in model.score(requests[start:end])]
            start = end
    return values


def _score(
    model: LanguageModel,
    run: MethodRun,
    cases: Sequence[EvalCase],
    hide_subject: bool,
    tick: Callable[[int, str], None],
) -> Scores:
    name = run.method.name
    requests, build_ms = [], []
    for case in cases:
        prompts = []
        for query, subject in queries_of(case, hide_subject):
            began = time.perf_counter()
            prompts.append(run.method.answer_prompt(query, subject))
            build_ms.append(ms_since(began))
        requests += requests_of(case, prompts)
    values: list[float] = []
    began = time.perf_counter()
    per_case = len(requests) // len(cases)
    for first in range(0, len(requests), per_case):
        values += score_shared_contexts(model, requests[first : first + per_case])
        tick(1, f"scoring {name} at N={len(cases)}")
    shared_ms = ms_since(began) / len(build_ms)
    # Answer latency: the method's own prompt building plus its share of batched scoring.
    run.answer_ms = [ms + shared_ms for ms in build_ms]
    outcomes = [CaseOutcome(*values[i : i + per_case]) for i in range(0, len(values), per_case)]
    return scores_of(outcomes)
