"""hybridcloud.aws.ssm_managed_instances with botocore's Stubber (requests and answers checked against the SSM API
model): paging, tags, host names, keyed and composed groups, compose, server-side filters, include/exclude filters,
permissions and the cache."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import boto3
import pytest
from ansible.vars.reserved import is_reserved_name
import yaml
from botocore.stub import Stubber

from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible import constants as C
from ansible.errors import AnsibleError

from ansible_collections.hybridcloud.aws.plugins.inventory import ssm_managed_instances as plugin_module

NAME = "hybridcloud.aws.ssm_managed_instances"
ROOT = Path(__file__).resolve().parents[4]
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone.utc)
MANAGED_ONLY = {"Key": "ResourceType", "Values": ["ManagedInstance"]}


def instance(instance_id, computer_name, **changes):
    info = {
        "InstanceId": instance_id,
        "PingStatus": "Online",
        "LastPingDateTime": NOW,
        "AgentVersion": "3.3.0.0",
        "PlatformType": "Linux",
        "PlatformName": "Debian GNU/Linux",
        "PlatformVersion": "12",
        "ActivationId": "11111111-1111-4111-8111-111111111111",
        "IamRole": "hybridcloud-onprem-ssm",
        "RegistrationDate": NOW - datetime.timedelta(days=30),
        "ResourceType": "ManagedInstance",
        "IPAddress": "10.0.0." + instance_id[-1],
        "ComputerName": computer_name,
        "Name": "hybridcloud-onprem",  # the activation's default instance name
    }
    info.update(changes)
    return info


class Loader:
    """Makes plugin objects as Ansible's plugin loader does: the options come from the plugin's DOCUMENTATION with its
    doc fragments, as ansible-doc resolves them (the plugin loader cannot load the plugin in this process: pytest has
    imported ansible_collections as a plain package, so amazon.aws's doc fragments cannot be found)."""

    def __init__(self):
        command = [str(Path(sys.executable).with_name("ansible-doc")), "-t", "inventory", "--json", NAME]
        env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
        answer = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        options = json.loads(answer.stdout)[NAME]["doc"]["options"]
        C.config.initialize_plugin_configuration_definitions("inventory", NAME, options)

    def get(self, name):
        assert name == NAME
        plugin = plugin_module.InventoryModule()
        plugin._load_name = NAME
        plugin.ansible_name = NAME
        plugin._redirected_names = []  # set by the plugin loader before ansible-core 2.19 (.venv-core217)
        return plugin


@pytest.fixture(scope="module")
def loader():
    return Loader()


class Run:
    def __init__(self, loader, tmp_path):
        self._loader = loader
        self._tmp_path = tmp_path
        self.clients = {}
        self.warnings = []

    def ssm(self, region="us-east-1"):
        if region not in self.clients:
            client = boto3.client("ssm", region_name=region, aws_access_key_id="unit", aws_secret_access_key="unit")
            self.clients[region] = (client, Stubber(client))
        return self.clients[region][1]

    def describe(self, filters, instances, region="us-east-1", token=None, next_token=None):
        params = {"Filters": filters, "MaxResults": 50, **({"NextToken": token} if token else {})}
        answer = {"InstanceInformationList": instances, **({"NextToken": next_token} if next_token else {})}
        self.ssm(region).add_response("describe_instance_information", answer, params)

    def tags(self, instance_id, tags, region="us-east-1"):
        tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
        self.ssm(region).add_response("list_tags_for_resource", {"TagList": tag_list}, {"ResourceType": "ManagedInstance", "ResourceId": instance_id})

    def __call__(self, config, cache=True, name="test.ssm_managed_instances.yml"):
        path = self._tmp_path / name
        path.write_text(yaml.safe_dump({"plugin": "hybridcloud.aws.ssm_managed_instances", "regions": ["us-east-1"], **config}))
        plugin = self._loader.get("hybridcloud.aws.ssm_managed_instances")
        inventory = InventoryData()
        stubbers = [pair[1] for pair in self.clients.values()]
        for stubber in stubbers:
            stubber.activate()
        try:
            with (
                mock.patch.object(type(plugin), "client", lambda _self, service, region=None, **kw: self.clients[region][0]),
                mock.patch.object(type(plugin), "warn", lambda _self, message: self.warnings.append(message)),
                mock.patch("time.sleep"),
            ):
                plugin.parse(inventory, DataLoader(), str(path), cache=cache)
                if getattr(plugin, "_cache", None):
                    plugin.update_cache_if_changed()  # as Ansible's InventoryManager does after parse()
            for stubber in stubbers:
                stubber.assert_no_pending_responses()
        finally:
            for stubber in stubbers:
                stubber.deactivate()
        return inventory


def hosts(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts())


def hostvars(inventory, name):
    return inventory.get_host(name).get_vars()


@pytest.fixture
def run(loader, tmp_path):
    return Run(loader, tmp_path)


def test_pages_are_followed_and_every_host_gets_its_tags(run):
    run.describe([MANAGED_ONLY], [instance("mi-0a", "onprem-app-1")], next_token="page2")
    run.describe([MANAGED_ONLY], [instance("mi-0b", "onprem-app-2")], token="page2")
    run.tags("mi-0a", {"Name": "web-1", "Project": "hybridcloud"})
    run.tags("mi-0b", {"Project": "hybridcloud"})
    inventory = run({})
    assert hosts(inventory, "ssm_managed_instances") == ["onprem-app-2", "web-1"]
    web = hostvars(inventory, "web-1")
    assert web["instance_id"] == "mi-0a"
    assert web["ssm_tags"] == {"Name": "web-1", "Project": "hybridcloud"}
    assert web["ssm_region"] == "us-east-1"
    assert web["ping_status"] == "Online"
    assert web["computer_name"] == "onprem-app-1"
    assert web["ip_address"] == "10.0.0.a"
    assert web["last_ping_date_time"] == "2026-11-24T10:00:00Z"
    # Name is a play keyword: the field comes as ssm_name, and no host variable has a name Ansible reserves.
    assert web["ssm_name"] == "hybridcloud-onprem"
    assert [name for name in web if is_reserved_name(name)] == []


def test_keyed_groups_groups_and_compose(run):
    run.describe(
        [MANAGED_ONLY],
        [instance("mi-0a", "onprem-app-1"), instance("mi-0b", "onprem-app-2", PingStatus="ConnectionLost", PlatformType="Windows")],
    )
    run.tags("mi-0a", {"site": "munich"})
    run.tags("mi-0b", {"site": "berlin"})
    config = {
        "keyed_groups": [
            {"key": "ssm_tags", "prefix": "tag"},
            {"key": "ping_status | lower", "prefix": "ping"},
            {"key": "platform_type | lower", "prefix": "platform"},
        ],
        "groups": {"reachable": "ping_status == 'Online'"},
        "compose": {"ansible_host": "ip_address", "ansible_aws_ssm_instance_id": "instance_id"},
    }
    inventory = run(config)
    assert hosts(inventory, "tag_site_munich") == ["onprem-app-1"]
    assert hosts(inventory, "tag_site_berlin") == ["onprem-app-2"]
    assert hosts(inventory, "ping_online") == ["onprem-app-1"]
    assert hosts(inventory, "ping_connectionlost") == ["onprem-app-2"]
    assert hosts(inventory, "platform_linux") == ["onprem-app-1"]
    assert hosts(inventory, "platform_windows") == ["onprem-app-2"]
    assert hosts(inventory, "reachable") == ["onprem-app-1"]
    assert hostvars(inventory, "onprem-app-2")["ansible_host"] == "10.0.0.b"
    assert hostvars(inventory, "onprem-app-2")["ansible_aws_ssm_instance_id"] == "mi-0b"


def test_filters_go_to_the_api_and_exclude_filters_win(run):
    # exclude first, then one query per include entry (filters first); ResourceType added to each unless given
    run.describe([{"Key": "PingStatus", "Values": ["Inactive"]}, MANAGED_ONLY], [instance("mi-0c", "old")])
    run.describe([{"Key": "PingStatus", "Values": ["Online"]}, {"Key": "tag:Project", "Values": ["hybridcloud"]}, MANAGED_ONLY], [instance("mi-0a", "a")])
    run.describe([{"Key": "ResourceType", "Values": ["EC2Instance"]}], [instance("mi-0c", "old"), instance("i-0d", "ec2", ResourceType="EC2Instance")])
    run.describe([{"Key": "ActivationIds", "Values": ["act-1", "act-2"]}, MANAGED_ONLY], [instance("mi-0a", "a")])
    config = {
        "filters": {"tag:Project": "hybridcloud", "PingStatus": "Online"},
        "include_filters": [{"ResourceType": ["EC2Instance"]}, {"ActivationIds": ["act-1", "act-2"]}],
        "exclude_filters": [{"PingStatus": ["Inactive"]}],
        "include_tags": False,
    }
    inventory = run(config)
    assert hosts(inventory, "ssm_managed_instances") == ["a", "ec2"]
    assert hostvars(inventory, "a")["ssm_tags"] == {}


def test_host_names_follow_the_preference_and_duplicates_go_by_id(run):
    old = instance("mi-0a", "onprem-app-1", PingStatus="ConnectionLost", LastPingDateTime=NOW - datetime.timedelta(days=9))
    new = instance("mi-0b", "onprem-app-1")
    nameless = instance("mi-0c", "")
    del nameless["ComputerName"]
    run.describe([MANAGED_ONLY], [old, new, nameless])
    config = {"include_tags": False, "hostnames": ["tag:Name", {"name": "computer_name", "prefix": "platform_type", "separator": "-"}, "instance_id"]}
    inventory = run(config)
    assert hosts(inventory, "ssm_managed_instances") == ["Linux-onprem-app-1", "mi-0a", "mi-0c"]
    assert hostvars(inventory, "Linux-onprem-app-1")["instance_id"] == "mi-0b"
    assert run.warnings == ["2 managed instances are named Linux-onprem-app-1: mi-0b keeps the name, mi-0a go by their ids"]


def test_regions_are_read_one_by_one(run):
    run.describe([MANAGED_ONLY], [instance("mi-0a", "frankfurt-1")], region="eu-central-1")
    run.describe([MANAGED_ONLY], [instance("mi-0b", "dublin-1")], region="eu-west-1")
    inventory = run({"regions": ["eu-central-1", "eu-west-1"], "include_tags": False})
    assert hostvars(inventory, "frankfurt-1")["ssm_region"] == "eu-central-1"
    assert hostvars(inventory, "dublin-1")["ssm_region"] == "eu-west-1"


def test_a_denied_region_fails_unless_strict_permissions_is_off(run):
    run.ssm().add_client_error("describe_instance_information", "AccessDeniedException", "not allowed", 400)
    with pytest.raises(AnsibleError, match=r"Failed to describe managed instances in us-east-1.*not allowed"):
        run({"include_tags": False})
    run.ssm().add_client_error("describe_instance_information", "AccessDeniedException", "not allowed", 400)
    inventory = run({"include_tags": False, "strict_permissions": False})
    assert hosts(inventory, "ssm_managed_instances") == []
    assert run.warnings == ["Skipped: not allowed to describe managed instances in us-east-1 (AccessDeniedException)"]


def test_the_cache_answers_the_second_run_without_a_call(run, tmp_path):
    run.describe([MANAGED_ONLY], [instance("mi-0a", "onprem-app-1")])
    run.tags("mi-0a", {"Project": "hybridcloud"})
    config = {
        "cache": True,
        "cache_plugin": "jsonfile",
        "cache_connection": str(tmp_path / "cache"),
        "compose": {"ansible_host": "ip_address"},
    }
    first = run(config)
    assert list((tmp_path / "cache").iterdir()), "the result was not cached"
    # nothing queued: any AWS call would fail the Stubber
    second = run(config)
    assert hostvars(second, "onprem-app-1") == hostvars(first, "onprem-app-1")
    assert hostvars(second, "onprem-app-1")["ansible_host"] == "10.0.0.a"
    # cache=False (--flush-cache) reads AWS again
    run.describe([MANAGED_ONLY], [])
    assert hosts(run(config, cache=False), "ssm_managed_instances") == []


def test_build_filters():
    assert plugin_module.build_filters({}) == [MANAGED_ONLY]
    assert plugin_module.build_filters({"tag:site": "munich", "InstanceIds": ["mi-1", "mi-2"]}) == [
        {"Key": "InstanceIds", "Values": ["mi-1", "mi-2"]},
        {"Key": "tag:site", "Values": ["munich"]},
        MANAGED_ONLY,
    ]
    assert plugin_module.build_filters({"ResourceType": "EC2Instance"}) == [{"Key": "ResourceType", "Values": ["EC2Instance"]}]


def test_only_files_named_for_the_plugin_are_taken(loader, tmp_path):
    plugin = loader.get("hybridcloud.aws.ssm_managed_instances")
    for name, taken in (("prod.ssm_managed_instances.yml", True), ("ssm_managed_instances.yaml", True), ("prod.aws_ec2.yml", False), ("hosts.yml", False)):
        path = tmp_path / name
        path.write_text("plugin: hybridcloud.aws.ssm_managed_instances\n")
        assert plugin.verify_file(str(path)) is taken, name
