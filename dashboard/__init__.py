"""The collaboration dashboard: a Plotly Dash app over the analyser library."""

from __future__ import annotations

__all__ = ["create_app", "serve"]


def create_app(*args, **kwargs):
    """See :func:`dashboard.app.create_app` (imported lazily: Dash is only loaded when used)."""
    from dashboard.app import create_app as _create_app

    return _create_app(*args, **kwargs)


def serve(*args, **kwargs):
    """See :func:`dashboard.server.serve`."""
    from dashboard.server import serve as _serve

    return _serve(*args, **kwargs)
