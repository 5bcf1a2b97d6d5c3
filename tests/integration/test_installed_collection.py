"""The playbooks run from the installed collection, as AWX / Automation Platform runs them: no checkout, no ansible.cfg.

The collection is built into a tarball and installed with `ansible-galaxy collection install --offline` into an
empty collections path (amazon.aws and community.aws come from the pinned `ansible` package, found through
collections_scan_sys_path). Every playbook the collection ships is then syntax-checked by its FQCN
(`ansible-playbook hybridcloud.aws.site --syntax-check`) from an empty directory against a copy of
inventories/production. No AWS call is made, so the emulator is not started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# What a team runs (README, the controller configuration's job templates): each must exist in the tarball.
EXPECTED = {
    "hybridcloud.aws.site",
    "hybridcloud.aws.onprem",
    "hybridcloud.aws.verify",
    "hybridcloud.aws.aws.all",
    *(
        f"hybridcloud.aws.aws.{layer}"
        for layer in ("network", "database", "connectivity", "registry", "cluster", "data", "systems_manager", "services", "backup")
    ),
}


@pytest.fixture(autouse=True)
def reset_emulator() -> None:
    """Overrides the integration suite's emulator reset: nothing here talks to AWS."""


def _environment(home: Path, collections: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    environment.update(
        HOME=str(home),
        PATH=f"{BIN}{os.pathsep}{environment.get('PATH', '')}",
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_LOCAL_TEMP=str(home / "tmp"),
        ANSIBLE_NOCOLOR="1",
    )
    return environment


def _run(command: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False)


def _fqcn(playbooks: Path, path: Path) -> str:
    return "hybridcloud.aws." + ".".join(path.relative_to(playbooks).with_suffix("").parts)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Builds the tarball and installs it into an empty collections path; returns the paths of the run."""
    base = tmp_path_factory.mktemp("installed")
    home, collections, workdir = base / "home", base / "collections", base / "empty"
    for path in (home, collections, workdir):
        path.mkdir()
    environment = _environment(home, collections)
    build = _run([str(BIN / "ansible-galaxy"), "collection", "build", str(ROOT), "--output-path", str(base / "dist")], workdir, environment)
    assert build.returncode == 0, build.stdout + build.stderr
    (tarball,) = (base / "dist").glob("hybridcloud-aws-*.tar.gz")
    install = _run([str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p", str(collections), str(tarball)], workdir, environment)
    assert install.returncode == 0, install.stdout + install.stderr
    inventory = base / "inventory"
    shutil.copytree(ROOT / "inventories" / "production", inventory)
    return {"base": base, "home": home, "collections": collections, "workdir": workdir, "inventory": inventory}


def test_tarball_ships_every_playbook_by_its_fqcn(installed: dict[str, Path]) -> None:
    playbooks = installed["collections"] / "ansible_collections" / "hybridcloud" / "aws" / "playbooks"
    shipped = {_fqcn(playbooks, path) for path in playbooks.rglob("*.yml") if "templates" not in path.parts}
    assert shipped >= EXPECTED, f"missing from the tarball: {sorted(EXPECTED - shipped)}"
    # No checkout link and no ansible.cfg in the directory the playbooks run from.
    assert not any(installed["workdir"].iterdir())


def test_every_shipped_playbook_parses_from_the_installed_collection(installed: dict[str, Path]) -> None:
    playbooks = installed["collections"] / "ansible_collections" / "hybridcloud" / "aws" / "playbooks"
    names = sorted(_fqcn(playbooks, path) for path in playbooks.rglob("*.yml") if "templates" not in path.parts)
    environment = _environment(installed["home"], installed["collections"])
    # One ansible-playbook for all of them (each is loaded and checked in turn; it stops at the first that fails).
    result = _run(
        [str(BIN / "ansible-playbook"), *names, "--syntax-check", "-i", str(installed["inventory"])],
        installed["workdir"],
        environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Each resolved inside the installed collection, not from some checkout.
    resolved = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("playbook: ")]
    assert len(resolved) == len(names), result.stdout
    assert all(path.startswith(str(playbooks)) for path in resolved), resolved
