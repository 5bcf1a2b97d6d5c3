"""The filters that replaced the namespace() loops of the roles ecs_cluster, ecs_services, file_gateway,
file_gateway_mount, load_balancer and systems_manager: each case is checked against the value written out here and
against what the role's former Jinja (kept below, verbatim) renders for the same variables, so the roles behave as
before."""

import base64

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.hybridcloud.aws.plugins.filter.alb_listener_rules import FilterModule as AlbListenerRules
from ansible_collections.hybridcloud.aws.plugins.filter.autoscaling_group_tags import FilterModule as AsgTags
from ansible_collections.hybridcloud.aws.plugins.filter.ecs_service_arns import FilterModule as EcsServiceArns
from ansible_collections.hybridcloud.aws.plugins.filter.mountinfo_filesystems import FilterModule as Mountinfo
from ansible_collections.hybridcloud.aws.plugins.filter.nfs_file_shares_by_name import FilterModule as FileShares
from ansible_collections.hybridcloud.aws.plugins.filter.nfs_mount_plan import FilterModule as MountPlan
from ansible_collections.hybridcloud.aws.plugins.filter.ssm_association_ids import FilterModule as AssociationIds
from ansible_collections.hybridcloud.aws.plugins.filter.ssm_parameter_values import FilterModule as ParameterValues
from ansible_collections.hybridcloud.aws.plugins.filter.target_group_targets import FilterModule as TargetGroupTargets

try:  # ansible-core 2.19 and later template only trusted strings
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.17 and 2.18

    def trust_as_template(text):
        return text


autoscaling_group_tags = AsgTags().filters()["autoscaling_group_tags"]
ecs_service_arns = EcsServiceArns().filters()["ecs_service_arns"]
nfs_file_shares_by_name = FileShares().filters()["nfs_file_shares_by_name"]
nfs_mount_plan = MountPlan().filters()["nfs_mount_plan"]
mountinfo_filesystems = Mountinfo().filters()["mountinfo_filesystems"]
target_group_targets = TargetGroupTargets().filters()["target_group_targets"]
alb_listener_rules = AlbListenerRules().filters()["alb_listener_rules"]
ssm_association_ids = AssociationIds().filters()["ssm_association_ids"]
ssm_parameter_values = ParameterValues().filters()["ssm_parameter_values"]


def render(template, **variables):
    """What the role's former Jinja gave for these variables."""
    return Templar(loader=DataLoader(), variables=variables).template(trust_as_template(template))


# roles/ecs_cluster/vars/main.yml: ecs_cluster_asg_tags
ASG_TAGS_JINJA = """
  {%- set built = namespace(tags=[]) -%}
  {%- for key, value in ecs_cluster_asg_tag_dict.items() -%}
  {%- set built.tags = built.tags + [{key: value, 'propagate_at_launch': false}] -%}
  {%- endfor -%}
  {{ built.tags }}"""


@pytest.mark.parametrize(
    "tags, expected",
    [
        ({}, []),
        ({"Name": "hc-ecs"}, [{"Name": "hc-ecs", "propagate_at_launch": False}]),
        (
            {"Project": "hybridcloud", "Name": "hc-ecs", "Empty": ""},
            [
                {"Project": "hybridcloud", "propagate_at_launch": False},
                {"Name": "hc-ecs", "propagate_at_launch": False},
                {"Empty": "", "propagate_at_launch": False},
            ],
        ),
        # A tag called propagate_at_launch is overridden, as the dictionary literal of the Jinja overrode it.
        ({"propagate_at_launch": "yes"}, [{"propagate_at_launch": False}]),
    ],
)
def test_autoscaling_group_tags(tags, expected):
    assert autoscaling_group_tags(tags) == expected
    assert render(ASG_TAGS_JINJA, ecs_cluster_asg_tag_dict=tags) == expected


def test_autoscaling_group_tags_propagate_and_none():
    assert autoscaling_group_tags({"A": "1"}, True) == [{"A": "1", "propagate_at_launch": True}]
    assert autoscaling_group_tags(None) == []
    with pytest.raises(TypeError, match="dictionary of tags"):
        autoscaling_group_tags(["A"])


