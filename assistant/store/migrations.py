"""Numbered schema migrations of the knowledge-graph database.

Never edit a migration that has shipped: add the next one. ``database.open_database``
backs the file up before applying any pending migration to an existing database.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ..meaning.index import fill_missing

migrations = Migrations("assistant")


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL,
            model_answer TEXT NOT NULL DEFAULT '',
            user_answer TEXT NOT NULL,
            subject TEXT NOT NULL,
            message_id TEXT,
            created_at TEXT NOT NULL,
            undone_at TEXT,
            loss_before REAL,
            loss_after REAL
        );
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            correction_id INTEGER REFERENCES corrections(id) ON DELETE SET NULL
        );
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            correction_id INTEGER REFERENCES corrections(id) ON DELETE SET NULL
        );
        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            subject_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            relation TEXT NOT NULL,
            object TEXT NOT NULL,
            created_at TEXT NOT NULL,
            invalid_at TEXT,
            correction_id INTEGER REFERENCES corrections(id) ON DELETE SET NULL
        );
        CREATE TABLE edit_log (
            id INTEGER PRIMARY KEY,
            correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
            fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
            reasoning_logprob REAL,
            retrieval_logprob REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX facts_by_subject ON facts(subject_id, invalid_at);
        CREATE INDEX facts_by_correction ON facts(correction_id);
        CREATE INDEX edit_log_by_correction ON edit_log(correction_id);
        CREATE INDEX edit_log_by_fact ON edit_log(fact_id);
        CREATE INDEX aliases_by_entity ON aliases(entity_id);
        CREATE INDEX corrections_by_subject ON corrections(subject COLLATE NOCASE);
        """,
    )


@migrations(name="0002_conversations")
def m0002_conversations(db: Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            created_at TEXT NOT NULL,
            subject TEXT,
            facts_json TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX conversations_by_update ON conversations(updated_at);
        """,
    )


@migrations(name="0003_indexes_for_undo_and_delete")
def m0003_indexes_for_undo_and_delete(db: Database) -> None:
    # Undo looks up what a correction created, and deleting a correction makes SQLite
    # null the references to it (ON DELETE SET NULL): without these, both read every
    # entity and alias, which grows with the graph.
    _run_statements(
        db,
        """
        CREATE INDEX entities_by_correction ON entities(correction_id);
        CREATE INDEX aliases_by_correction ON aliases(correction_id);
        """,
    )


@migrations(name="0004_ids_never_reused")
def m0004_ids_never_reused(db: Database) -> None:
    # SQLite hands out max(id) + 1, so deleting the newest fact or correction would let
    # the next one take its id, and a stale Undo button or panel row would act on the
    # wrong row. The high-water mark of every id ever used lives here; inserts take the
    # next one (see graph_rows.NEXT_ID) and a trigger keeps the mark up to date.
    db.execute("CREATE TABLE id_high_water (name TEXT PRIMARY KEY, last_id INTEGER NOT NULL)")
    for table in ("facts", "corrections"):
        db.execute(f"INSERT INTO id_high_water SELECT '{table}', coalesce(max(id), 0) FROM {table}")
        # One statement with a body: _run_statements would split it at its semicolons.
        db.execute(
            f"CREATE TRIGGER {table}_high_water AFTER INSERT ON {table} BEGIN "
            f"UPDATE id_high_water SET last_id = NEW.id "
            f"WHERE name = '{table}' AND last_id < NEW.id; END"
        )


@migrations(name="0005_fact_sentences")
def m0005_fact_sentences(db: Database) -> None:
    # A fact reads as one sentence a person would write ("My sister Anna lives in
    # Lisbon."), in the user's own voice; KGT's relation phrasings of the same fact are
    # kept beside it (one per line) for retrieval and for telling an update from a new
    # fact. Facts learned before keep NULL and are written from their triple.
    _run_statements(
        db,
        """
        ALTER TABLE facts ADD COLUMN sentence TEXT;
        ALTER TABLE facts ADD COLUMN phrasings TEXT NOT NULL DEFAULT ''
        """,
    )


@migrations(name="0006_meaning_vectors")
def m0006_meaning_vectors(db: Database) -> None:
    # Matching by meaning (assistant/meaning_index.py): every fact, entity name and
    # alias gets its WordLlama vector, written in the same transaction as its row and
    # deleted with it. The names and aliases are searched from a copy in memory, keyed
    # on meaning_version, which every change to them moves (the triggers). Existing
    # rows are embedded here, in the migration's transaction (~50,000 a second).
    _run_statements(
        db,
        """
        CREATE TABLE fact_vectors (
            fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
            vector BLOB NOT NULL
        );
        CREATE TABLE alias_vectors (
            alias_id INTEGER PRIMARY KEY REFERENCES aliases(id) ON DELETE CASCADE,
            vector BLOB NOT NULL
        );
        CREATE TABLE entity_vectors (
            entity_id INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
            vector BLOB NOT NULL
        );
        CREATE TABLE meaning_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT INTO meaning_version VALUES (1, 0)
        """,
    )
    bump = "BEGIN UPDATE meaning_version SET version = version + 1; END"
    # Each is one statement with a body: _run_statements would split it at semicolons.
    for table in ("entity_vectors", "alias_vectors"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_{event.lower()} AFTER {event} ON {table} {bump}")
    # An alias moving to another entity (a description merged into a name).
    db.execute(f"CREATE TRIGGER aliases_moved AFTER UPDATE OF entity_id ON aliases {bump}")
    fill_missing(db)


@migrations(name="0007_facts_by_value")
def m0007_facts_by_value(db: Database) -> None:
    # "What does Kuba do?" where Kuba is only the value of a fact ("Tomasz shares a
    # flat with his friend Kuba."): the reply looks facts up by their value, which
    # without this reads every fact.
    db.execute("CREATE INDEX facts_by_value ON facts(object COLLATE NOCASE)")


def _run_statements(db: Database, script: str) -> None:
    # executescript() would COMMIT first and break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
