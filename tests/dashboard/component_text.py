"""Read what a Dash component tree would show, for callback tests without a browser."""

from __future__ import annotations

import json


def texts(component) -> str:
    """Every string inside a Dash component tree, grid rows and map elements included."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(texts(c) for c in component)
    if isinstance(component, dict):
        return " ".join(texts(v) for v in component.values())
    parts = [texts(getattr(component, "children", None))]
    for prop in ("rowData", "elements"):
        value = getattr(component, prop, None)
        if value is not None:
            parts.append(json.dumps(value, default=str))
    return " ".join(parts)
