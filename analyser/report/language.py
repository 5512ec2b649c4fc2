"""The language a report is written in: English or Swedish, chosen per call.

The HTML and PDF builders are many small functions; rather than handing the wording to
each of them, the entry points (:func:`~analyser.report.render_html`,
:func:`~analyser.report.render_pdf`, ...) set the language for the duration of the call
with :func:`report_language`, and the builders read it with :func:`current_language`. A
context variable keeps concurrent reports (dashboard downloads on several threads) apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["REPORT_LANGUAGES", "check_language", "current_language", "report_language"]

#: Languages a report can be written in (ISO 639-1 codes).
REPORT_LANGUAGES = ("en", "sv")

_LANGUAGE: ContextVar[str] = ContextVar("report_language", default="en")


def check_language(lang: str) -> str:
    """Return ``lang`` if reports can be written in it; else raise ``ValueError``.

    Examples
    --------
    >>> check_language("sv")
    'sv'
    >>> check_language("fi")
    Traceback (most recent call last):
    ...
    ValueError: unknown report language 'fi'; supported: en, sv
    """
    if lang not in REPORT_LANGUAGES:
        msg = f"unknown report language {lang!r}; supported: {', '.join(REPORT_LANGUAGES)}"
        raise ValueError(msg)
    return lang


def current_language() -> str:
    """The language of the report being built (``"en"`` outside :func:`report_language`)."""
    return _LANGUAGE.get()


@contextmanager
def report_language(lang: str) -> Iterator[str]:
    """Write reports in ``lang`` inside the ``with`` block (checked by :func:`check_language`).

    Examples
    --------
    >>> with report_language("sv"):
    ...     current_language()
    'sv'
    >>> current_language()
    'en'
    """
    token = _LANGUAGE.set(check_language(lang))
    try:
        yield lang
    finally:
        _LANGUAGE.reset(token)
