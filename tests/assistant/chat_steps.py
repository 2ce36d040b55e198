"""A person's steps in a chat, for tests that play a conversation: send a message and
read the whole reply, teach an answer with thumbs-down, tell a fact."""

from assistant.learning.correction import drain


def send(session, message):
    """The turn and the reply's whole text."""
    turn, pieces = session.send(message)
    return turn, "".join(pieces)


def teach(session, question, answer):
    """Ask, then correct whatever the reply was to ``answer``."""
    send(session, question)
    return drain(session.correct(answer))


def tell(session, message):
    """State a fact in a message and learn it."""
    turn, _ = send(session, message)
    return drain(session.learn_statement(turn))
