"""Closeness by meaning: the static embedder, the vectors stored with the graph, and the
search for the entity a phrase means."""
