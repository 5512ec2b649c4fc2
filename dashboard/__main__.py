"""``python -m dashboard [--data-dir D] [--host H] [--port P]``: start the dashboard."""

from __future__ import annotations

import argparse

from analyser.store import DEFAULT_DATA_DIR
from dashboard.server import serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the dashboard."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Start the collaboration dashboard.")
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="where datasets are kept (default .analyser-data)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    args = parser.parse_args(argv)
    serve(args.data_dir, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
