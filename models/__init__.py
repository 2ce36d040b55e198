"""Model management: catalog, downloads, the llama.cpp backend and a deterministic fake."""