# roles/ecs_services/tasks/facts.yml: ecs_services_service_arns
SERVICE_ARNS_JINJA = """
      {%- set found = namespace(items={}) -%}
      {%- for result in (ecs_services_ec2_services.results | default([])) + (ecs_services_external_services.results | default([])) -%}
      {%- set arn = result.service.serviceArn | default(result.service.service_arn | default('')) if result.service is defined else '' -%}
      {%- if arn -%}
      {%- set found.items = found.items | combine({result.item.name: arn}) -%}
      {%- endif -%}
      {%- endfor -%}
      {{ found.items }}"""

ARN = "arn:aws:ecs:eu-west-1:123456789012:service/hc/{}"
EC2 = {
    "changed": False,
    "results": [
        {"item": {"name": "web"}, "service": {"serviceArn": ARN.format("web"), "serviceName": "web"}},
        {"item": {"name": "skipped"}, "skipped": True, "skip_reason": "Conditional result was False"},
        {"item": {"name": "new-in-check-mode"}, "service": {}},
        {"item": {"name": "null-arn"}, "service": {"serviceArn": None, "service_arn": ARN.format("null-arn")}},
    ],
}
EXTERNAL = {
    "changed": True,
    "results": [
        {"item": {"name": "onprem"}, "service": {"service_arn": ARN.format("onprem")}},
        {"item": {"name": "no-service"}, "changed": True},
        {"item": {"name": "web"}, "service": {"service_arn": ARN.format("web-external")}},
    ],
}


@pytest.mark.parametrize(
    "ec2, external, expected",
    [
        (None, None, {}),
        ({"skipped": True}, {"results": []}, {}),
        (EC2, None, {"web": ARN.format("web")}),
        (None, EXTERNAL, {"onprem": ARN.format("onprem"), "web": ARN.format("web-external")}),
        # The later result of a name wins; a serviceArn of null is not replaced by service_arn.
        (EC2, EXTERNAL, {"web": ARN.format("web-external"), "onprem": ARN.format("onprem")}),
    ],
)
def test_ecs_service_arns(ec2, external, expected):
    registered = {name: value for name, value in (("ecs_services_ec2_services", ec2), ("ecs_services_external_services", external)) if value is not None}
    assert ecs_service_arns([ec2 or {}, external or {}]) == expected
    assert render(SERVICE_ARNS_JINJA, **registered) == expected


# roles/file_gateway/tasks/shares.yml: file_gateway_shares
SHARES_JINJA = """
      {%- set shares = namespace(found={}) -%}
      {%- for result in file_gateway_share_results.results -%}
      {%- set shares.found = shares.found | combine({result.item.name: {'arn': result.file_share_arn, 'nfs_path': result.nfs_path}}) -%}
      {%- endfor -%}
      {{ shares.found }}"""


@pytest.mark.parametrize(
    "results, expected",
    [
        ([], {}),
        (
            [
                {"item": {"name": "backups"}, "file_share_arn": "arn:share/share-1", "nfs_path": "10.0.0.5:/backups"},
                {"item": {"name": "exports"}, "file_share_arn": None, "nfs_path": None},
            ],
            {
                "backups": {"arn": "arn:share/share-1", "nfs_path": "10.0.0.5:/backups"},
                "exports": {"arn": None, "nfs_path": None},
            },
        ),
    ],
)
def test_nfs_file_shares_by_name(results, expected):
    assert nfs_file_shares_by_name(results) == expected
    assert render(SHARES_JINJA, file_gateway_share_results={"results": results}) == expected


# roles/file_gateway_mount/vars/main.yml: file_gateway_mount_resolved
MOUNT_PLAN_JINJA = r"""
  {%- set resolved = namespace(shares=[]) -%}
  {%- for share in file_gateway_mount_shares -%}
  {%-   set read_only = share.read_only | default(false) | bool -%}
  {%-   set options = file_gateway_mount_base_options + (['ro'] if read_only else []) + file_gateway_mount_extra_options
                      + share.options | default([]) -%}
  {%-   set resolved.shares = resolved.shares + [{
          'name': share.name | regex_replace('^/', ''),
          'path': share.path,
          'owner': share.owner | default('root'),
          'group': share.group | default('root'),
          'mode': share.mode | default('0755'),
          'read_only': read_only,
          'state': share.state | default(file_gateway_mount_state),
          'src': file_gateway_mount_gateway_address ~ ':/' ~ share.name | regex_replace('^/', ''),
          'opts': options | unique | join(','),
          'unit': share.path[1:] | replace('-', '\\x2d') | replace('/', '-')}] -%}
  {%- endfor -%}
  {{ resolved.shares }}"""

