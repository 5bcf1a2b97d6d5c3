"""What the published tarball holds: it is built once per session with `ansible-galaxy collection build` (~2 s) from
this checkout, exactly as `make build` builds it, and read back as a user installing it would see it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# Lab, developer tooling and tests that need the lab never ship (galaxy.yml build_ignore).
NOT_SHIPPED = (
    "lab/",
    "molecule/",
    "scripts/",
    "inventories/lab/",
    "tests/integration/",
    "tests/lab/",
    "tests/emulator/",
    "tests/packaging/",
    ".ci/",
    ".cache/",
)
# Files whose name says "vault" but hold no variables: task files of the backup role manage AWS Backup vaults.
NOT_VARIABLE_FILES = re.compile(r"^roles/[^/]+/(tasks|handlers|templates|meta)/")
PLAINTEXT_VAULT_VARIABLE = re.compile(r"^vault_\w+\s*:", re.MULTILINE)


@pytest.fixture(scope="session")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("dist")
    galaxy = Path(sys.executable).with_name("ansible-galaxy")
    subprocess.run([str(galaxy), "collection", "build", "--force", "--output-path", str(out), str(ROOT)], check=True, capture_output=True, cwd=out)
    (path,) = out.glob("hybridcloud-aws-*.tar.gz")
    with tarfile.open(path) as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers() if member.isfile()}


def test_no_lab_tooling_or_lab_tests_ship(tarball: dict[str, bytes]) -> None:
    assert [name for name in tarball if name.startswith(NOT_SHIPPED)] == []


def test_no_ansible_cfg_ships(tarball: dict[str, bytes]) -> None:
    """The checkout's ansible.cfg points collections_path at the checkout itself; installed, it would mislead."""
    assert [name for name in tarball if Path(name).name == "ansible.cfg"] == []


def test_every_vault_file_that_ships_is_encrypted(tarball: dict[str, bytes]) -> None:
    # Variable files only (YAML, JSON or no suffix): a module or a test about Backup vaults is code, not a vault.
    variable_file = [name for name in tarball if Path(name).suffix in ("", ".yml", ".yaml", ".json") and not NOT_VARIABLE_FILES.match(name)]
    named_vault = [name for name in variable_file if "vault" in Path(name).name.lower()]
    assert [name for name in named_vault if not tarball[name].startswith(b"$ANSIBLE_VAULT;")] == []


def test_no_plaintext_vault_variable_ships(tarball: dict[str, bytes]) -> None:
    """Inventories read secrets through vault_* names; a file assigning one in clear text must not ship."""
    plain = [
        name
        for name, data in tarball.items()
        if name.endswith((".yml", ".yaml")) and not data.startswith(b"$ANSIBLE_VAULT;") and PLAINTEXT_VAULT_VARIABLE.search(data.decode())
    ]
    assert plain == []


def test_example_inventories_ship_without_their_vault_file(tarball: dict[str, bytes]) -> None:
    for inventory in ("production", "staging"):
        assert f"inventories/{inventory}/hosts.yml" in tarball
        assert f"inventories/{inventory}/group_vars/all/network.yml" in tarball
        assert f"inventories/{inventory}/group_vars/all/vault.yml" not in tarball


def test_license_ships_and_matches_the_metadata(tarball: dict[str, bytes]) -> None:
    assert tarball["LICENSE"].lstrip().startswith(b"GNU GENERAL PUBLIC LICENSE\n                       Version 3")
    info = json.loads(tarball["MANIFEST.json"])["collection_info"]
    assert info["license"] == ["GPL-3.0-or-later"]
    assert info["license_file"] is None
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    assert not ("license" in galaxy and "license_file" in galaxy)


def test_license_headers_point_to_the_shipped_file(tarball: dict[str, bytes]) -> None:
    """The GPL headers say "see LICENSE"; the collection ships no COPYING file."""
    assert "COPYING" not in tarball
    assert [name for name, data in tarball.items() if name.endswith(".py") and b"see COPYING" in data] == []


def test_manifest_lists_every_module_and_runtime_metadata(tarball: dict[str, bytes]) -> None:
    listed = {entry["name"] for entry in json.loads(tarball["FILES.json"])["files"] if entry["ftype"] == "file"}
    modules = {f"plugins/modules/{path.name}" for path in (ROOT / "plugins/modules").glob("*.py")}
    assert len(modules) > 20
    assert modules <= listed
    assert modules <= set(tarball)
    assert "meta/runtime.yml" in listed
    assert {name for name in listed if name.startswith("plugins/doc_fragments/")} == {
        f"plugins/doc_fragments/{path.name}" for path in (ROOT / "plugins/doc_fragments").glob("*.py")
    }


def test_role_platforms_claim_only_what_the_lab_tests() -> None:
    """The lab's hosts are Debian 12 (bookworm); the AWS roles run API modules on localhost only (GenericLinux)."""
    tested = {("Debian", "bookworm"), ("GenericLinux", "all")}
    claims = {}
    for meta in sorted(ROOT.glob("roles/*/meta/main.yml")):
        platforms = yaml.safe_load(meta.read_text())["galaxy_info"]["platforms"]
        claims[meta.parts[-3]] = {(platform["name"], str(version)) for platform in platforms for version in platform["versions"]}
    assert {role: claim - tested for role, claim in claims.items() if claim - tested} == {}
