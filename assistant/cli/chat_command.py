"""``assistant chat``: a terminal chat; ``/wrong ANSWER`` corrects the last answer."""

from __future__ import annotations

import sys

from ..chat import ChatSession
from ..errors import AssistantError
from ..learning.correction import drain
from .output import fact_line, fact_sentence_of, replacement_lines

HELP = """Commands:
  /wrong ANSWER   the last answer was wrong; learn ANSWER instead
  /facts          list what I have learned
  /undo           undo the last correction
  /help           this help
  /quit           leave (also Ctrl-D)"""


def register(subparsers, common) -> None:
    chat = subparsers.add_parser("chat", parents=[common], help="chat in the terminal")
    chat.set_defaults(func=run_chat)


def run_chat(args) -> int:
    ctx = args.context
    session = ChatSession(ctx.model, ctx.store, ctx.settings)
    print(f"Chatting with {ctx.model.name}. Type /help for commands, /quit to leave.")
    while True:
        try:
            line = input("you> ")
        except EOFError:
            print()
            return 0
        if line.strip() in ("/quit", "/exit"):
            return 0
        try:
            _handle(session, line)
        except AssistantError as error:
            print(f"! {error}")


def _handle(session: ChatSession, line: str) -> None:
    command, _, rest = line.strip().partition(" ")
    if command == "/help":
        print(HELP)
    elif command == "/wrong":
        _correct(session, rest)
    elif command == "/facts":
        facts = session.store.facts()
        print("\n".join(fact_line(f) for f in facts) or "No facts learned yet.")
    elif command == "/undo":
        undone = session.store.undo()
        print(f"Undid correction {undone.correction_id}.")
    elif line.strip():
        _reply(session, line)


def _reply(session: ChatSession, line: str) -> None:
    turn, pieces = session.send(line)
    sys.stdout.write("assistant> ")
    try:
        for piece in pieces:
            sys.stdout.write(piece)
            sys.stdout.flush()
    except KeyboardInterrupt:
        pieces.close()
        sys.stdout.write(" [stopped]")
    sys.stdout.write("\n")
    if turn.facts:
        print("  (facts used: " + "; ".join(fact_sentence_of(f) for f in turn.facts) + ")")


def _correct(session: ChatSession, answer: str) -> None:
    print("Learning...")
    result = drain(session.correct(answer))
    applied = result.applied
    print(f"Learned about {applied.subject} in {result.latency_ms:.0f} ms:")
    for fact in applied.added:
        print(f"  + {fact_sentence_of(fact)}")
    why = replacement_lines(applied)
    for fact in applied.removed:
        print(f"  - {fact_sentence_of(fact)}")
        print(why[fact.id])
