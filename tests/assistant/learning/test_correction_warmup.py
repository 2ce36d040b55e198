"""The thumbs-down warm-up: what it evaluates is what the correction then sends."""

from assistant.facts import AddFact, CorrectionInput
from assistant.language.prompts import reasoning_prompt, relation_prompt, relation_prompt_head
from assistant.learning.correction import run_correction
from assistant.learning.correction_warmup import WARM_UP_FACTS, warm_up_correction, warm_up_prompts
from models.fake import FakeLanguageModel

QUESTION = "What does my dog Bruno eat?"
#: What the user taught about Bruno before: six facts, more than an answer shows.
TAUGHT = [
    ("sleeps on", "the sofa"),
    ("sees", "Dr Lee"),
    ("likes", "the red ball"),
    ("walks in", "Hyde Park"),
    ("is", "a labrador"),
    ("prefers", "the blue basket"),
]


def teach_bruno(model, store):
    edits = [AddFact(relation, obj, -0.5, -1.0) for relation, obj in TAUGHT]
    store.apply_correction(
        CorrectionInput("Tell me about Bruno", "all of it", "Bruno", "nothing"), edits
    )


def test_the_warm_up_evaluates_beginnings_of_the_corrections_own_prompts(store):
    model = FakeLanguageModel()
    teach_bruno(model, store)
    prompts = warm_up_correction(model, store, QUESTION)
    assert model.prefilled == [prompts]
    known = store.valid_facts_of("Bruno")
    model.prompts.clear()
    run_correction(model, store, QUESTION, "vegetables")
    # The relation prompt's head, the model alone's prompt, the candidates' question
    # and subject: each begins a prompt the correction sends, whatever the answer.
    shared, facts = prompts[:3], prompts[3:]
    for prompt in shared:
        assert any(sent.startswith(prompt) for sent in model.prompts), prompt
    # Then one prompt per fact of the subject, in case the tuner scores it.
    assert set(facts) == {reasoning_prompt(QUESTION, [f.triple]) for f in known}


def test_the_subjects_facts_the_tuner_scores_were_all_warmed_up(store):
    model = FakeLanguageModel()
    teach_bruno(model, store)
    facts = store.valid_facts_of("Bruno")
    assert 3 < len(facts) <= WARM_UP_FACTS
    prompts = warm_up_prompts(model, store, QUESTION)
    model.prompts.clear()
    run_correction(model, store, QUESTION, "vegetables")
    fact_prompts = {reasoning_prompt(QUESTION, [f.triple]) for f in facts}
    scored = fact_prompts & set(model.prompts)
    assert scored and scored <= set(prompts)


def test_an_unknown_subject_warms_up_only_what_needs_no_subject(store, fake_model):
    question = "what does the zorblax eat?"  # no name the graph or a capital gives
    prompts = warm_up_prompts(fake_model, store, question)
    assert prompts == [relation_prompt_head(question, None, 5), reasoning_prompt(question, [])]
    assert relation_prompt(question, "grass", "zorblax", 5).startswith(prompts[0])


def test_an_empty_question_warms_up_nothing(store, fake_model):
    assert warm_up_correction(fake_model, store, "   ") == []
    assert fake_model.prefilled == []


def test_a_warmed_up_correction_learns_what_a_cold_one_learns(store, tmp_path):
    from assistant.store.database import open_database
    from assistant.store.graph_store import GraphStore

    results = []
    for warm, graph in ((False, store), (True, GraphStore(open_database(tmp_path / "b.db")))):
        model = FakeLanguageModel()
        teach_bruno(model, graph)
        if warm:
            warm_up_correction(model, graph, QUESTION)
        applied = run_correction(model, graph, QUESTION, "vegetables").applied
        results.append(([f.triple for f in applied.added], [f.triple for f in applied.removed]))
    assert results[0] == results[1] and results[0][0]
