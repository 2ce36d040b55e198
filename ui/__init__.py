"""The desktop app (PySide6) and the program's entry point."""
