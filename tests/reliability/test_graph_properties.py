"""Property tests: random sequences of corrections, undos, deletes and forgets keep the
knowledge graph's invariants, and the store agrees with a plain reference model."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from assistant.facts import AddFact, CorrectionInput, RemoveFact
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore

from .graph_invariants import graph_problems

SUBJECTS = st.sampled_from(["Bruno", "Anna", "Dr. Lee", "🐶", "مرحبا"])
RELATIONS = st.sampled_from(["eats", "diet", "works at", "lives in"])
OBJECTS = st.sampled_from(["meat", "vegetables", "Google", "Paris", "x'); DROP TABLE facts;--"])


class GraphMachine(RuleBasedStateMachine):
    """Drives a real store on in-memory SQLite beside a dict of what it should hold."""

    def __init__(self):
        super().__init__()
        self.store = GraphStore(open_database(None))
        self.expected: dict[int, tuple[tuple[str, str, str], bool]] = {}  # id -> (triple, valid)
        self.added_by: dict[int, list[int]] = {}
        self.removed_by: dict[int, list[int]] = {}
        self.subject_of: dict[int, str] = {}
        self.active: list[int] = []  # corrections that can be undone, oldest first

    def _valid_ids_of(self, subject: str) -> list[int]:
        canonical = self.store.resolve_entity(subject)
        return [i for i, (t, valid) in self.expected.items() if valid and t[0] == canonical]

    @rule(
        data=st.data(), subject=SUBJECTS, adds=st.lists(st.tuples(RELATIONS, OBJECTS), max_size=3)
    )
    def correct(self, data, subject, adds):
        valid = self._valid_ids_of(subject)
        removes = data.draw(st.lists(st.sampled_from(valid), unique=True) if valid else st.just([]))
        edits = [AddFact(r, o, -1.0, -1.0) for r, o in adds]
        edits += [RemoveFact(i, -2.0, -2.0) for i in removes]
        edits = data.draw(st.permutations(edits))
        applied = self.store.apply_correction(CorrectionInput("q?", "a", subject), edits)
        for fact in applied.added:
            self.expected[fact.id] = (fact.triple, True)
        for fact in applied.removed:
            self.expected[fact.id] = (fact.triple, False)
        self.added_by[applied.correction_id] = [f.id for f in applied.added]
        self.removed_by[applied.correction_id] = [f.id for f in applied.removed]
        self.subject_of[applied.correction_id] = applied.subject
        self.active.append(applied.correction_id)

    def _deactivate(self, correction_id: int) -> None:
        self.active.remove(correction_id)
        self.added_by.pop(correction_id)
        self.removed_by.pop(correction_id)

    @precondition(lambda self: self.active)
    @rule(data=st.data())
    def undo(self, data):
        correction_id = data.draw(st.sampled_from(self.active))
        self.store.undo(correction_id)
        for fact_id in self.removed_by[correction_id]:
            self.expected[fact_id] = (self.expected[fact_id][0], True)
        added = self.added_by[correction_id]
        self._deactivate(correction_id)
        self._drop_facts(added)  # undo deletes what it added, edit-log rows included

    def _drop_facts(self, ids: list[int]) -> set[int]:
        """Facts gone for good; returns the active corrections that had added them."""
        adders = {c for c, added in self.added_by.items() if set(added) & set(ids)}
        for fact_id in ids:
            del self.expected[fact_id]
        for lists in (self.added_by, self.removed_by):
            for correction_id in lists:
                lists[correction_id] = [i for i in lists[correction_id] if i not in ids]
        return adders

    @precondition(lambda self: self.expected)
    @rule(data=st.data())
    def delete(self, data):
        ids = data.draw(st.lists(st.sampled_from(sorted(self.expected)), min_size=1, unique=True))
        self.store.delete_facts(ids)
        # A correction left with nothing in its edit log is deleted with its text.
        for correction_id in self._drop_facts(ids):
            if not self.added_by[correction_id] and not self.removed_by[correction_id]:
                self._deactivate(correction_id)

    @precondition(lambda self: self.store.entity_names())
    @rule(data=st.data())
    def forget(self, data):
        name = data.draw(st.sampled_from(self.store.entity_names()))
        self.store.forget_entity(name)
        self.expected = {i: v for i, v in self.expected.items() if v[0][0] != name}
        for correction_id in [c for c in self.active if self.subject_of[c] == name]:
            self._deactivate(correction_id)
        assert name not in self.store.entity_names()
        assert all(c.subject != name for c in self.store.corrections())

    @precondition(lambda self: self.active)
    @rule()
    def undo_everything_newest_first(self):
        for correction_id in reversed(list(self.active)):
            self.store.undo(correction_id)
        self.active.clear()
        self.added_by.clear()
        self.removed_by.clear()
        self.expected.clear()
        assert self.store.facts(include_invalid=True) == []

    @invariant()
    def graph_is_sound(self):
        assert graph_problems(self.store.db.conn) == []

    @invariant()
    def store_matches_the_reference(self):
        stored = {
            f.id: (f.triple, f.invalid_at is None) for f in self.store.facts(include_invalid=True)
        }
        assert stored == self.expected


GraphMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_corrections_undos_deletes_and_forgets_keep_the_invariants = GraphMachine.TestCase
