"""ssm_agent_registration against a fake amazon-ssm-agent and fake service managers in tmp_path.

The fakes append their command lines (JSON, one per line) to calls.log; the fake agent writes and removes the
registration file like the real one. get_bin_path is confined to the fakes' directory, so the tests never reach
the machine's own systemctl or agent."""

import json
import os
import stat
import sys
from unittest import mock

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_agent_registration as module

ACTIVATION_ID, OTHER_ACTIVATION_ID = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
CODE = "Secret+ActivationCode/0123456789"

FAKE_AGENT = """#!{python}
import json, os, sys
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps(["amazon-ssm-agent"] + args) + "\\n")
if os.path.exists({fail!r}):
    sys.stderr.write("Registration failed due to invalid activation code " + args[args.index("-code") + 1] + "\\n")
    sys.exit(1)
if args[:2] == ["-register", "-clear"]:
    if os.path.exists({registration!r}):
        os.remove({registration!r})
    sys.exit(0)
options = dict(zip(args[1::2], args[2::2])) if "-y" not in args else dict(zip(args[2::2], args[3::2]))
with open({log!r}) as log:
    count = sum(1 for line in log if '"-code"' in line)
os.makedirs(os.path.dirname({registration!r}), exist_ok=True)
with open({registration!r}, "w") as handle:
    json.dump({{"ManagedInstanceID": "mi-%017x" % count, "Region": options["-region"]}}, handle)
print("Successfully registered the instance with AWS SSM using Managed instance-id: mi-%017x" % count)
"""

FAKE_SERVICE_MANAGER = """#!{python}
import json, sys
with open({log!r}, "a") as log:
    log.write(json.dumps([{name!r}] + sys.argv[1:]) + "\\n")
"""


class Host:
    """A fake machine: bin/ with the fakes, var/lib/amazon/ssm/ for the agent's state, calls.log."""

    def __init__(self, root, capsys, service_managers=("systemctl",)):
        self.bin = root / "bin"
        self.bin.mkdir()
        self.log = root / "calls.log"
        self.fail_flag = root / "agent-fails"
        self.registration = root / "var/lib/amazon/ssm/registration"
        self.marker = self.registration.parent / ".hybridcloud-activation"
        self.agent = self.bin / "amazon-ssm-agent"
        self._capsys = capsys
        values = {"python": sys.executable, "log": str(self.log), "fail": str(self.fail_flag), "registration": str(self.registration)}
        self._install(self.agent, FAKE_AGENT.format(**values))
        for name in service_managers:
            self._install(self.bin / name, FAKE_SERVICE_MANAGER.format(python=sys.executable, log=str(self.log), name=name))

    @staticmethod
    def _install(path, text):
        path.write_text(text)
        path.chmod(0o755)

    def calls(self):
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def register_as(self, instance_id, region, activation_id=None):
        self.registration.parent.mkdir(parents=True, exist_ok=True)
        self.registration.write_text(json.dumps({"ManagedInstanceID": instance_id, "Region": region}))
        if activation_id:
            self.marker.write_text(activation_id + "\n")

    def run(self, args, check_mode=False, diff=False):
        args = dict({"agent_path": str(self.agent), "registration_file": str(self.registration)}, **args)
        args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)

        def get_bin_path(_module, name, required=False, opt_dirs=None):
            candidate = self.bin / name
            return str(candidate) if candidate.exists() else None

        with patch_module_args(args), mock.patch.object(AnsibleModule, "get_bin_path", get_bin_path), pytest.raises(SystemExit):
            module.main()
        output = self._capsys.readouterr().out
        assert CODE not in output
        return json.loads(output)


@pytest.fixture
def host(tmp_path, capsys):
    return Host(tmp_path, capsys)


PRESENT = {"activation_id": ACTIVATION_ID, "activation_code": CODE, "region": "eu-central-1"}


def register_call(activation_id=ACTIVATION_ID, region="eu-central-1"):
    return ["amazon-ssm-agent", "-register", "-y", "-code", CODE, "-id", activation_id, "-region", region]


def test_registers_an_unregistered_machine(host):
    result = host.run(PRESENT, diff=True)
    assert result["changed"] is True
    assert result["registration_reasons"] == ["not registered"]
    assert host.calls() == [["systemctl", "stop", "amazon-ssm-agent"], register_call(), ["systemctl", "start", "amazon-ssm-agent"]]
    registered = json.loads(host.registration.read_text())
    assert registered == {"ManagedInstanceID": result["managed_instance_id"], "Region": "eu-central-1"}
    assert result["managed_instance_id"].startswith("mi-")
    assert result["activation_id"] == ACTIVATION_ID
    assert result["previous_managed_instance_id"] is None
    assert host.marker.read_text().strip() == ACTIVATION_ID
    assert stat.S_IMODE(os.stat(host.marker).st_mode) == 0o600
    assert result["diff"]["before"]["managed_instance_id"] is None
    assert result["diff"]["after"]["managed_instance_id"] == result["managed_instance_id"]


def test_second_run_changes_nothing(host):
    first = host.run(PRESENT)
    calls = host.calls()
    second = host.run(PRESENT)
    assert second["changed"] is False
    assert host.calls() == calls
    assert second["managed_instance_id"] == first["managed_instance_id"]
    assert second["activation_id"] == ACTIVATION_ID


