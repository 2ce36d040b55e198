"""Model management: catalog, downloads, the llama.cpp backend and a deterministic fake."""

import os

# llama.cpp's CPU threads come from OpenMP, whose threads spin while they wait for work
# by default. On a desktop the model shares its cores with the window, the embedding
# search and other programs, and spinning threads steal those cores from the one that
# has work. Measured on 2 cores with other programs busy (the dev scenarios' memory pass,
# 8 scenarios, three runs each): 18-22 s passive against 17-31 s spinning, so passive
# is steadier and on average faster (docs/PERFORMANCE.md). Set before llama_cpp loads
# its library, which happens only inside this package; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
