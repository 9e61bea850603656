#!/usr/bin/env python3
"""Build the site in this folder: seeds/ + site.yaml + templates/ + static/ → dist/.

Same as the `newsarchive` command, with the default folders taken from beside this file.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))  # works before `pip install -e .` too

from newsarchive.cli import run  # noqa: E402

if __name__ == "__main__":
    run(root=Path(__file__).parent)
