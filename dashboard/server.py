"""serve(): run the dashboard on a local address (never in debug mode)."""

from __future__ import annotations

from pathlib import Path

from analyser.store import DEFAULT_DATA_DIR

__all__ = ["serve"]


def serve(data_dir: str | Path = DEFAULT_DATA_DIR, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Start the dashboard on ``http://host:port`` with datasets kept in ``data_dir``.

    Blocks until interrupted. Debug mode stays off: it would expose a code console and
    tracebacks to anyone who can reach the address.
    """
    from dashboard.app import create_app

    app = create_app(data_dir=data_dir)
    print(f"Collaboration analyser: http://{host}:{port}/  (datasets in {Path(data_dir).resolve()}; Ctrl+C stops)")
    app.run(host=host, port=port, debug=False)
