"""Build Dash callback requests (``POST /_dash-update-component``) from the app's callback map."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

Value = Callable[[Any, str], Any]


def find_callback(dependencies: list[dict], output_fragment: str) -> dict:
    """The callback in ``/_dash-dependencies`` whose output mentions ``output_fragment``."""
    found = [d for d in dependencies if output_fragment in d["output"]]
    assert len(found) == 1, f"{len(found)} callbacks write {output_fragment}"
    return found[0]


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _outputs(output: str) -> list[tuple[Any, str]]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [(_parse_id(part.rsplit(".", 1)[0]), part.rsplit(".", 1)[1]) for part in parts]


def _expand(cid: Any, prop: str, wildcards: Mapping[str, list[dict]], value: Value | None) -> Any:
    """One entry of ``outputs``/``inputs``/``state``: a list of concrete ids for an ALL pattern."""
    def entry(concrete: Any) -> dict:
        item: dict[str, Any] = {"id": concrete, "property": prop}
        if value is not None:
            item["value"] = value(concrete, prop)
        return item

    if isinstance(cid, dict):
        return [entry(c) for c in wildcards[cid["type"]]]
    return entry(cid)


def callback_body(
    dependency: dict,
    value: Value,
    *,
    changed: list[str],
    wildcards: Mapping[str, list[dict]] | None = None,
) -> dict:
    """The JSON body the Dash renderer sends for ``dependency``.

    ``value(id, property)`` gives each input and state value; ``wildcards`` maps the
    ``type`` of a pattern-matching (ALL) id to the concrete ids on the page.
    """
    wildcards = wildcards or {}
    outputs = [_expand(i, p, wildcards, None) for i, p in _outputs(dependency["output"])]
    return {
        "output": dependency["output"],
        "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
        "inputs": [_expand(_parse_id(d["id"]), d["property"], wildcards, value) for d in dependency["inputs"]],
        "state": [_expand(_parse_id(d["id"]), d["property"], wildcards, value) for d in dependency["state"]],
        "changedPropIds": changed,
    }