BASE = ["nfsvers=4.1", "nolock", "hard", "timeo=600", "retrans=2", "_netdev", "nosuid", "nodev", "nofail"]


@pytest.mark.parametrize(
    "shares, extra, expected",
    [
        ([], [], []),
        (
            [{"name": "backups", "path": "/srv/backups"}],
            [],
            [
                {
                    "name": "backups",
                    "path": "/srv/backups",
                    "owner": "root",
                    "group": "root",
                    "mode": "0755",
                    "read_only": False,
                    "state": "mounted",
                    "src": "10.20.0.15:/backups",
                    "opts": ",".join(BASE),
                    "unit": "srv-backups",
                }
            ],
        ),
        (
            [
                {
                    "name": "/app-data",
                    "path": "/srv/app-data/current",
                    "owner": "app",
                    "group": 1001,
                    "mode": "0750",
                    "read_only": "yes",
                    "state": "absent",
                    "options": ["NOLOCK", "noatime", "ro", "rsize=1048576"],
                }
            ],
            ["noatime", "Hard"],
            [
                {
                    "name": "app-data",
                    "path": "/srv/app-data/current",
                    "owner": "app",
                    "group": 1001,
                    "mode": "0750",
                    "read_only": True,
                    "state": "absent",
                    "src": "10.20.0.15:/app-data",
                    # ro once, noatime once, Hard and NOLOCK dropped as the unique filter compares in lower case.
                    "opts": ",".join([*BASE, "ro", "noatime", "rsize=1048576"]),
                    "unit": "srv-app\\x2ddata-current",
                }
            ],
        ),
        (
            # read_only false as a string, a state of null kept as null (default() replaces only what is missing).
            [{"name": "logs", "path": "/mnt/logs", "read_only": "False", "state": None, "options": []}],
            [],
            [
                {
                    "name": "logs",
                    "path": "/mnt/logs",
                    "owner": "root",
                    "group": "root",
                    "mode": "0755",
                    "read_only": False,
                    "state": None,
                    "src": "10.20.0.15:/logs",
                    "opts": ",".join(BASE),
                    "unit": "mnt-logs",
                }
            ],
        ),
    ],
)
def test_nfs_mount_plan(shares, extra, expected):
    assert nfs_mount_plan(shares, "10.20.0.15", BASE, extra, "mounted") == expected
    rendered = render(
        MOUNT_PLAN_JINJA,
        file_gateway_mount_shares=shares,
        file_gateway_mount_base_options=BASE,
        file_gateway_mount_extra_options=extra,
        file_gateway_mount_gateway_address="10.20.0.15",
        file_gateway_mount_state="mounted",
    )
    assert rendered == expected


# roles/file_gateway_mount/vars/main.yml: file_gateway_mount_active
MOUNTINFO_JINJA = """
  {%- set active = namespace(mounts={}) -%}
  {%- for line in (file_gateway_mount_mountinfo.content | b64decode).splitlines() -%}
  {%-   set fields = line.split(' ') -%}
  {%-   set fstype = fields[fields.index('-') + 1] -%}
  {%-   set active.mounts = active.mounts | combine({fields[4]: active.mounts[fields[4]] | default([]) + [fstype]}) -%}
  {%- endfor -%}
  {{ active.mounts }}"""

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
61 22 0:50 / /srv/backups rw,relatime shared:30 - autofs systemd-1 rw,fd=51,pgrp=1,timeout=0,minproto=5,maxproto=5
88 61 0:60 / /srv/backups rw,nosuid,nodev,relatime shared:45 - nfs4 10.20.0.15:/backups rw,vers=4.1,hard
90 22 0:61 / /srv/with\\040space rw,relatime shared:46 master:3 - nfs 10.20.0.15:/x rw
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", {}),
        (
            MOUNTINFO,
            {
                "/": ["ext4"],
                "/proc": ["proc"],
                "/srv/backups": ["autofs", "nfs4"],
                "/srv/with\\040space": ["nfs"],
            },
        ),
    ],
)
def test_mountinfo_filesystems(text, expected):
    assert mountinfo_filesystems(text) == expected
    content = base64.b64encode(text.encode()).decode()
    assert render(MOUNTINFO_JINJA, file_gateway_mount_mountinfo={"content": content}) == expected


def test_mountinfo_filesystems_blank_and_broken_lines():
    assert mountinfo_filesystems("\n" + MOUNTINFO.splitlines()[0] + "\n\n") == {"/": ["ext4"]}
    with pytest.raises(AnsibleFilterError, match="line 2 is not a mountinfo line"):
        mountinfo_filesystems(MOUNTINFO.splitlines()[0] + "\n22 1 8:1 / / rw")


