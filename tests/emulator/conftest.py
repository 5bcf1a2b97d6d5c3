"""The emulator's own tests: marked `emulator`, each on a freshly reset emulator (fixtures in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.emulator)


@pytest.fixture(autouse=True)
def reset_emulator(fresh_emulator: None) -> None:
    """Every test here starts on an empty emulator."""