def test_machine_registered_by_another_tool_is_adopted(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1")
    result = host.run(PRESENT)
    assert result["changed"] is False
    assert result["managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"
    assert (result["previous_managed_instance_id"], result["previous_region"]) == (None, None)
    assert result["activation_id"] is None
    assert host.calls() == []


def test_other_region_registers_again_and_returns_the_old_id(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "us-east-1", ACTIVATION_ID)
    result = host.run(PRESENT)
    assert result["changed"] is True
    assert result["registration_reasons"] == ["registered in us-east-1, wanted in eu-central-1"]
    assert result["previous_managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"
    # The old managed instance lives in the old region: that is where it is deregistered.
    assert (result["previous_region"], result["region"]) == ("us-east-1", "eu-central-1")
    assert result["managed_instance_id"] != "mi-0aaaaaaaaaaaaaaaa"
    assert json.loads(host.registration.read_text())["Region"] == "eu-central-1"


def test_another_activation_is_kept_unless_asked(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1", OTHER_ACTIVATION_ID)
    result = host.run(PRESENT)
    assert result["changed"] is False
    assert result["activation_id"] == OTHER_ACTIVATION_ID
    assert host.calls() == []


def test_another_activation_registers_again_when_asked(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1", OTHER_ACTIVATION_ID)
    result = host.run(dict(PRESENT, reregister_on_activation_change=True))
    assert result["registration_reasons"] == [f"registered with activation {OTHER_ACTIVATION_ID}, wanted {ACTIVATION_ID}"]
    assert register_call() in host.calls()
    assert host.marker.read_text().strip() == ACTIVATION_ID


def test_force_registers_again(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1", ACTIVATION_ID)
    result = host.run(dict(PRESENT, force=True))
    assert result["registration_reasons"] == ["force"]
    assert result["previous_managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"
    assert host.calls()[1] == register_call()


def test_check_mode_runs_nothing(host):
    result = host.run(PRESENT, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["managed_instance_id"] is None
    assert result["diff"]["after"] == {"managed_instance_id": None, "region": "eu-central-1", "activation_id": ACTIVATION_ID}
    assert host.calls() == []
    assert not host.registration.exists()
    assert not host.marker.exists()


def test_check_mode_tolerates_an_activation_that_does_not_exist_yet(host):
    result = host.run(dict(PRESENT, activation_id=None, activation_code=None), check_mode=True)
    assert result["changed"] is True
    assert "check mode without activation_id and activation_code" in json.dumps(result["warnings"])
    assert host.calls() == []


def test_failed_registration_is_reported_without_the_code_and_restarts_the_service(host):
    host.fail_flag.touch()
    result = host.run(PRESENT)
    assert result["failed"] is True
    assert "amazon-ssm-agent failed to register (exit code 1)" in result["msg"]
    assert "invalid activation code ********" in result["stderr"]
    assert host.calls()[-1] == ["systemctl", "start", "amazon-ssm-agent"]
    assert not host.marker.exists()


def test_without_manage_service_the_service_is_left_alone(host):
    host.run(dict(PRESENT, manage_service=False))
    assert host.calls() == [register_call()]


def test_service_command_is_used_without_systemd(tmp_path, capsys):
    host = Host(tmp_path, capsys, service_managers=("service",))
    host.run(dict(PRESENT, service_name="ssm-agent"))
    assert host.calls()[0] == ["service", "ssm-agent", "stop"]
    assert host.calls()[-1] == ["service", "ssm-agent", "start"]


def test_absent_clears_the_registration_and_returns_the_old_id(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1", ACTIVATION_ID)
    result = host.run({"state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["previous_managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"
    assert result["managed_instance_id"] is None
    assert host.calls() == [["systemctl", "stop", "amazon-ssm-agent"], ["amazon-ssm-agent", "-register", "-clear"]]
    assert not host.registration.exists()
    assert not host.marker.exists()
    assert result["diff"]["before"]["managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"


def test_absent_when_not_registered_is_a_no_op(host):
    result = host.run({"state": "absent"})
    assert result["changed"] is False
    assert host.calls() == []


def test_check_mode_absent_keeps_the_registration(host):
    host.register_as("mi-0aaaaaaaaaaaaaaaa", "eu-central-1", ACTIVATION_ID)
    result = host.run({"state": "absent"}, check_mode=True)
    assert result["changed"] is True
    assert result["previous_managed_instance_id"] == "mi-0aaaaaaaaaaaaaaaa"
    assert host.registration.exists()
    assert host.calls() == []


def test_missing_agent_is_reported_clearly(host):
    result = host.run(dict(PRESENT, agent_path=str(host.bin / "nowhere")))
    assert result["failed"] is True
    assert "install the SSM agent first or set agent_path" in result["msg"]


def test_unreadable_registration_file_counts_as_unregistered(host):
    host.registration.parent.mkdir(parents=True)
    host.registration.write_text("{not json")
    result = host.run(PRESENT)
    assert result["changed"] is True
    assert "ignoring unreadable registration file" in json.dumps(result["warnings"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"activation_id": ACTIVATION_ID, "region": "eu-central-1"}, "state is present but all of the following are missing: activation_code"),
        (dict(PRESENT, activation_code=""), "state=present needs a value for: activation_code"),
    ],
)
def test_bad_input_fails_before_running_anything(host, args, message):
    result = host.run(args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert host.calls() == []
