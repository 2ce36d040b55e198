"""The retrieval baseline: each correction kept as a text note, mem0-style.

Notes live in an SQLite FTS5 table (in memory); at answer time the top-k notes by BM25
against the question's content words go into the answer prompt, notes first and the
question last (``notes_prompt``: the layout this baseline was measured with; KGT's own
prompt puts the question first, docs/METHOD.md §3). Nothing ties a
note to an entity, so notes about other subjects can be retrieved: that is the
baseline's known weakness on neighbourhood prompts.
"""

from __future__ import annotations

import sqlite3

from assistant.language.prompts import feedback_sentence, notes_prompt
from assistant.language.text import content_words

from .methods import Method


class NoteMemoryMethod(Method):
    name = "rag"

    def __init__(self, top_k: int = 3):
        self.top_k = top_k
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE notes USING fts5(text)")

    def learn(self, query: str, answer: str, subject: str | None) -> None:
        self.db.execute("INSERT INTO notes (text) VALUES (?)", [feedback_sentence(query, answer)])

    def search(self, query: str) -> list[str]:
        """The top-k notes by BM25, best first."""
        terms = list(dict.fromkeys(w.lower() for w in content_words(query)))
        if not terms:
            return []
        # Each term quoted: FTS5 syntax in the user's text is matched as plain words.
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT text FROM notes WHERE notes MATCH ? ORDER BY bm25(notes) LIMIT ?",
            [match, self.top_k],
        )
        return [row[0] for row in rows]

    def answer_prompt(self, query: str, subject: str | None) -> str:
        return notes_prompt(query, self.search(query))

    def close(self) -> None:
        self.db.close()
