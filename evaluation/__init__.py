"""CounterFact evaluation of KGT against baselines.

Plain Python on the core's :class:`~assistant.llm.LanguageModel`: the CLI hands it a
loaded model. The protocol is the paper's: cases are learned online, in order, each
once, into one growing store per method; only after N cases is every case scored.
"""
