"""The agent's file vault: /var/lib/amazon/ssm/Vault/Store/<key>, readable by root only (0700 dirs, 0600 files)."""

from __future__ import annotations

import json
import os

from ssm_config import VAULT_DIR

STORE_DIR = os.path.join(VAULT_DIR, "Store")
MANIFEST_FILE = os.path.join(VAULT_DIR, "Manifest")


def _ensure_dirs() -> None:
    for directory in (VAULT_DIR, STORE_DIR):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)


def _write_private(path: str, data: bytes) -> None:
    temporary = path + ".tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _manifest() -> dict:
    try:
        with open(MANIFEST_FILE) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def store(key: str, value: dict) -> None:
    _ensure_dirs()
    path = os.path.join(STORE_DIR, key)
    _write_private(path, json.dumps(value).encode())
    manifest = _manifest()
    manifest[key] = path
    _write_private(MANIFEST_FILE, json.dumps(manifest).encode())


def retrieve(key: str) -> dict:
    try:
        with open(os.path.join(STORE_DIR, key)) as handle:
            value = json.load(handle)
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
