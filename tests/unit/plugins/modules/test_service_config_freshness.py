"""service_config_freshness against a real process (its start time read from this machine's /proc) and a fake
systemctl that names it as the unit's main process."""

import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.hybridcloud.aws.plugins.modules import service_config_freshness as module

FAKE_SYSTEMCTL = """#!/bin/sh
echo "MainPID=$(cat {pid_file})"
"""


@pytest.fixture
def service(tmp_path):
    """A running process standing for the unit's main process; tmp_path/pid names it to the fake systemctl."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    (tmp_path / "pid").write_text(str(process.pid))
    systemctl = tmp_path / "systemctl"
    systemctl.write_text(FAKE_SYSTEMCTL.format(pid_file=tmp_path / "pid"))
    systemctl.chmod(0o755)
    yield process
    process.kill()
    process.wait()


def run(tmp_path, capsys, paths, **options):
    def get_bin_path(_module, name, required=False, opt_dirs=None):
        return str(tmp_path / name)

    args = {"name": "amazon-ssm-agent", "paths": [str(path) for path in paths], **options}
    with patch_module_args(args), mock.patch.object(AnsibleModule, "get_bin_path", get_bin_path), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


def test_a_file_changed_after_the_process_started_is_stale(tmp_path, capsys, service):
    config, dropin = tmp_path / "agent.json", tmp_path / "proxy.conf"
    config.write_text("{}")
    dropin.write_text("[Service]\n")
    started = module.process_start(service.pid)
    os.utime(config, (started + 5, started + 5))  # written by a run after the service started, which then stopped
    os.utime(dropin, (started - 60, started - 60))

    result = run(tmp_path, capsys, [config, dropin, tmp_path / "absent.conf"])

    assert result["changed"] is False
    assert result["running"] is True
    assert result["stale"] is True
    assert result["newer_paths"] == [str(config)]
    assert result["started"] == pytest.approx(started)


def test_files_older_than_the_process_or_within_the_tolerance_are_not_stale(tmp_path, capsys, service):
    config = tmp_path / "agent.json"
    config.write_text("{}")
    started = module.process_start(service.pid)
    os.utime(config, (started + 0.5, started + 0.5))

    assert run(tmp_path, capsys, [config])["stale"] is False
    assert run(tmp_path, capsys, [config], tolerance=0.1)["newer_paths"] == [str(config)]


def test_a_service_without_a_main_process_is_not_stale(tmp_path, capsys, service):
    (tmp_path / "pid").write_text("0")
    config = tmp_path / "agent.json"
    config.write_text("{}")

    result = run(tmp_path, capsys, [config])

    assert (result["changed"], result["running"], result["started"], result["stale"], result["newer_paths"]) == (False, False, None, False, [])


def test_the_start_time_of_a_real_process_is_when_it_started():
    before = time.time()
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert before - 1 <= module.process_start(process.pid) <= time.time() + 1
    finally:
        process.kill()
        process.wait()


def test_a_command_name_with_parentheses_and_spaces_does_not_shift_the_fields(tmp_path):
    (tmp_path / "stat").write_text("cpu 1 2 3\nbtime 1000\n")
    (tmp_path / "42").mkdir()
    fields = ["S", "1"] + ["0"] * 17 + ["500"] + ["0"] * 20  # field 22, start time, is the 20th after the name
    (tmp_path / "42" / "stat").write_text("42 (a) b (c) " + " ".join(fields) + "\n")

    assert module.process_start(42, proc=str(tmp_path)) == 1000 + 500 / os.sysconf("SC_CLK_TCK")


def test_a_negative_tolerance_is_refused(tmp_path, capsys, service):
    with patch_module_args({"name": "x", "paths": [], "tolerance": -1}), pytest.raises(SystemExit):
        module.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and "tolerance must not be negative" in result["msg"]
