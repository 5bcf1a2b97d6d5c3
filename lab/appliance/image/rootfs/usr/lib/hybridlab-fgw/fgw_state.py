"""The appliance's small persistent state, in files each written by one process only (atomic replace).

regions.json      the regions activation keys were handed out for (written by the activation endpoint)
sync-state.json   export ids per file share and what was written back (written by the sync daemon)
status.json       what the sync daemon last did, served on GET /_lab/status
"""

from __future__ import annotations

import json
import os

from fgw_settings import REGIONS_FILE, STATE_DIR, STATE_FILE, STATUS_FILE


def read_json(path: str, default: dict | list) -> dict | list:
    try:
        with open(path) as handle:
            value = json.load(handle)
    except (OSError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


def write_json(path: str, value: dict | list) -> None:
    os.makedirs(STATE_DIR, mode=0o700, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w") as handle:
        json.dump(value, handle, sort_keys=True)
    os.replace(temporary, path)


def regions() -> list[str]:
    return list(read_json(REGIONS_FILE, []))


def remember_region(region: str) -> None:
    known = regions()
    if region not in known:
        write_json(REGIONS_FILE, [*known, region])


def load_sync_state() -> dict:
    state = read_json(STATE_FILE, {})
    state.setdefault("export_ids", {})
    state.setdefault("uploaded", {})
    return state


def save_sync_state(state: dict) -> None:
    write_json(STATE_FILE, state)


def write_status(status: dict) -> None:
    write_json(STATUS_FILE, status)


def read_status() -> dict:
    return dict(read_json(STATUS_FILE, {}))