# roles/load_balancer/tasks/target_groups.yml: load_balancer_targets (per target group, item)
TARGETS_JINJA = """
      {%- set built = namespace(targets=[]) -%}
      {%- for target in item.targets | default([]) -%}
      {%- set zone = target.availability_zone | default('all' if item.target_type | default('instance') == 'ip' else '') -%}
      {%- set registration = {'Id': target.id, 'Port': target.port | default(item.port)} -%}
      {%- set built.targets = built.targets + [registration | combine({'AvailabilityZone': zone} if zone else {})] -%}
      {%- endfor -%}
      {{ built.targets }}"""


@pytest.mark.parametrize(
    "group, expected",
    [
        ({"name": "web", "port": 80}, []),
        ({"name": "web", "port": 80, "targets": []}, []),
        (
            {"name": "web", "port": 80, "targets": [{"id": "i-0123"}, {"id": "i-0456", "port": 8080}]},
            [{"Id": "i-0123", "Port": 80}, {"Id": "i-0456", "Port": 8080}],
        ),
        (
            {
                "name": "onprem",
                "port": 8080,
                "target_type": "ip",
                "targets": [
                    {"id": "192.168.20.11"},
                    {"id": "10.0.1.5", "availability_zone": "eu-west-1a", "port": 9090},
                    {"id": "10.0.1.6", "availability_zone": ""},
                ],
            },
            [
                {"Id": "192.168.20.11", "Port": 8080, "AvailabilityZone": "all"},
                {"Id": "10.0.1.5", "Port": 9090, "AvailabilityZone": "eu-west-1a"},
                {"Id": "10.0.1.6", "Port": 8080},
            ],
        ),
        (
            {"name": "inst", "port": 80, "target_type": "instance", "targets": [{"id": "i-1", "availability_zone": "eu-west-1b"}]},
            [{"Id": "i-1", "Port": 80, "AvailabilityZone": "eu-west-1b"}],
        ),
    ],
)
def test_target_group_targets(group, expected):
    assert target_group_targets(group) == expected
    assert render(TARGETS_JINJA, item=group) == expected


# roles/load_balancer/vars/main.yml: load_balancer_rules_complete and load_balancer_listener_rules
RULES_COMPLETE_JINJA = "{{ [{'path_patterns': [], 'host_headers': []}] | product(load_balancer_rules) | map('combine') | list }}"
RULES_JINJA = """
  {%- set built = namespace(rules=[]) -%}
  {%- for rule in load_balancer_rules_complete -%}
  {%- set conditions = ([{'Field': 'path-pattern', 'Values': rule.path_patterns}] if rule.path_patterns else [])
      + ([{'Field': 'host-header', 'Values': rule.host_headers}] if rule.host_headers else []) -%}
  {%- set built.rules = built.rules + [{'Priority': rule.priority | string, 'Conditions': conditions,
      'Actions': [{'Type': 'forward', 'TargetGroupName': rule.target_group}]}] -%}
  {%- endfor -%}
  {{ built.rules }}"""


def forward(group):
    return [{"Type": "forward", "TargetGroupName": group}]


