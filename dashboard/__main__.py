"""``python -m dashboard [serve options]``: the same as ``analyser serve`` (login rules included),
started by :mod:`dashboard.cli` and :mod:`dashboard.server` without the analyser's command line."""

from __future__ import annotations

import sys

from dashboard.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
