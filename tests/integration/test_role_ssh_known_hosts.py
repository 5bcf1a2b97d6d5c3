"""Role ssh_known_hosts: the known host keys a team or an AWX credential supplies, written on the controller before
the first SSH contact, validated first. Localhost only: no AWS call, so the emulator is not started."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def reset_emulator() -> None:
    """Overrides the integration suite's emulator reset: nothing here talks to AWS."""


@pytest.fixture(scope="module")
def host_keys(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Two real host keys in known_hosts format, as ssh-keyscan prints them."""
    base = tmp_path_factory.mktemp("keys")
    lines = []
    for name, key_type in (("app01.dc1.example.internal,192.168.20.11", "ed25519"), ("app02.dc1.example.internal", "ecdsa")):
        path = base / key_type
        subprocess.run(["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", "", "-f", str(path)], check=True)
        lines.append(f"{name} {path.with_suffix('.pub').read_text().strip()}")
    return lines


def run_role(tmp_path: Path, entries: object, *args: str) -> subprocess.CompletedProcess[str]:
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        "- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: hybridcloud.aws.ssh_known_hosts\n",
    )
    # As the shipped inventories name the controller.
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(f"all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      ansible_python_interpreter: {sys.executable}\n")
    variables = tmp_path / "vars.json"
    variables.write_text(json.dumps({"ssh_known_hosts_entries": entries, "ssh_known_hosts_file": str(tmp_path / "ssh" / "known_hosts")}))
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}
    return subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", str(inventory), "-e", f"@{variables}", str(playbook), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_text_from_a_credential_is_written_whole_in_check_mode_too(tmp_path: Path, host_keys: list[str]) -> None:
    text = "# checked against the console fingerprints\n" + "\n\n".join(host_keys) + "\n"
    result = run_role(tmp_path, text, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    written = tmp_path / "ssh" / "known_hosts"
    assert written.read_text() == "\n".join(host_keys) + "\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    # The file is the run's connection setting: no change reported; ssh-keygen finds each host in it.
    assert "changed=0" in result.stdout
    found = subprocess.run(["ssh-keygen", "-F", "app02.dc1.example.internal", "-f", str(written)], capture_output=True, text=True, check=False)
    assert found.returncode == 0 and host_keys[1].split()[2] in found.stdout


def test_a_bad_line_fails_naming_the_variable_and_writes_nothing(tmp_path: Path, host_keys: list[str]) -> None:
    truncated = host_keys[0][:-10]
    result = run_role(tmp_path, [host_keys[1], truncated])
    assert result.returncode != 0
    assert "ssh_known_hosts_entries, line 2 is not a known_hosts entry: the key is" in result.stdout
    assert not (tmp_path / "ssh").exists()


def test_no_entries_write_nothing(tmp_path: Path) -> None:
    result = run_role(tmp_path, [])
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "ssh").exists()