@pytest.mark.parametrize(
    "rules, expected",
    [
        ([], []),
        (
            [
                {"priority": 10, "path_patterns": ["/api/*"], "target_group": "api"},
                {"priority": "20", "host_headers": ["admin.example.internal"], "target_group": "admin"},
                {
                    "priority": 30,
                    "path_patterns": ["/a", "/b"],
                    "host_headers": ["x.example.internal"],
                    "target_group": "both",
                },
                {"priority": 40, "path_patterns": [], "host_headers": None, "target_group": "none"},
            ],
            [
                {"Priority": "10", "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}], "Actions": forward("api")},
                {
                    "Priority": "20",
                    "Conditions": [{"Field": "host-header", "Values": ["admin.example.internal"]}],
                    "Actions": forward("admin"),
                },
                {
                    "Priority": "30",
                    "Conditions": [
                        {"Field": "path-pattern", "Values": ["/a", "/b"]},
                        {"Field": "host-header", "Values": ["x.example.internal"]},
                    ],
                    "Actions": forward("both"),
                },
                {"Priority": "40", "Conditions": [], "Actions": forward("none")},
            ],
        ),
    ],
)
def test_alb_listener_rules(rules, expected):
    assert alb_listener_rules(rules) == expected
    complete = render(RULES_COMPLETE_JINJA, load_balancer_rules=rules)
    assert render(RULES_JINJA, load_balancer_rules_complete=complete) == expected


# roles/systems_manager/tasks/associations.yml: systems_manager_association_ids
ASSOCIATION_IDS_JINJA = """
      {%- set ids = namespace(items={}) -%}
      {%- for result in systems_manager_association_results.results -%}
      {%- if result.association_id is defined -%}
      {%- if result.association_id -%}
      {%- set ids.items = ids.items | combine({result.item.name: result.association_id}) -%}
      {%- endif -%}
      {%- else -%}
      {%- for found in systems_manager_associations_current.associations if found.name == result.item.name -%}
      {%- set ids.items = ids.items | combine({result.item.name: found.association_id}) -%}
      {%- endfor -%}
      {%- endif -%}
      {%- endfor -%}
      {{ ids.items }}"""

READ = [
    {"name": "patch-scan", "association_id": "a-read-1"},
    {"name": "inventory", "association_id": "a-read-2"},
    {"name": "twice", "association_id": "a-read-3"},
    {"name": "twice", "association_id": "a-read-4"},
    {"name": "removed", "association_id": "a-read-5"},
]


@pytest.mark.parametrize(
    "results, associations, expected",
    [
        ([], READ, {}),
        ([{"item": {"name": "patch-scan"}, "skipped": True}], [], {}),
        (
            [
                # ran: its ID counts, even over the read one
                {"item": {"name": "patch-scan"}, "changed": True, "association_id": "a-new-1"},
                # skipped as nothing differed: the read one
                {"item": {"name": "inventory"}, "skipped": True},
                # several read with the name: the last
                {"item": {"name": "twice"}, "skipped": True},
                # removed (or to be created in check mode): none
                {"item": {"name": "removed"}, "changed": True, "association_id": None},
                # skipped and never read: none
                {"item": {"name": "unknown"}, "skipped": True},
            ],
            READ,
            {"patch-scan": "a-new-1", "inventory": "a-read-2", "twice": "a-read-4"},
        ),
    ],
)
def test_ssm_association_ids(results, associations, expected):
    assert ssm_association_ids(results, associations) == expected
    rendered = render(
        ASSOCIATION_IDS_JINJA,
        systems_manager_association_results={"results": results},
        systems_manager_associations_current={"associations": associations},
    )
    assert rendered == expected


# roles/systems_manager/vars/main.yml: systems_manager_parameter_values
PARAMETERS_JINJA = """
  {%- set result = namespace(values={}) -%}
  {%- for key, value in systems_manager_onprem_parameters.items() -%}
  {%- if value is not none and value | string | length > 0 -%}
  {%- set result.values = result.values | combine({systems_manager_parameter_prefix ~ '/' ~ key: value | string}) -%}
  {%- endif -%}
  {%- endfor -%}
  {%- for key, value in systems_manager_endpoints.items() -%}
  {%- set result.values = result.values | combine({systems_manager_parameter_prefix ~ '/endpoints/' ~ key: value | string}) -%}
  {%- endfor -%}
  {{ result.values }}"""


@pytest.mark.parametrize(
    "parameters, endpoints, expected",
    [
        ({}, {}, {}),
        (
            {"docker_mirror": "https://mirror.example.internal", "proxy": "", "none": None, "port": 3128, "tls": True},
            {},
            {
                "/hc/docker_mirror": "https://mirror.example.internal",
                "/hc/port": "3128",
                "/hc/tls": "True",
            },
        ),
        (
            {"zero": 0},
            {"ecr": "https://api.ecr.example.internal", "empty": "", "null": None},
            {
                "/hc/zero": "0",
                "/hc/endpoints/ecr": "https://api.ecr.example.internal",
                "/hc/endpoints/empty": "",
                "/hc/endpoints/null": "None",
            },
        ),
    ],
)
def test_ssm_parameter_values(parameters, endpoints, expected):
    assert ssm_parameter_values(parameters, "/hc", endpoints) == expected
    rendered = render(
        PARAMETERS_JINJA,
        systems_manager_onprem_parameters=parameters,
        systems_manager_endpoints=endpoints,
        systems_manager_parameter_prefix="/hc",
    )
    assert rendered == expected
    assert list(rendered) == list(expected)
