"""docker_daemon_config: the daemon.json the docker_engine role writes (roles/docker_engine/vars/main.yml)."""

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.docker_daemon_config import FilterModule

docker_daemon_config = FilterModule().filters()["docker_daemon_config"]

# The role's defaults as its vars file hands them over: nothing optional set.
DEFAULTS = {
    "log-driver": "local",
    "live-restore": True,
    "log-opts": {"max-size": "10m", "max-file": "3"},
    "registry-mirrors": [],
    "insecure-registries": [],
    "data-root": "",
    "default-address-pools": [],
}


def test_settings_not_set_leave_their_key_out_in_the_role_s_order():
    config = docker_daemon_config(DEFAULTS, {})
    assert json.dumps(config) == '{"log-driver": "local", "live-restore": true, "log-opts": {"max-size": "10m", "max-file": "3"}}'


def test_false_and_zero_are_settings():
    assert docker_daemon_config({"live-restore": False, "max-concurrent-downloads": 0}) == {"live-restore": False, "max-concurrent-downloads": 0}


def test_every_setting_that_is_set_is_written():
    settings = dict(DEFAULTS, **{"registry-mirrors": ["https://mirror.dc1.example.internal"], "data-root": "/srv/docker"})
    config = docker_daemon_config(settings, {})
    assert config["registry-mirrors"] == ["https://mirror.dc1.example.internal"] and config["data-root"] == "/srv/docker"


def test_options_replace_a_setting_whole_and_add_keys():
    config = docker_daemon_config(DEFAULTS, {"log-opts": {"max-size": "50m"}, "bip": "172.26.0.1/16"})
    assert config["log-opts"] == {"max-size": "50m"} and config["bip"] == "172.26.0.1/16"


def test_mappings_are_required():
    with pytest.raises(AnsibleFilterError, match="must be mappings"):
        docker_daemon_config(["log-driver"], {})
