"""Answering from the graph: retrieval of the question's facts, chains of two facts, and
the reply that states the chosen fact."""
