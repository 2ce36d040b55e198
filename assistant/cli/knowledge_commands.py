"""``assistant correct`` and ``assistant ask``: teach a fact, ask with the graph."""

from __future__ import annotations

from ..answering.answer import answer_question
from ..errors import InputError
from ..learning.service import Learner, Teaching
from .output import emit_json, fact_sentence_of, info, replacement_lines


def register(subparsers, common) -> None:
    correct = subparsers.add_parser(
        "correct", parents=[common], help="teach the right answer to a question"
    )
    correct.add_argument("question")
    correct.add_argument("answer")
    correct.add_argument("--subject", help="the entity the question is about")
    correct.add_argument("--model-answer", default="", help="the wrong answer being corrected")
    correct.set_defaults(func=run_correct)
    ask = subparsers.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--subject", help="the entity the question is about")
    ask.set_defaults(func=run_ask)


def _require_text(text: str, what: str) -> None:
    if not str(text or "").strip():
        raise InputError(f"the {what} is empty")


def run_correct(args) -> int:
    ctx = args.context
    _require_text(args.question, "question")
    _require_text(args.answer, "answer")
    teaching = Teaching(
        args.question, args.answer, subject=args.subject, model_answer=args.model_answer or ""
    )
    result = Learner(ctx.model, ctx.store, ctx.settings).learn_now(teaching)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(
        f"Learned about {result.applied.subject} in {result.latency_ms:.0f} ms "
        f"(correction {result.applied.correction_id}):"
    )
    for fact in result.applied.added:
        print(f"  + {fact_sentence_of(fact)}   ({fact.subject}, {fact.relation}, {fact.object})")
    why = replacement_lines(result.applied)
    for fact in result.applied.removed:
        print(f"  - {fact_sentence_of(fact)}   ({fact.subject}, {fact.relation}, {fact.object})")
        print(why[fact.id])
    if not result.applied.added and not result.applied.removed:
        print("  (nothing to change: the graph already gives this answer)")
    info("Undo with: assistant facts undo")
    return 0


def run_ask(args) -> int:
    ctx = args.context
    _require_text(args.question, "question")
    answer = answer_question(
        ctx.model, ctx.store, args.question, subject=args.subject, top_n=ctx.settings.top_n_facts
    )
    if args.json:
        emit_json(answer.to_json())
        return 0
    print(answer.text)
    if answer.facts:
        info("Facts used: " + "; ".join(fact_sentence_of(f) for f in answer.facts))
    return 0
