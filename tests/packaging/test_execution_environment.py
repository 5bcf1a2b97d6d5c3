"""The execution environment definitions: `ansible-builder create` makes a build context from execution-environment.yml
and the collection's built tarball, and ansible-builder's own introspection of the installed collections (what the
image build runs) finds the collection's Python requirements as minimum versions and its system packages.
No image is built here (that needs a container engine and the registries; see README)."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VENV_COLLECTIONS = Path(next(p for p in sys.path if p.endswith("site-packages"))) / "ansible_collections"
EXACT_PIN = re.compile(r"^\s*[A-Za-z0-9_.\[\]-]+\s*===?\s*[^#\s]+")


def requirement_lines(path: Path) -> list[str]:
    return [line.split("#")[0].strip() for line in path.read_text().splitlines() if line.split("#")[0].strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The collection tarball (built as `make build` builds it), placed where execution-environment.yml expects it in
    a copy of the definition, and the build context `ansible-builder create` makes from it."""
    work = tmp_path_factory.mktemp("ee")
    dist = work / "definition" / ".build" / "dist"
    dist.mkdir(parents=True)
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(dist), str(ROOT)], check=True, capture_output=True)
    (tarball,) = dist.glob("hybridcloud-aws-*.tar.gz")
    definition = work / "definition" / "execution-environment.yml"
    definition.write_text((ROOT / "execution-environment.yml").read_text())
    context = work / "context"
    command = [str(BIN / "ansible-builder"), "create", "-f", str(definition), "-c", str(context), "--output-filename", "Containerfile", "-v", "0"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return {"tarball": tarball, "context": context, "work": work}


def test_the_build_context_holds_the_collections_and_the_tarball(built: dict[str, Path]) -> None:
    context = built["context"]
    containerfile = (context / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect.py introspect" in containerfile
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    collections = {entry["name"]: entry for entry in requirements["collections"]}
    local = [name for name, entry in collections.items() if entry.get("type") == "file"]
    assert local == [f"collections/{built['tarball'].name}"], "the EE must install the tarball of galaxy.yml's version"
    assert (context / "_build" / local[0]).read_bytes() == built["tarball"].read_bytes()
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    for dependency, version in galaxy["dependencies"].items():
        assert collections[dependency]["version"] == version, dependency


def test_introspection_finds_minimum_python_requirements_and_the_bindep_packages(built: dict[str, Path]) -> None:
    """ansible-builder's introspection over the installed collections, as the image build runs it."""
    tree = built["work"] / "installed" / "ansible_collections"
    target = tree / "hybridcloud" / "aws"
    target.mkdir(parents=True)
    with tarfile.open(built["tarball"]) as archive:
        archive.extractall(target, filter="data")
    (tree / "community").mkdir()
    (tree / "amazon").symlink_to(VENV_COLLECTIONS / "amazon")
    (tree / "community" / "aws").symlink_to(VENV_COLLECTIONS / "community" / "aws")
    answer = subprocess.run([str(BIN / "ansible-builder"), "introspect", "--sanitize", str(tree.parent)], capture_output=True, text=True, check=True)
    found = yaml.safe_load(answer.stdout)
    ours = [line.split("#")[0].strip() for line in found["python"] if line.endswith("from collection hybridcloud.aws")]
    assert sorted(ours) == ["boto3>=1.35.18", "botocore>=1.35.18"]
    assert [line for line in found["python"] if EXACT_PIN.match(line)] == []
    system = [line.split("#")[0].strip() for line in found["system"] if line.endswith("from collection hybridcloud.aws")]
    assert "graphviz [platform:dpkg platform:rpm]" in system
    assert {"openssh-client [platform:dpkg]", "openssh-clients [platform:rpm]"} <= set(system)


def test_what_ships_has_minimum_versions_and_development_keeps_the_exact_pins() -> None:
    shipped = requirement_lines(ROOT / "requirements.txt")
    assert shipped and [line for line in shipped if EXACT_PIN.match(line) or ">=" not in line] == []
    meta = yaml.safe_load((ROOT / "meta" / "execution-environment.yml").read_text())
    assert meta["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
    lock = {line.split("==")[0].lower(): line for line in requirement_lines(ROOT / "requirements-lock.txt")}
    dev = requirement_lines(ROOT / "requirements-dev.txt")
    assert "-r requirements.txt" in dev
    for line in shipped:
        name = re.split(r"[<>=!~ ]", line)[0].lower()
        pinned = [entry for entry in dev if entry.lower().startswith(name + "==")]
        assert pinned == [lock[name]], f"{name}: requirements-dev.txt must pin the version of requirements-lock.txt"
