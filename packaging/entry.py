"""The frozen program's entry point: PyInstaller needs a script, the app has a function."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
