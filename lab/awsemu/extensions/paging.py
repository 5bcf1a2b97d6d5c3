"""NextToken pagination shared by the extensions: an opaque token that encodes the offset into a stable ordering."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"lab-offset:{offset}".encode()).decode()


def _decode(token: str) -> int | None:
    try:
        prefix, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        return int(offset) if prefix == "lab-offset" and int(offset) >= 0 else None
    except (ValueError, UnicodeDecodeError):
        return None


def page(items: Sequence[Item], max_results: int, next_token: str | None, invalid_token: Callable[[], Exception]) -> tuple[list[Item], str | None]:
    """Return one page of items and the token for the next page (None on the last page)."""
    start = 0
    if next_token:
        decoded = _decode(next_token)
        if decoded is None or decoded > len(items):
            raise invalid_token()
        start = decoded
    end = start + max_results
    return list(items[start:end]), (_encode(end) if end < len(items) else None)
