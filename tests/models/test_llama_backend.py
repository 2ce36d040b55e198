"""The llama.cpp backend on the real embedded model: scoring, generation, limits.

Batched scoring (one prefix tree, one decode, cached prefixes) and one-request-at-a-
time scoring differ only by floating-point summation order: llama.cpp's CPU scores
move with the shape of the decode (how many tokens, how they split into micro-
batches). Measured on a 25-candidate correction: mean 0.11 nats, at most 0.56 nats
per single-token continuation; deterministic for a given call sequence. The tolerance
below is that bound plus margin, per continuation's summed log-probability. That it
is arithmetic and not leakage is tested exactly: a request's score in a batch is
bit-identical whatever the other requests say, as long as the batch's shape is the same.
"""

from __future__ import annotations

import pytest

from assistant.errors import ContextOverflowError
from assistant.language.prompts import reasoning_prompt, retrieval_context
from assistant.llm import Score, ScoreRequest
from benchmarks.floor import floor_context
from models.prefix_tree import count_unique_tokens

pytestmark = pytest.mark.real_model

#: Batched vs one-at-a-time, nats per continuation (see the module docstring).
TOLERANCE_NATS = 0.75

QUERY = "What does my dog Bruno eat?"


def _correction_requests(n_existing: int = 6) -> list[ScoreRequest]:
    relations = ["eats", "diet", "food", "likes to eat", "is fed"]
    triples = [("Bruno", r, "vegetables") for r in relations]
    triples += [("Bruno", f"relation {i}", f"thing {i}") for i in range(n_existing)]
    requests = [ScoreRequest(reasoning_prompt(QUERY, [t]), " vegetables") for t in triples]
    requests.append(ScoreRequest(reasoning_prompt(QUERY, []), " vegetables"))
    context = retrieval_context(QUERY, "Bruno")
    requests += [ScoreRequest(context, f" {t[1]}") for t in triples]
    return requests


def _forget_scores(model) -> None:
    """Drop the backend's remembered scores, keeping its cached prefixes: what a test
    of the prefix cache needs (same requests, decoded again)."""
    model._memo.clear()


def _assert_close(a: list[Score], b: list[Score]) -> None:
    assert [s.n_tokens for s in a] == [s.n_tokens for s in b]
    for x, y in zip(a, b):
        assert abs(x.sum_logprob - y.sum_logprob) <= TOLERANCE_NATS, (x, y)


