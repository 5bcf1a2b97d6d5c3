"""hybridcloud.aws.ssm_agent_registration end to end: ssm_activation creates the activation, the module registers the
lab's stand-in amazon-ssm-agent (run from a scratch root on this machine, talking to the emulator) with it, and
ssm_managed_instance_info finds the new managed instance; then the registration is cleared and ssm_managed_instance
deregisters the instance id the module handed back."""

import json
import sys
from pathlib import Path

import pytest

LAB_AGENTS = Path(__file__).resolve().parents[2] / "lab" / "agents"
ROLE = "HybridAgentRole"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

AGENT_WRAPPER = """#!{python}
import os, sys
os.environ["LAB_AGENT_ROOT"] = {root!r}
sys.path[:0] = [{lib!r}, {common!r}]
import ssm_cli
sys.exit(ssm_cli.main(sys.argv[1:]))
"""


@pytest.fixture
def host(tmp_path, emulator_endpoint, aws):
    """A scratch root for the stand-in agent, configured to reach the emulator; returns its paths."""
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    root = tmp_path / "host"
    config = root / "etc/amazon/ssm/amazon-ssm-agent.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"Ssm": {"Endpoint": emulator_endpoint}}))
    agent = tmp_path / "amazon-ssm-agent"
    lib = LAB_AGENTS / "amazon-ssm-agent/usr/lib/amazon-ssm-agent"
    agent.write_text(AGENT_WRAPPER.format(python=sys.executable, root=str(root), lib=str(lib), common=str(LAB_AGENTS / "common")))
    agent.chmod(0o755)
    return {"agent": str(agent), "registration": root / "var/lib/amazon/ssm/registration"}


def registration_task(host, **options):
    args = {"agent_path": host["agent"], "registration_file": str(host["registration"]), "manage_service": False, **options}
    return {"name": "registration", "hybridcloud.aws.ssm_agent_registration": args, "register": "registration"}


def site_play(host):
    """What a site playbook does: the activation (controller), the registration (host), the inventory read."""
    activation = {
        "name": "activation",
        "hybridcloud.aws.ssm_activation": {
            "default_instance_name": "onprem-ecs",
            "iam_role": ROLE,
            "registration_limit": 2,
            "code_parameter": "/hybridcloud/ssm/activations/onprem-ecs",
        },
        "register": "activation",
        "no_log": True,
    }
    registration = registration_task(
        host, activation_id="{{ activation.activation_id }}", activation_code="{{ activation.activation_code }}", region="us-east-1"
    )
    info = {"name": "info", "hybridcloud.aws.ssm_managed_instance_info": {"activation_ids": ["{{ activation.activation_id }}"]}}
    return [activation, registration, info]


def test_check_mode_registers_nothing(host, aws, playbook, mutating_calls):
    activation = aws("ssm").create_activation(IamRole=ROLE, DefaultInstanceName="onprem-ecs")
    calls_before = len(mutating_calls())
    task = registration_task(host, activation_id=activation["ActivationId"], activation_code=activation["ActivationCode"], region="us-east-1")
    result = playbook([task], check=True, diff=True)
    assert result.failed == 0, result.output
    assert result.task("registration")["changed"] is True
    assert not host["registration"].exists()
    assert len(mutating_calls()) == calls_before
    assert activation["ActivationCode"] not in result.output


def test_registers_once_then_clears(host, aws, playbook, mutating_calls):
    first = playbook(site_play(host))
    assert first.failed == 0, first.output
    registered = first.task("registration")["result"]
    instance_id = registered["managed_instance_id"]
    assert json.loads(host["registration"].read_text()) == {"ManagedInstanceID": instance_id, "Region": "us-east-1"}
    assert [item["instance_id"] for item in first.task("info")["result"]["instances"]] == [instance_id]
    [activation] = aws("ssm").describe_activations()["ActivationList"]
    assert activation["RegistrationsCount"] == 1
    assert registered["activation_id"] == activation["ActivationId"]
    assert first.task("activation")["result"].get("censored")

    calls_after_first = len(mutating_calls())
    second = playbook(site_play(host))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert second.task("registration")["result"]["managed_instance_id"] == instance_id
    assert len(mutating_calls()) == calls_after_first

    # Clearing the machine leaves the managed instance in AWS; the play deregisters the id the module returns.
    deregistration = {
        "name": "deregistration",
        "hybridcloud.aws.ssm_managed_instance": {"instance_id": "{{ registration.previous_managed_instance_id }}", "state": "absent"},
    }
    cleared = playbook([registration_task(host, state="absent"), deregistration])
    assert cleared.failed == 0, cleared.output
    assert cleared.task("registration")["result"]["previous_managed_instance_id"] == instance_id
    assert cleared.task("deregistration")["changed"] is True
    assert not host["registration"].exists()
    assert aws("ssm").describe_instance_information()["InstanceInformationList"] == []
