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


@pytest.fixture
def primary_database(client) -> dict:
    """A PostgreSQL instance in us-east-1, the primary region of the DR tests (its DescribeDBInstances entry)."""
    return client("rds", "us-east-1").create_db_instance(
        DBInstanceIdentifier="lab-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="lab",
        MasterUserPassword="lab-password-1",
        AllocatedStorage=20,
    )["DBInstance"]
