"""What is kept on disk: the SQLite database and its migrations, the graph store, the
conversations, export and import, and forgetting for good."""
