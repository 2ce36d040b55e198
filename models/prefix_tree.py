"""Many token sequences laid out as one prefix tree, to be evaluated in ONE decode.

Scoring a correction asks for ~50 prompts that mostly share their beginnings (the same
instruction, the same question). In the tree every distinct (path, position) is one
node, so a shared beginning is one set of tokens in the batch; each node carries the
ids of all the sequences that pass through it, and llama.cpp's unified KV cache stores
it once for all of them. A sequence may start part-way down (its first tokens already
sit in the KV cache, copied from a cached prefix): nodes above its start are not
decoded for it.

Pure Python (no llama.cpp), so the layout is testable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TreeNode:
    token: int
    pos: int
    seqs: list[int] = field(default_factory=list)  # sequences that decode this node
    output: bool = False  # its logits row is read
    children: dict[int, TreeNode] = field(default_factory=dict)


class PrefixTree:
    """Sequences added with :meth:`add`; :meth:`batch_nodes` gives the decode order."""

    def __init__(self) -> None:
        self._root: dict[int, TreeNode] = {}
        self._created: list[TreeNode] = []  # creation order: every parent before its children

    def add(self, seq: int, tokens: list[int], start: int, first_row: int) -> list[TreeNode]:
        """Add ``tokens`` for sequence ``seq``, decoding positions ``start`` and later.

        Returns the nodes whose logits predict ``tokens[first_row + 1:]`` (one per
        predicted token, in order); ``first_row`` must be at least ``start``.
        """
        if not 0 <= start <= first_row < len(tokens) - 1:
            raise ValueError(
                f"bad rows: start {start}, first row {first_row}, {len(tokens)} tokens"
            )
        level, rows = self._root, []
        for pos, token in enumerate(tokens[:-1]):
            node = level.get(token)
            if node is None:
                node = level[token] = TreeNode(token, pos)
                self._created.append(node)
            if pos >= start:
                node.seqs.append(seq)
            if pos >= first_row:
                node.output = True
                rows.append(node)
            level = node.children
        return rows

    def batch_nodes(self) -> list[TreeNode]:
        """The nodes to decode (those some sequence needs), parents before children."""
        return [node for node in self._created if node.seqs]

    def token_count(self) -> int:
        return sum(1 for node in self._created if node.seqs)


def count_unique_tokens(sequences: list[list[int]]) -> int:
    """How many distinct (prefix path, position) nodes the sequences make together:
    the tokens a model must evaluate at least once to read all of them."""
    root: dict[int, dict] = {}
    count = 0
    for tokens in sequences:
        level = root
        for token in tokens:
            if token not in level:
                level[token] = {}
                count += 1
            level = level[token]
    return count


def count_shared_tokens(sequences: list[list[int]], others: list[list[int]]) -> int:
    """Nodes of ``sequences``' tree that ``others``' tree also has (same path from the
    start): the template text two different inputs have in common."""
    root: dict[int, dict] = {}
    for tokens in others:
        level = root
        for token in tokens:
            level = level.setdefault(token, {})
    seen: dict[int, dict] = {}
    shared = 0
    for tokens in sequences:
        level, mark = root, seen
        for token in tokens:
            if token not in level:
                break
            if token not in mark:
                mark[token] = {}
                shared += 1
            level, mark = level[token], mark[token]
    return shared
