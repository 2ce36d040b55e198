"""The assistant's core: personal knowledge graph, scoring, Knowledge Graph Tuning, CLI.

This package is plain Python. It never imports Qt, llama_cpp, ``ui`` or ``models``:
a language model reaches it only through :class:`assistant.llm.LanguageModel`.
"""

__version__ = "0.1.0"
