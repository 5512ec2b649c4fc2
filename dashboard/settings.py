"""The global controls, validated: every callback reads its settings through :func:`parse_settings`,
clamped to the privacy floor of the request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analyser.privacy import PRIVACY_MODES

__all__ = ['MAX_LEVEL', 'MAX_MIN_GROUP', 'MAX_PROJECT_LIMIT', 'Settings', 'allowed_privacy', 'most_private', 'parse_settings']


#: Largest values the global controls may take. Each value is a new cached analysis, and
#: beyond these a value changes nothing (levels beyond a roster's depth are its deepest).
MAX_LEVEL = 20


MAX_MIN_GROUP = 100


MAX_PROJECT_LIMIT = 10_000


@dataclass(frozen=True)
class Settings:
    """The global controls, validated: what every page analyses and how it shows people."""

    dataset: str | None = None
    level: int = 1
    privacy: str = "names"
    min_group_size: int = 5
    max_project_size: int | None = None

    def options(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`analyser.store.Store.analysis`."""
        return {"level": self.level, "privacy": self.privacy, "min_group_size": self.min_group_size,
                "max_project_size": self.max_project_size, "seed": 0}  # fmt: skip


def _int(value: object, default: int | None, lowest: int) -> int | None:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
        return default
    return number if number >= lowest else default


def most_private(*modes: str) -> str:
    """The most private of ``modes`` in the order names < pseudonyms < aggregate.

    An unknown mode counts as the most private one: a typo must never open names.

    Examples
    --------
    >>> most_private("names", "pseudonyms"), most_private("aggregate", "names"), most_private("names")
    ('pseudonyms', 'aggregate', 'names')
    >>> most_private("names", "typo")
    'aggregate'
    """
    rank = {mode: i for i, mode in enumerate(PRIVACY_MODES)}
    return PRIVACY_MODES[max(rank.get(m, len(PRIVACY_MODES) - 1) for m in modes)]


def allowed_privacy(floor: str) -> list[str]:
    """The privacy modes at least as private as ``floor``, least private first.

    >>> allowed_privacy("names"), allowed_privacy("pseudonyms")
    (['names', 'pseudonyms', 'aggregate'], ['pseudonyms', 'aggregate'])
    """
    return [m for m in PRIVACY_MODES if most_private(m, floor) == m]


def _request_floor() -> str:
    # dashboard.security imports this module, so its floor is looked up at call time
    from dashboard.security import privacy_floor

    return privacy_floor()


def parse_settings(raw: Mapping[str, Any] | None, floor: str | None = None) -> Settings:
    """Return the settings held in the ``App.SETTINGS`` store, bad values replaced by defaults.

    The privacy mode is raised to ``floor``, by default the floor of the request being
    answered (:func:`dashboard.security.privacy_floor`: the server's ``--privacy-floor``
    raised by the role of the login). Every callback reads its settings here, so a browser
    that sends "names" to a viewer still gets pseudonyms: the page's dropdown is not what
    protects the names.

    Numbers are capped at :data:`MAX_LEVEL`, :data:`MAX_MIN_GROUP` and
    :data:`MAX_PROJECT_LIMIT`: every distinct value becomes a cached analysis, so a client
    must not be able to make unlimited ones.

    Examples
    --------
    >>> parse_settings({"dataset": "d1", "level": "2", "privacy": "x", "max_project_size": ""})
    Settings(dataset='d1', level=2, privacy='names', min_group_size=5, max_project_size=None)
    >>> parse_settings({"level": 1e9, "min_group_size": 10**6, "max_project_size": 10**9})
    Settings(dataset=None, level=20, privacy='names', min_group_size=100, max_project_size=10000)
    >>> parse_settings({"privacy": "names"}, floor="pseudonyms").privacy
    'pseudonyms'
    """
    raw = raw or {}
    privacy = raw.get("privacy")
    dataset = raw.get("dataset")
    max_project = _int(raw.get("max_project_size"), None, 2)
    requested = privacy if privacy in PRIVACY_MODES else "names"
    return Settings(
        dataset=dataset if isinstance(dataset, str) and dataset else None,
        level=min(_int(raw.get("level"), 1, 1) or 1, MAX_LEVEL),
        privacy=most_private(requested, _request_floor() if floor is None else floor),
        min_group_size=min(_int(raw.get("min_group_size"), 5, 1) or 5, MAX_MIN_GROUP),
        max_project_size=None if max_project is None else min(max_project, MAX_PROJECT_LIMIT),
    )
