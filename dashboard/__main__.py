"""``python -m dashboard [serve options]``: the same as ``analyser serve`` (login rules included)."""

from __future__ import annotations

import sys

from analyser.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    """Serve the dashboard with the options of ``analyser serve``; returns the exit code."""
    return cli_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
