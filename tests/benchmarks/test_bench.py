"""``assistant bench``: its report's shape, its synthetic graphs, its scoring comparison,
and the query plans that keep the graph fast as it grows. No timed assertions: the
figures themselves are for docs/PERFORMANCE.md."""

from __future__ import annotations

import json

import pytest

from assistant.answering.retrieval import answer_subject, graph_candidates, retrieve
from assistant.errors import InputError
from assistant.facts import AddFact, CorrectionInput, RemoveFact
from assistant.learning.correction import run_correction
from assistant.learning.scoring import all_requests
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore
from benchmarks.command import parse_facts
from benchmarks.floor import RecordingModel, output_rows, unique_tokens, workload_of
from benchmarks.graphs import (
    DESCRIBED,
    FACTS_PER_ENTITY,
    RELATIONS,
    add_vets,
    correction_cases,
    describe_people,
    max_facts,
    person_name,
    populate,
)
from benchmarks.runner import measure_retrieval_with_meaning

SPEC_KEYS = {
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
}


@pytest.fixture
def graph(tmp_path):
    store = GraphStore(open_database(tmp_path / "graph.db"))
    return store, populate(store.db, 100)


# ----- the report -------------------------------------------------------------------


@pytest.mark.real_model
@pytest.mark.usefixtures("embedded_model_path")  # the bench loads the default model
def test_bench_json_has_exactly_the_specified_keys(monkeypatch, capsys):
    from ui.launcher import main

    monkeypatch.setenv("ASSISTANT_BENCH_RUNS", "1")
    assert main(["bench", "--facts", "200", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == SPEC_KEYS
    assert set(report["correction_breakdown_ms"]) == {"relation_extraction", "scoring", "apply"}
    assert set(report["retrieval_ms_p95"]) == {"100", "10000", "1000000"}
    assert set(report["retrieval_with_meaning_ms_p95"]) == set(report["retrieval_ms_p95"])
    assert isinstance(report["model"], str) and isinstance(report["tokens_per_correction"], int)
    # A difference: an answer that states a fact found by name needs no decode, so it
    # can come faster than the model alone's answer (a negative overhead).
    differences = ("answer_overhead_ms_p50", "answer_overhead_two_hop_ms_p50")
    assert all(isinstance(report[k], (int, float)) for k in differences)
    by_size = ("correction_breakdown_ms", "retrieval_ms_p95", "retrieval_with_meaning_ms_p95")
    numbers = [v for k, v in report.items() if k not in ("model", *differences, *by_size)]
    for key in by_size:
        numbers += list(report[key].values())
    assert all(isinstance(v, (int, float)) and v > 0 for v in numbers)
    assert report["tokens_per_correction"] > 50  # a correction is real model work


@pytest.mark.real_model
@pytest.mark.usefixtures("embedded_model_path")  # the bench loads the default model
def test_bench_table_shows_both_kinds_of_answer(monkeypatch, capsys):
    from ui.launcher import main

    monkeypatch.setenv("ASSISTANT_BENCH_RUNS", "1")
    assert main(["bench", "--facts", "200"]) == 0
    table = capsys.readouterr().out
    assert "answer overhead p50 (questions naming their relation)" in table
    assert "paraphrased, facts ranked by meaning" in table
    assert "by name 1, paraphrase by meaning 1, two-hop by name path 1" in table
    assert "with the search by meaning (whole retrieval)" in table


def test_bench_rejects_a_bad_graph_size():
    assert parse_facts("1_000_000") == 1_000_000
    for bad in ("many", "5", str(max_facts() + 1)):
        with pytest.raises(InputError):
            parse_facts(bad)


# ----- synthetic graphs ---------------------------------------------------------------


def test_synthetic_graph_has_the_requested_facts_one_per_relation(graph):
    store, people = graph
    assert people == 100 // FACTS_PER_ENTITY
    assert store.count_facts() == 100
    for i in range(people):
        facts = store.valid_facts_of(person_name(i))
        assert sorted(f.relation for f in facts) == sorted(RELATIONS)
    assert len(set(store.entity_names())) == people


def test_synthetic_graph_with_a_partial_last_person(tmp_path):
    store = GraphStore(open_database(tmp_path / "g.db"))
    assert populate(store.db, 45) == 3
    assert len(store.valid_facts_of(person_name(2))) == 5


def test_synthetic_names_are_distinct_up_to_the_limit():
    people = max_facts() // FACTS_PER_ENTITY
    assert len({person_name(i) for i in range(people)}) == people
    with pytest.raises(ValueError):
        populate(open_database(None), max_facts() + 1)


def test_correction_questions_name_a_person_the_store_finds(graph):
    store, people = graph
    for case in correction_cases(people, 10):
        subject, facts = graph_candidates(store, case.query)
        assert subject == case.subject and len(facts) == FACTS_PER_ENTITY


def test_questions_name_their_relation_and_paraphrases_none(graph, fake_model):
    # The bench times both ways an answer finds its facts: by the relation the question
    # names, and (paraphrased) by meaning.
    store, people = graph
    for case in correction_cases(people, 7):
        found = retrieve(fake_model, store, case.query)
        assert found.chosen_by == "by name" and found.facts[0].relation == case.relation
        paraphrased = retrieve(fake_model, store, case.paraphrase)
        assert paraphrased.subject == case.subject and paraphrased.chosen_by == "by meaning"


def test_questions_naming_no_one_find_the_described_people(graph):
    store, people = graph
    described = describe_people(store, people)
    assert len(described) == min(people, len(DESCRIBED))
    measured = measure_retrieval_with_meaning(store, people, described, lookups=10)
    assert measured.found == 5 and len(measured.named_ms) == len(measured.unnamed_ms) == 5


def test_two_hop_questions_follow_the_vet(graph, fake_model):
    store, people = graph
    [case] = correction_cases(people, 1)
    add_vets(store, [case.subject])
    found = retrieve(fake_model, store, case.two_hop)
    assert [f.object for f in found.path] == [f"Dr. {case.subject}", "Lisbon"]


def test_each_graph_gets_the_same_questions_about_other_people(graph):
    # The bench alternates graphs case by case: the second graph's correction must not
    # be the very one just run on the first (its prompts would still be cached).
    _, people = graph
    first, second = correction_cases(people, 8), correction_cases(people, 8, shift=1)
    for a, b in zip(first, second):
        assert a.subject != b.subject and a.answer == b.answer
        assert a.query.replace(a.subject, "X") == b.query.replace(b.subject, "X")


# ----- scoring: batched versus naive, on the bench's own workload -----------------------


@pytest.mark.real_model
def test_batched_and_naive_scoring_agree_on_a_correction_workload(real_model, graph):
    from tests.models.test_llama_backend import TOLERANCE_NATS

    store, people = graph
    case = correction_cases(people, 1)[0]
    result = run_correction(real_model, store, case.query, case.answer)
    requests = all_requests(
        case.query, case.subject, case.answer, result.proposal.relations, result.proposal.existing
    )
    reasoning = [r for r in requests if r.continuation == f" {case.answer}"]
    assert len(reasoning) == 5 + FACTS_PER_ENTITY + 1  # K new + the subject's 20 + baseline
    real_model.forget_cache()
    batched = real_model.score(requests)
    naive = real_model.score_separately(requests)
    assert [s.n_tokens for s in batched] == [s.n_tokens for s in naive]
    worst = max(abs(a.sum_logprob - b.sum_logprob) for a, b in zip(batched, naive))
    assert worst <= TOLERANCE_NATS


@pytest.mark.real_model
def test_workload_token_counts_leave_out_shared_template_text(real_model, graph):
    store, people = graph
    recorder = RecordingModel(real_model)
    workloads = []
    for case in correction_cases(people, 2):
        recorder.reset()
        run_correction(recorder, store, case.query, case.answer)
        workloads.append(workload_of(recorder, 10, 0))
    first, second = workloads
    everything = sum(len(s) for s in first.sequences)
    unique = unique_tokens(first, second)
    assert 0 < unique < everything  # shared beginnings count once, templates not at all
    # Rows read: each phrasing's retrieval, the one sentence, the model alone and the
    # facts the correction scores: more than one row per phrasing.
    assert output_rows(first) > 5


# ----- query plans: no full scans on the paths that run per question or correction -----


def _statements_of(store: GraphStore, action) -> list[str]:
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        store.db.conn.set_trace_callback(None)
    return [
        s for s in dict.fromkeys(seen) if s.split()[0].upper() in ("SELECT", "UPDATE", "DELETE")
    ]


def _full_scans(store: GraphStore, statements: list[str]) -> list[str]:
    scans = []
    for sql in statements:
        for row in store.db.conn.execute("EXPLAIN QUERY PLAN " + sql):
            if row[3].startswith("SCAN"):
                scans.append(f"{sql} -> {row[3]}")
    return scans


def test_retrieval_correction_undo_and_delete_use_indexes_only(graph):
    store, people = graph
    name = person_name(3)
    query = f"What does {name} eat?"

    def exercise():
        subject, facts = graph_candidates(store, query)
        store.user_world_facts()  # an "I / my" question
        applied = store.apply_correction(
            CorrectionInput(query, "vegetables", subject, "", None, ("my friend",)),
            [AddFact("eats", "vegetables", -1.0, -1.0), RemoveFact(facts[2].id, -2.0, -2.0)],
        )
        store.undo(applied.correction_id)
        again = store.apply_correction(
            CorrectionInput(query, "soup", subject, "", None, ()),
            [AddFact("eats", "soup", -1.0, -1.0)],
        )
        store.delete_facts([f.id for f in again.added])
        store.forget_entity(person_name(4))

    statements = _statements_of(store, exercise)
    assert len(statements) > 10
    assert _full_scans(store, statements) == []


def test_a_question_naming_no_one_reads_by_index_only(graph):
    # The names are read into memory once per version; after that a question that
    # names no one reads the facts of what the user described as theirs, by index.
    store, _ = graph
    store.add_alias(person_name(3), "my climbing gym")
    store.add_alias(person_name(4), "my dog")
    question = "When does my climbing wall open?"  # a thing: by meaning
    assert answer_subject(store, question)[0] == person_name(3)
    statements = _statements_of(store, lambda: answer_subject(store, question))
    assert len(statements) >= 3
    assert _full_scans(store, statements) == []
    pet = "What does my little pup eat?"  # a kind of pet: by the descriptions' keys
    assert answer_subject(store, pet)[0] == person_name(4)
    assert _full_scans(store, _statements_of(store, lambda: answer_subject(store, pet))) == []
