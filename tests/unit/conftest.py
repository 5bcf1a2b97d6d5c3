"""Runs a module's main() in-process against a botocore Stubber, which validates every request and
response against the real API model, and returns the module's JSON result."""

import json
from unittest import mock

import ansible.module_utils.common.warnings as module_warnings
import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import ansible_internal, patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


@pytest.fixture(autouse=True)
def module_process(monkeypatch):
    """Runs each test as a module process runs: outside the controller, with no warning of an earlier run pending.
    Importing controller code (a callback plugin's test does) sets a process-wide flag that sends module warnings to
    the controller's display instead of the module result."""
    if ansible_internal is not None:
        monkeypatch.setattr(ansible_internal, "is_controller", False)
    monkeypatch.setattr(module_warnings, "_global_warnings", type(module_warnings._global_warnings)())
    monkeypatch.setattr(module_warnings, "_global_deprecations", type(module_warnings._global_deprecations)())


class FakeClock:
    """time.monotonic and time.sleep for module runs: sleeping advances the clock and nothing else does, so the seconds
    a wait reports are the seconds it slept, whatever the load on the machine running the tests."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class ModuleRun:
    def __init__(self, service, capsys, region="us-east-1"):
        self.client = boto3.client(service, region_name=region, aws_access_key_id="unit", aws_secret_access_key="unit")
        self.stubber = Stubber(self.client)
        self._capsys = capsys

    def __call__(self, main, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff, region="us-east-1")
        clock = FakeClock()
        with (
            patch_module_args(args),
            self.stubber,
            mock.patch.object(AnsibleAWSModule, "client", return_value=self.client),
            mock.patch("time.sleep", side_effect=clock.sleep),
            mock.patch("time.monotonic", side_effect=clock.monotonic),
            pytest.raises(SystemExit) as exit_info,
        ):
            main()
        result = json.loads(self._capsys.readouterr().out)
        result["rc"] = exit_info.value.code
        self.stubber.assert_no_pending_responses()
        return result


@pytest.fixture
def module_run(capsys):
    """module_run(service) -> a runner with .stubber to queue expected calls; call it with (main, args)."""
    return lambda service: ModuleRun(service, capsys)
