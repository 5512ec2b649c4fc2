"""Upload checks: decode a dropped file, read it as a roster once, keep it for its "Accept" click,
and cap how many are parsed at a time."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analyser.i18n import t
from analyser.ingest import detect_columns, read_headers, read_roster_bytes
from analyser.roster import REQUIRED_COLUMNS, Problem, Roster, RosterError

__all__ = ['forget_checked_uploads', 'CHECKED_KEEP', 'CHECKED_KEEP_SECONDS', 'MAX_CONCURRENT_UPLOADS', 'MAX_UPLOAD_BYTES', 'UploadCheck', 'check_upload', 'decode_upload', 'file_headers', 'megabytes']


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


#: Uploads parsed at the same time (a 50 MB file takes about 1 GB while parsed); one more is
#: asked to try again instead of queueing up memory.
MAX_CONCURRENT_UPLOADS = 2


#: Rosters of checked files kept for their "Accept" click, so a file is parsed once, and how long.
CHECKED_KEEP = 2


CHECKED_KEEP_SECONDS = 600




def decode_upload(contents: str) -> bytes:
    """Return the file bytes of a ``dcc.Upload`` data URL (``data:...;base64,....``).

    Examples
    --------
    >>> decode_upload("data:text/csv;base64,YSxiCg==")
    b'a,b\\n'
    """
    _, _, body = contents.partition(",")
    try:
        return base64.b64decode(body, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"the upload could not be decoded ({exc})") from exc


@dataclass(frozen=True)
class UploadCheck:
    """What the upload page shows about a file before it is accepted."""

    filename: str
    ok: bool
    rows: int = 0
    people: int = 0
    projects: int = 0
    units: int = 0
    rejected: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    headers: tuple[str, ...] = ()
    detected: dict[str, str | None] = field(default_factory=dict)
    needs_mapping: bool = False


def file_headers(data: bytes, filename: str) -> list[str]:
    """The header cells of a roster file as the reader finds them (``[]`` if unreadable)."""
    try:
        return read_headers(data, filename)
    except (RosterError, ValueError):
        return []


def check_upload(
    data: bytes,
    filename: str,
    columns: Mapping[str, str | None] | None = None,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    lang: str = "en",
) -> tuple[UploadCheck, Roster | None]:
    """Validate an uploaded file; return what to show and the roster when it is usable.

    Rejected rows are the ``error`` problems with a line number; ``needs_mapping`` is set
    when a required column is not recognised, so the page offers header dropdowns. A file
    over ``max_bytes`` is refused before parsing, with a message in ``lang``.

    At most :data:`MAX_CONCURRENT_UPLOADS` files are parsed at once; another gets a "try
    again" message. A usable roster is kept (:data:`CHECKED_KEEP` of them, for
    :data:`CHECKED_KEEP_SECONDS`) and handed out once more for the same file and columns,
    so accepting a checked file does not parse it a second time.

    Examples
    --------
    >>> check, roster = check_upload(b"Projekt;Namn;Enhet\\nP1;Anna;HR\\nP1;Bo;\\n", "r.csv")
    >>> check.ok, check.rows, [p.line for p in check.rejected]
    (True, 1, [3])
    >>> check_upload(b"a;b;c\\nP1;Anna;HR\\n", "r.csv")[0].needs_mapping
    True
    """
    if len(data) > max_bytes:
        message = t("upload_too_large", lang, size=megabytes(len(data)), limit=megabytes(max_bytes))
        return UploadCheck(filename, False, errors=(Problem(filename, None, None, message, "error"),)), None
    key = _upload_key(data, filename, columns, max_bytes)
    kept = _checked.take(key)
    if kept is not None:
        return kept
    if not _upload_slots.acquire(blocking=False):
        message = t("upload_busy", lang)
        return UploadCheck(filename, False, errors=(Problem(filename, None, None, message, "error"),)), None
    try:
        check, roster = _parse_upload(data, filename, columns, max_bytes)
    finally:
        _upload_slots.release()
    if roster is not None:
        _checked.keep(key, (check, roster))
    return check, roster


def _upload_key(data: bytes, filename: str, columns: Mapping[str, str | None] | None, max_bytes: int) -> str:
    """What a parsed upload depends on, as one hash (the file's bytes, name, columns and limit)."""
    digest = hashlib.sha256(data)
    chosen = sorted((k, v) for k, v in (columns or {}).items() if v)
    digest.update(json.dumps([filename, chosen, max_bytes]).encode("utf-8"))
    return digest.hexdigest()


class _Kept:
    """A few values kept for a while and handed out once (the rosters of checked uploads).

    Examples
    --------
    >>> kept = _Kept(size=1, seconds=60)
    >>> kept.keep("a", 1); kept.keep("b", 2)
    >>> kept.take("a"), kept.take("b"), kept.take("b")
    (None, 2, None)
    """

    def __init__(self, size: int = CHECKED_KEEP, seconds: float = CHECKED_KEEP_SECONDS):
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def take(self, key: str) -> Any:
        with self._lock:
            # personal data: nothing stays in memory longer than needed
            stale = time.monotonic() - self.seconds
            for old in [k for k, (at, _) in self._items.items() if at < stale]:
                del self._items[old]
            item = self._items.pop(key, None)
        return None if item is None else item[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _parse_upload(
    data: bytes, filename: str, columns: Mapping[str, str | None] | None, max_bytes: int
) -> tuple[UploadCheck, Roster | None]:
    try:
        roster = read_roster_bytes(data, filename, columns=columns or None, max_bytes=max_bytes)
    except RosterError as exc:
        headers = file_headers(data, filename)
        detected = {**detect_columns(headers), **{k: v for k, v in (columns or {}).items() if v}}
        needs = bool(headers) and any(not detected.get(c) for c in REQUIRED_COLUMNS)
        check = UploadCheck(filename, False, errors=tuple(exc.problems), headers=tuple(headers),
                            detected=detected, needs_mapping=needs)  # fmt: skip
        return check, None
    m = roster.memberships
    check = UploadCheck(
        filename,
        True,
        rows=m.height,
        people=m["person"].n_unique(),
        projects=m["project"].n_unique(),
        units=m["unit"].n_unique(),
        rejected=tuple(p for p in roster.problems if p.severity == "error"),
        warnings=tuple(p for p in roster.problems if p.severity != "error"),
    )
    return check, roster


def megabytes(size: int) -> str:
    """A size in bytes as megabytes (2**20 bytes) for messages: one decimal, none when whole
    (two significant digits below 0.1 MB, so a small size never reads as 0).

    >>> megabytes(50 * 2**20), megabytes(77_000_000), megabytes(4096)
    ('50', '73.4', '0.0039')
    """
    mb = size / 2**20
    if 0 < mb < 0.05:
        return f"{mb:.2g}"
    return f"{mb:.1f}".removesuffix(".0")


_upload_slots = threading.BoundedSemaphore(MAX_CONCURRENT_UPLOADS)
_checked = _Kept()


def forget_checked_uploads() -> None:
    """Drop every checked roster kept for its "Accept" click (a store reset, a test)."""
    _checked.clear()