def test_batched_scores_agree_with_one_at_a_time(real_model):
    requests = _correction_requests()
    real_model.forget_cache()
    batched = real_model.score(requests)
    separately = real_model.score_separately(requests)
    _assert_close(batched, separately)
    # The facts matter: a triple holding the answer beats the empty graph.
    assert batched[0].sum_logprob > batched[len(requests) // 2].sum_logprob - 5


def test_no_leakage_between_sequences_of_one_decode(real_model):
    """Companions of the same shape but other content leave a score bit-identical."""
    scored = ScoreRequest(reasoning_prompt(QUERY, [("Bruno", "eats", "vegetables")]), " vegetables")

    def with_companions(obj: str) -> float:
        companions = [
            ScoreRequest(reasoning_prompt(QUERY, [("Bruno", f"eats{i}", obj)]), f" {obj}")
            for i in range(12)
        ]
        real_model.forget_cache()
        return real_model.score([scored, *companions])[0].sum_logprob

    assert [len(real_model.tokenize(f" {w}")) for w in ("meat", "rice")] == [1, 1]
    assert with_companions("meat") == with_companions("rice")


def test_cached_prefixes_are_reused_and_change_scores_only_within_tolerance(real_model):
    requests = _correction_requests()
    real_model.forget_cache()
    before = real_model.tokens_decoded
    cold = real_model.score(requests)
    cold_tokens = real_model.tokens_decoded - before
    _forget_scores(real_model)
    before = real_model.tokens_decoded
    warm = real_model.score(requests)
    warm_tokens = real_model.tokens_decoded - before
    # The instruction + question and the retrieval template are not decoded again.
    assert cold_tokens - warm_tokens >= 30
    _assert_close(cold, warm)


def test_one_at_a_time_scoring_is_deterministic(real_model):
    requests = _correction_requests(2)[:4]
    assert real_model.score_separately(requests) == real_model.score_separately(requests)


def test_a_batch_too_big_for_one_decode_is_split_and_still_agrees(real_model):
    requests = _correction_requests(40)  # 91 requests: more sequences than one decode holds
    batched = real_model.score(requests)
    assert len(batched) == len(requests)
    _assert_close(
        batched[:3] + batched[-3:], real_model.score_separately(requests[:3] + requests[-3:])
    )


def test_is_greedy_matches_the_generated_text(real_model):
    prompt = "The capital of France is"
    text = "".join(real_model.complete(prompt, max_tokens=3))
    assert text.strip()
    generated = real_model.score([ScoreRequest(prompt, text)])[0]
    assert generated.is_greedy and generated.n_tokens >= 1
    other = real_model.score([ScoreRequest(prompt, " a banana")])[0]
    assert not other.is_greedy
    assert other.mean_logprob < generated.mean_logprob


def test_greedy_completion_matches_llama_cpp_own_greedy_decoding(real_model):
    prompt = "Name three colours: red,"
    ours = "".join(real_model.complete(prompt, max_tokens=8))
    theirs = real_model._llm.create_completion(prompt, max_tokens=8, temperature=0.0)
    assert ours == theirs["choices"][0]["text"]


def test_a_continuation_whose_first_token_merges_with_the_context_end_is_sliced(real_model):
    context, continuation = "The capital of Fr", "ance is Paris"
    whole = real_model.tokenize(context + continuation)
    context_tokens = real_model.tokenize(context)
    assert whole[: len(context_tokens)] != context_tokens  # the split really merges
    merged = real_model.score_separately([ScoreRequest(context, continuation)])[0]
    shared = 0
    while whole[shared] == context_tokens[shared]:
        shared += 1
    assert merged.n_tokens == len(whole) - shared
    # The same tokens with the boundary at a token edge score the same.
    edge = real_model._llm.detokenize(whole[:shared]).decode()
    plain = real_model.score_separately([ScoreRequest(edge, (context + continuation)[len(edge) :])])
    assert plain[0] == merged


def test_an_empty_continuation_scores_zero_tokens(real_model):
    scores = real_model.score([ScoreRequest("Hello there", ""), ScoreRequest("Hello", " there")])
    assert scores[0] == Score(0.0, 0, True)
    assert scores[1].n_tokens == 1


def test_too_long_prompts_raise_context_overflow(real_model):
    long_text = "word " * 5000
    with pytest.raises(ContextOverflowError):
        real_model.score([ScoreRequest(long_text, " end")])
    with pytest.raises(ContextOverflowError):
        real_model.complete(long_text, max_tokens=4)


def test_closing_the_stream_stops_generation(real_model):
    before = real_model.tokens_generated
    pieces = real_model.complete("Count: one, two, three,", max_tokens=50)
    next(pieces)
    pieces.close()
    assert real_model.tokens_generated - before <= 2
    # The context is still usable afterwards.
    assert "".join(real_model.complete("The capital of France is", max_tokens=2))


def test_close_frees_the_model_and_can_be_called_twice(embedded_model_path):
    from models.llama_backend import LlamaLanguageModel

    model = LlamaLanguageModel(embedded_model_path, context_length=256, score_context_tokens=512)
    assert model.score([ScoreRequest("Hello", " world")])[0].n_tokens == 1
    model.close()
    model.close()
    assert model._llm is None and model._cache is None


def test_drafting_gives_the_greedy_text_in_fewer_decode_steps(real_model):
    from assistant.language.prompts import relation_prompt
    from models import llama_generation

    prompt = relation_prompt("What does my dog Bruno eat?", "vegetables", "Bruno", 5)
    runs = {}
    for draft in (0, llama_generation.DRAFT_TOKENS):
        real_model.forget_cache()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(llama_generation, "DRAFT_TOKENS", draft)
            steps = real_model._cache.decode_calls
            text = "".join(real_model.complete(prompt, max_tokens=30, stop=["\n"]))
            runs[draft] = (text, real_model._cache.decode_calls - steps)
    plain, drafted = runs[0], runs[llama_generation.DRAFT_TOKENS]
    assert drafted[0] == plain[0] and "<sep>" in plain[0]
    assert drafted[1] < plain[1]


def test_measuring_a_floor_leaves_the_scoring_caches_alone(real_model):
    requests = _correction_requests()
    real_model.forget_cache()
    before = real_model.tokens_decoded
    real_model.score(requests)
    cold = real_model.tokens_decoded - before
    _forget_scores(real_model)
    before = real_model.tokens_decoded
    real_model.score(requests)
    warm = real_model.tokens_decoded - before
    tokens = real_model.tokenize_scored(requests[0].context + requests[0].continuation)
    floor = floor_context(real_model)  # the benchmark's floor, between two calls
    floor.evaluate_once(tokens, n_outputs=4)
    floor.evaluate_next(tokens[0], len(tokens))
    _forget_scores(real_model)
    before = real_model.tokens_decoded
    real_model.score(requests)
    assert real_model.tokens_decoded - before == warm < cold  # still as warm as before


def test_a_request_reusing_less_of_the_cache_than_its_neighbour_still_scores(real_model):
    # A relation scored right after the subject shares its tokens with a fact's longer
    # sentence, but may reuse fewer cached cells (its continuation starts earlier).
    # llama.cpp refuses a batch whose sequences share a token with different cells
    # before it ("coupled ... diverged"), so both must start decoding at one position.
    context = reasoning_prompt(QUERY, []) + " Bruno"
    sentence = context + " eats vegetables every day"
    real_model.forget_cache()
    real_model.score([ScoreRequest(sentence, " and"), ScoreRequest(sentence, " or")])
    requests = [
        ScoreRequest(context, " eats vegetables every day and"),
        ScoreRequest(sentence, " but"),
    ]
    _assert_close(real_model.score(requests), real_model.score_separately(requests))


def test_retrieval_and_reasoning_prompts_share_their_tokens(real_model):
    context = real_model.tokenize_scored(retrieval_context(QUERY, "Bruno") + " eats")
    reasoning = real_model.tokenize_scored(reasoning_prompt(QUERY, [("Bruno", "eats", "meat")]))
    assert reasoning[: len(context)] == context


def test_a_calls_smaller_cached_prefix_does_not_push_out_its_biggest(real_model):
    # A correction's first call scores the candidates (sharing instruction, question
    # and subject) and the model alone (sharing only the instruction with them); its
    # second call scores more facts after the same question. The question must still
    # be cached then: the model alone's prefix once replaced it (~22 tokens decoded again).
    real_model.forget_cache()
    real_model.score(_correction_requests())
    second = [
        ScoreRequest(reasoning_prompt(QUERY, [("Bruno", f"hobby {i}", f"game {i}")]), " vegetables")
        for i in range(3)
    ]
    question = real_model.tokenize_scored(retrieval_context(QUERY, "Bruno"))
    tokens = [real_model.tokenize_scored(r.context + r.continuation)[:-1] for r in second]
    before = real_model.tokens_decoded
    real_model.score(second)
    # Only what follows the question and subject is decoded (and the subject's last
    # token again, whose row the first new token needs).
    assert real_model.tokens_decoded - before <= count_unique_tokens(tokens) - len(question) + 1


def test_a_scored_request_is_remembered_until_the_cache_is_forgotten(real_model):
    requests = _correction_requests(2)
    real_model.forget_cache()
    first = real_model.score(requests)
    before = real_model.tokens_decoded
    assert real_model.score(list(reversed(requests))) == list(reversed(first))
    assert real_model.tokens_decoded == before  # nothing decoded again
    real_model.forget_cache()  # after a delete: no score quoting a fact survives
    real_model.score(requests)
    assert real_model.tokens_decoded > before


def test_prefilled_prompts_leave_only_their_continuations_to_decode(real_model):
    facts = [("Bruno", f"relation {i}", f"thing {i}") for i in range(8)]
    prompts = [reasoning_prompt(QUERY, []), *(reasoning_prompt(QUERY, [t]) for t in facts)]
    requests = [ScoreRequest(p, " vegetables") for p in prompts]
    real_model.forget_cache()
    cold = real_model.score_separately(requests)
    real_model.forget_cache()
    real_model.prefill(prompts)
    before = real_model.tokens_decoded
    warm = real_model.score(requests)
    answer = len(real_model.tokenize(" vegetables"))
    # Each request decodes its prompt's last token (whose row predicts the answer)
    # and the answer's tokens but the last: every prompt stayed cached, 9 of them.
    assert real_model.tokens_decoded - before <= len(prompts) * answer
    _assert_close(cold, warm)


def test_a_prefix_sharing_only_a_beginning_does_not_replace_a_cached_one(real_model):
    # The answer's question and subject stay cached while other prompts that share
    # only the instruction with them come and go: a correction starts with them.
    real_model.forget_cache()
    question = retrieval_context(QUERY, "Bruno")
    real_model.prefill([question])
    for i in range(6):  # fewer than the free slots: nothing needs evicting
        real_model.prefill([reasoning_prompt(f"Where is thing {i}?", [])])
    before = real_model.tokens_decoded
    real_model.score([ScoreRequest(question, " eats")])
    assert real_model.tokens_decoded - before == 1 + len(real_model.tokenize(" eats")) - 1
