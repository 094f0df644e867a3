"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection, CWE-1236).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets; a client who registers as ``=HYPERLINK(...)`` would
otherwise put a live link or command into the front desk's day sheet. Such text cells get a
leading apostrophe, which spreadsheets show as plain text. Numbers are written as they are.
Every CSV the clinic serves is written through :func:`csv_writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_safe_cell(value: Any) -> Any:
    """``value`` made safe to open in a spreadsheet: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` with every cell passed through :func:`csv_safe_cell`."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable) -> SafeCsvWriter:
    return SafeCsvWriter(stream)
