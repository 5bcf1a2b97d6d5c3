"""The log of AWS calls the emulator answered: what the lab's tests read to prove a second run changed nothing."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

READ_ONLY_PREFIXES = ("Describe", "Get", "List", "Head", "Search", "Check", "Lookup", "BatchGet")
MAX_ENTRIES = 100_000


def is_mutating(operation: str | None, method: str) -> bool:
    if not operation:
        return method.upper() not in ("GET", "HEAD")
    return not operation.startswith(READ_ONLY_PREFIXES)


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._file_path: str | None = None

    def write_to(self, file_path: str | None) -> None:
        self._file_path = file_path

    def record(self, service: str | None, operation: str | None, status: int, method: str, client: str | None = None) -> dict[str, Any]:
        """client: the caller's address (127.0.0.1 for the controller, a lab host's address for its agents)."""
        entry = {
            "time": time.time(),
            "service": service,
            "operation": operation,
            "status": status,
            "mutating": is_mutating(operation, method),
            "client": client,
        }
        with self._lock:
            self._entries.append(entry)
            del self._entries[:-MAX_ENTRIES]
            if self._file_path:
                with open(self._file_path, "a", encoding="utf-8") as log_file:
                    log_file.write(json.dumps(entry) + "\n")
        return entry

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


REQUEST_LOG = RequestLog()
