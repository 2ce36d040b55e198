"""Load the parser, the word lexicon and the embedding model once, before the first
message.

All load lazily on first use (the English parser ~0.5 s, lemminflect's lexicon ~1 s,
WordLlama ~0.3 s); the app loads them right after the model, in the model thread, so
the first correction or answer does not pay for it.
"""

from __future__ import annotations

from .language.parse import warm as warm_parser
from .language.question_statement import statement_of
from .meaning.embedder import embed


def load_language_data() -> None:
    warm_parser()
    statement_of("Which city does Anna live in?", "Lisbon")
    embed(["Anna lives in Lisbon."])
