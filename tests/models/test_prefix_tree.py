"""The prefix tree that batches scoring requests sharing their beginnings (no model)."""

import pytest

from models.prefix_tree import PrefixTree, count_shared_tokens, count_unique_tokens


def test_prefix_tree_shares_beginnings_and_marks_rows():
    tree = PrefixTree()
    rows_a = tree.add(5, [1, 2, 3, 4], start=0, first_row=2)
    rows_b = tree.add(6, [1, 2, 9, 8], start=1, first_row=1)
    nodes = tree.batch_nodes()
    assert [(n.token, n.pos, n.seqs) for n in nodes] == [
        (1, 0, [5]),
        (2, 1, [5, 6]),
        (3, 2, [5]),
        (9, 2, [6]),
    ]
    assert [n.token for n in rows_a] == [3]  # predicts token 4
    assert [n.token for n in rows_b] == [2, 9]  # predict 9 and 8
    assert all(n.output for n in rows_a + rows_b)
    with pytest.raises(ValueError):
        tree.add(7, [1, 2], start=1, first_row=1)


def test_unique_and_shared_token_counts():
    a = [[1, 2, 3], [1, 2, 4], [5]]
    assert count_unique_tokens(a) == 5
    assert count_shared_tokens(a, [[1, 2, 7], [5, 6]]) == 3
