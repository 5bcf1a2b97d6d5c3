"""Onboarding one on-prem host with --limit (an AWX job template's limit): localhost is not in the limit, so the play
that reads the activation on the controller is skipped, and the on-prem play must read it itself or fail naming the
layer to run.

Runs hybridcloud.aws.onprem with a copy of inventories/production (credentials and endpoint from the environment only,
as an AWX AWS credential injects them) against the emulator. The host's address is a closed local port: everything
up to the ssm_agent role's input checks runs on the controller, and the first contact with the host then fails
(unreachable), which is where this test stops looking. Before the fix the run failed in those checks with
"Set ssm_agent_activation_id and ssm_agent_activation_code".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import parse_json_callback, recorded_calls

ROOT = Path(__file__).resolve().parents[2]
PARAMETER = "/hybridcloud-prod/ssm/activation"  # systems_manager_code_parameter of inventories/production
HOST = "app01.dc1.example.internal"


@pytest.fixture
def onboard(emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]], tmp_path: Path) -> Callable[[], Any]:
    inventory = tmp_path / "production"
    shutil.copytree(ROOT / "inventories" / "production", inventory)
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    hosts["all"]["children"]["onprem"]["children"]["onprem_app"]["hosts"][HOST] = {"ansible_host": "127.0.0.1", "ansible_port": 9}
    (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    variables = {"hybridcloud_mirror_fingerprint": "A" * 40, "ansible_ssh_common_args": "-o ConnectTimeout=3"}
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "ANSIBLE_"))},
        "AWS_ENDPOINT_URL": emulator_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
        "ANSIBLE_NOCOLOR": "1",
    }
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), "hybridcloud.aws.onprem"]
    command += ["--limit", HOST, "--tags", "ssm_agent", "-e", json.dumps(variables)]

    def run() -> Any:
        before = len(recorded_calls(lab_api))
        completed = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=300, check=False)
        result = parse_json_callback(completed.stdout, completed.returncode)
        result.output += completed.stderr
        result.api_calls = recorded_calls(lab_api)[before:]
        return result

    return run


def test_limit_without_localhost_reads_the_activation_itself(onboard: Callable[[], Any], aws: Callable[..., Any]) -> None:
    aws("ssm", region="eu-central-1").put_parameter(Name=PARAMETER, Type="SecureString", Value=json.dumps({"id": "act-0123", "code": "c0de"}))
    result = onboard()
    checked = result.task("hybridcloud.aws.ssm_agent : Check where the activation comes from")
    assert not checked["failed"], checked["result"]
    # Passed because the controller now holds the activation (hostvars['localhost'], where the role looks); no_log
    # hides the values themselves.
    assert not result.task("Hand the activation to the controller's facts")["failed"]
    # The next step is the first contact with the host (closed port): unreachable, as expected here.
    assert "Set ssm_agent_activation_id" not in result.output
    assert {call["operation"] for call in result.api_calls} == {"GetParameter"}
    assert not result.mutating_calls


def test_limit_without_a_stored_activation_fails_naming_the_layer(onboard: Callable[[], Any]) -> None:
    result = onboard()
    assert result.rc != 0
    failed = result.task("hybridcloud.aws.systems_manager : Fail when no activation is stored")
    assert failed["failed"]
    assert "run the systems_manager layer first" in failed["result"]["msg"]
    assert not result.mutating_calls
