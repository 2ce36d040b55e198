"""Batched scoring's pure parts: which requests start together, which prefix is
cached (no model)."""


def test_requests_sharing_decoded_tokens_start_together():
    from models.llama_scoring import Prepared, shared_starts

    chunk = [
        Prepared(0, [1, 2, 3, 4], 1),
        Prepared(1, [1, 2, 3, 5, 6], 4),
        Prepared(2, [1, 2, 3, 5, 7], 4),
        Prepared(3, [9, 8, 7], 2),
    ]
    # 0 shares [1, 2, 3] with 1, which shares [1, 2, 3, 5] with 2: one group, lowest start.
    assert shared_starts(chunk, [0, 3, 3, 1]) == [0, 0, 0, 1]
    # Shared tokens all cached by both: nothing to pull down.
    assert shared_starts(chunk[1:], [3, 3, 1]) == [3, 3, 1]


def test_the_cached_prefix_is_the_one_that_saves_most_tokens():
    from models.llama_scoring import Prepared, group_prefixes

    instruction, question = list(range(1, 6)), list(range(10, 30))
    outlier = Prepared(0, instruction + [99, 98, 97, 96, 95, 94], 8)
    candidates = [Prepared(i, instruction + question + [40 + i, 50 + i], 26) for i in range(1, 6)]
    chunk = sorted([outlier, *candidates], key=lambda p: p.tokens)
    prefixes = group_prefixes(chunk)
    # The candidates' instruction + question, not just the instruction all six share.
    assert prefixes[0][0] == instruction + question
    assert [p for p, _ in prefixes[1:]] == [outlier.tokens[:-1]]
