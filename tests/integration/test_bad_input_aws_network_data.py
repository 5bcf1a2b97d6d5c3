"""Bad input to the AWS network and data roles (and the modules' CIDR options) is refused before any AWS write.

Each case is one host of one ansible-playbook run (ansible_connection=local, its bad variable as a host variable), so
all cases run in a single process, in parallel forks, each failing on its own: the run costs one playbook start
instead of one per case. Each parametrised test then asserts its host failed, the message names the variable and
the value (secrets never shown), and the emulator's request log shows zero mutating calls for the whole run; reads of
references (KMS keys, ACM certificates, the ALB by name) are allowed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
AWS_GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")
ACCOUNT = "123456789012"
MISSING_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"
PSK = "0-not-a-valid-psk"

BASE = {
    "network": {"network_onprem_cidrs": ["192.168.10.0/24"], "network_onprem_app_cidrs": ["192.168.20.0/24"]},
    "hybrid_connectivity": {
        "hybrid_connectivity_vpc_id": "vpc-0123456789abcdef0",
        "hybrid_connectivity_dx_create": "connection",
        "hybrid_connectivity_dx_location": "EqDC2",
        "hybrid_connectivity_customer_gateway_ip": "198.51.100.10",
        "hybrid_connectivity_onprem_prefixes": ["192.168.10.0/24"],
        "hybrid_connectivity_allowed_prefixes": ["10.40.0.0/16"],
    },
    "load_balancer": {
        "load_balancer_vpc_id": "vpc-0123456789abcdef0",
        "load_balancer_subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "load_balancer_security_group_ids": ["sg-0123456789abcdef0"],
        "load_balancer_target_groups": [{"name": "web", "port": 80}],
        "load_balancer_allow_plain_http": True,
    },
    "rds_postgres": {
        "rds_postgres_subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "rds_postgres_security_group_ids": ["sg-0123456789abcdef0"],
        "rds_postgres_allowed_security_group_ids": ["sg-0123456789abcdef1"],
        "rds_postgres_allowed_cidrs": ["192.168.20.0/24"],
    },
    "file_gateway": {
        "file_gateway_bucket_name": "hybridcloud-files-test",
        "file_gateway_client_cidrs": ["192.168.10.0/24"],
        "file_gateway_nfs_shares": [{"name": "backups"}],
    },
    "backup": {"backup_region": "us-east-1", "backup_dr_region": "us-west-2"},
    "container_registry": {"container_registry_repositories": [{"name": "orders"}]},
    "internal_dns": {
        "internal_dns_strategy": "pilot_light",
        "internal_dns_zone_name": "internal.example.com",
        "internal_dns_names": ["orders"],
        "internal_dns_regions": [
            {"region": region, "vpc_id": vpc_id, "target": f"internal-hybridcloud.{region}.elb.amazonaws.com", "alarm_dimensions": {"LoadBalancer": "app/x/1"}}
            for region, vpc_id in (("us-east-1", "vpc-0123456789abcdef0"), ("us-west-2", "vpc-0123456789abcdef1"))
        ],
    },
}
DR = {"hybridcloud_dr_strategy": "backup_restore", "hybridcloud_dr_region": "us-west-2", "aws_region": "us-east-1"}
DX_ASSOCIATION = {"direct_connect_gateway_id": "5f294f92-bafb-4011-916d-9b0bEXAMPLE", "associated_gateway_id": "vgw-0123456789abcdef0"}
NFS_SHARE = {
    "gateway_arn": f"arn:aws:storagegateway:us-east-1:{ACCOUNT}:gateway/sgw-12A3456B",
    "file_share_name": "backups",
    "location_arn": "arn:aws:s3:::hybridcloud-files-test",
    "role_arn": f"arn:aws:iam::{ACCOUNT}:role/hybridcloud-file-gateway",
}

# (case id, role or module, the bad variables, what the message must contain)
CASES = [
    ("net-split-default-route", "network", {"network_onprem_cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}, "network_onprem_cidrs: '0.0.0.0/1' is broader than /8"),
    (
        "net-subnet-outside-vpc",
        "network",
        {"network_public_subnet_cidrs": ["10.40.240.0/24", "10.41.0.0/24"], "network_private_subnet_cidrs": ["10.40.0.0/20", "10.40.16.0/20"]},
        "network_public_subnet_cidrs: '10.41.0.0/24' is not inside network_vpc_cidr 10.40.0.0/16",
    ),
    ("net-host-bits", "network", {"network_onprem_app_cidrs": ["192.168.20.5/24"]}, "network_onprem_app_cidrs: '192.168.20.5/24' has host bits set"),
    ("net-link-local-vpc", "network", {"network_vpc_cidr": "169.254.0.0/16"}, "network_vpc_cidr: '169.254.0.0/16' overlaps 169.254.0.0/16"),
    (
        "net-vpc-overlaps-dc",
        "network",
        {"hybridcloud_onprem_cidrs": ["10.40.128.0/17"]},
        "network_vpc_cidr: '10.40.0.0/16' overlaps the on-premises range '10.40.128.0/17'",
    ),
    ("net-port-range", "network", {"network_rds_port": 70000}, "network_rds_port: 70000 must be 1 to 65535"),
    (
        "net-min-max",
        "network",
        {"network_task_port_from": 40000, "network_task_port_to": 30000},
        "network_task_port_from (40000) must be at most network_task_port_to",
    ),
    (
        "hc-prefix-host-bits",
        "hybrid_connectivity",
        {"hybrid_connectivity_allowed_prefixes": ["10.40.0.1/16"]},
        "hybrid_connectivity_allowed_prefixes: '10.40.0.1/16' has host bits set",
    ),
    (
        "hc-prefix-everything",
        "hybrid_connectivity",
        {"hybrid_connectivity_allowed_prefixes": ["0.0.0.0/0"]},
        "hybrid_connectivity_allowed_prefixes: '0.0.0.0/0' is broader than /8",
    ),
    ("hc-public-asn", "hybrid_connectivity", {"hybrid_connectivity_dx_gateway_asn": 7224}, "hybrid_connectivity_dx_gateway_asn: 7224 must be a private ASN"),
    (
        "hc-psk-masked",
        "hybrid_connectivity",
        {"hybrid_connectivity_vpn_tunnels": [{"pre_shared_key": PSK}]},
        "hybrid_connectivity_vpn_tunnels[0].pre_shared_key: (value hidden) must be 8 to 64",
    ),
    (
        "hc-inside-cidr",
        "hybrid_connectivity",
        {"hybrid_connectivity_vpn_tunnels": [{"tunnel_inside_cidr": "10.0.0.0/30"}]},
        "'10.0.0.0/30' must be a /30 in 169.254.0.0/16",
    ),
    (
        "lb-http-not-chosen",
        "load_balancer",
        {"load_balancer_allow_plain_http": False},
        "load_balancer_certificate_arn is empty and load_balancer_allow_plain_http is false",
    ),
    (
        "lb-target-port",
        "load_balancer",
        {"load_balancer_target_groups": [{"name": "web", "port": 0}]},
        "load_balancer_target_groups[0].port: 0 must be 1 to 65535",
    ),
    (
        "lb-undeclared-group",
        "load_balancer",
        {"load_balancer_rules": [{"priority": 5, "target_group": "nowhere", "path_patterns": ["/x"]}]},
        "load_balancer_rules[0].target_group: 'nowhere' is not a declared target group",
    ),
    ("lb-idle-timeout", "load_balancer", {"load_balancer_idle_timeout": 5000}, "load_balancer_idle_timeout: 5000 must be 1 to 4000"),
    (
        "lb-missing-certificate",
        "load_balancer",
        {"load_balancer_certificate_arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000"},
        f"load_balancer_certificate_arn: arn:aws:acm:us-east-1:{ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000 is not an issued certificate",
    ),
    ("rds-class", "rds_postgres", {"rds_postgres_instance_class": "m6g.large"}, "rds_postgres_instance_class: 'm6g.large' must be a DB instance class"),
    ("rds-open-source", "rds_postgres", {"rds_postgres_allowed_cidrs": ["0.0.0.0/1"]}, "rds_postgres_allowed_cidrs: '0.0.0.0/1' is broader than /8"),
    (
        "rds-storage-max",
        "rds_postgres",
        {"rds_postgres_max_allocated_storage": 100},
        "rds_postgres_max_allocated_storage (100) must be larger than rds_postgres_allocated_storage (100)",
    ),
    ("rds-window", "rds_postgres", {"rds_postgres_backup_window": "25:00-26:00"}, "rds_postgres_backup_window: '25:00-26:00' must be hh:mm-hh:mm"),
    (
        "rds-missing-kms-alias",
        "rds_postgres",
        {"rds_postgres_kms_key_id": "alias/does-not-exist"},
        "rds_postgres_kms_key_id: alias/does-not-exist is not an enabled KMS key",
    ),
    (
        "fgw-share-everyone",
        "file_gateway",
        {"file_gateway_nfs_shares": [{"name": "open", "client_cidrs": ["0.0.0.0/0"]}]},
        "file_gateway_nfs_shares[0].client_cidrs: '0.0.0.0/0' is broader than /8",
    ),
    (
        "fgw-client-host-bits",
        "file_gateway",
        {"file_gateway_client_cidrs": ["192.168.10.7/24"]},
        "file_gateway_client_cidrs: '192.168.10.7/24' has host bits set",
    ),
    (
        "fgw-archive-order",
        "file_gateway",
        {"file_gateway_archive_access_days": 300, "file_gateway_deep_archive_access_days": 200},
        "file_gateway_archive_access_days (300) must be smaller than",
    ),
    ("fgw-missing-kms-key", "file_gateway", {"file_gateway_kms_key_arn": MISSING_KEY}, f"file_gateway_kms_key_arn: {MISSING_KEY} is not an enabled KMS key"),
    ("bk-same-region", "backup", {"backup_dr_region": "us-east-1"}, "backup_dr_region: 'us-east-1' must name a region other than the primary one"),
    ("bk-region-name", "backup", {"backup_dr_region": "mars-north-9x"}, "backup_dr_region: 'mars-north-9x' must be a region name"),
    (
        "bk-cold-storage",
        "backup",
        {
            "backup_plans": [
                {
                    "name": "p",
                    "selection_tags": {"B": "p"},
                    "rules": [{"name": "r", "schedule": "rate(1 day)", "delete_after_days": 60, "move_to_cold_storage_after_days": 7}],
                }
            ]
        },
        "backup_plans[0].rules[r].delete_after_days: 60 must be at least move_to_cold_storage_after_days + 90 (97)",
    ),
    (
        "cr-repository-name",
        "container_registry",
        {"container_registry_repositories": [{"name": "Orders"}]},
        "container_registry_repositories[0].name: 'Orders' must be lowercase",
    ),
    (
        "cr-dockerhub-token",
        "container_registry",
        {"container_registry_provider": "dockerhub", "container_registry_dockerhub_credentials": {"username": "bot"}},
        "container_registry_dockerhub_credentials.token: the dockerhub provider needs the token",
    ),
    ("net-az-count-word", "network", {"network_az_count": "two"}, "network_az_count"),
    ("net-one-az", "network", {"network_az_count": 1}, "network_az_count of at least 2"),
    ("net-onprem-everything", "network", {"network_onprem_cidrs": ["10.1.0.0/16", "0.0.0.0/0"]}, "network_onprem_cidrs: '0.0.0.0/0' is broader than /8"),
    ("net-not-a-cidr", "network", {"network_onprem_app_cidrs": ["192.168.1.0"]}, "network_onprem_app_cidrs: 192.168.1.0 is not an IPv4 CIDR (a.b.c.d/n)"),
    ("net-resolver-without-dc", "network", {"network_onprem_cidrs": []}, "network_resolver_inbound_enabled needs network_onprem_cidrs"),
    (
        "net-flow-log-retention",
        "network",
        {"network_flow_logs_retention_days": 366},
        "network_flow_logs_retention_days: 366 must be one of CloudWatch Logs' retention values",
    ),
    ("net-flow-log-bucket", "network", {"network_flow_logs_destination_type": "s3"}, "network_flow_logs_s3_bucket_arn must name the bucket"),
    ("hc-dx-create-enum", "hybrid_connectivity", {"hybrid_connectivity_dx_create": "port"}, "hybrid_connectivity_dx_create"),
    (
        "hc-onprem-everything",
        "hybrid_connectivity",
        {"hybrid_connectivity_onprem_prefixes": ["0.0.0.0/0"]},
        "hybrid_connectivity_onprem_prefixes: '0.0.0.0/0' is broader than /8",
    ),
    (
        "hc-one-bgp-address",
        "hybrid_connectivity",
        {"hybrid_connectivity_dx_amazon_address": "169.254.100.1/30", "hybrid_connectivity_dx_customer_address": ""},
        "both BGP peer addresses",
    ),
    ("hc-gateway-ip-a-name", "hybrid_connectivity", {"hybrid_connectivity_customer_gateway_ip": "vpn.example.org"}, "hybrid_connectivity_customer_gateway_ip"),
    ("hc-prefix-length-zero", "hybrid_connectivity", {"hybrid_connectivity_allowed_prefixes": ["10.40.0.0/0"]}, "hybrid_connectivity_allowed_prefixes"),
    (
        "hc-inside-cidr-twice",
        "hybrid_connectivity",
        {"hybrid_connectivity_vpn_tunnels": [{"tunnel_inside_cidr": "169.254.9.0/30"}, {"tunnel_inside_cidr": "169.254.9.0/30"}]},
        "distinct /30",
    ),
    ("hc-three-tunnels", "hybrid_connectivity", {"hybrid_connectivity_vpn_tunnels": [{}, {}, {}]}, "at most two entries"),
    ("lb-target-type", "load_balancer", {"load_balancer_target_groups": [{"name": "orders", "port": 80, "target_type": "lambda"}]}, "target_type"),
    ("lb-one-subnet", "load_balancer", {"load_balancer_subnet_ids": ["subnet-only-one"]}, "at least two load_balancer_subnet_ids"),
    ("lb-idle-timeout-zero", "load_balancer", {"load_balancer_idle_timeout": 0}, "load_balancer_idle_timeout: 0 must be 1 to 4000"),
    ("rds-open-to-all", "rds_postgres", {"rds_postgres_allowed_cidrs": ["10.0.0.0/8", "0.0.0.0/0"]}, "rds_postgres_allowed_cidrs: '0.0.0.0/0' is broader"),
    ("rds-no-backups", "rds_postgres", {"rds_postgres_backup_retention_days": 0}, "rds_postgres_backup_retention_days: 0 must be 1 to 35"),
    ("rds-storage-word", "rds_postgres", {"rds_postgres_allocated_storage": "lots"}, "rds_postgres_allocated_storage"),
    ("fgw-squash-enum", "file_gateway", {"file_gateway_nfs_shares": [{"name": "data", "squash": "root"}]}, "squash"),
    ("fgw-appliance-and-key", "file_gateway", {"file_gateway_appliance_address": "10.254.0.200", "file_gateway_activation_key": "KEY"}, "not both"),
    ("bk-plan-without-selection", "backup", {"backup_plans": [{"name": "p", "rules": []}]}, "missing required arguments: selection_tags"),
    (
        "bk-lock-above-retention",
        "backup",
        {"backup_vault_lock_min_retention_days": 36},
        "rules[daily].delete_after_days: 35 is below backup_vault_lock_min_retention_days (36)",
    ),
    (
        "bk-missing-kms-key",
        "backup",
        {"backup_kms_key_arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0b9c3e2a-1f6d-4c8e-9a57-2d4f1e3b6c7a"},
        f"backup_kms_key_arn: arn:aws:kms:us-east-1:{ACCOUNT}:key/0b9c3e2a-1f6d-4c8e-9a57-2d4f1e3b6c7a is not an enabled KMS key",
    ),
    (
        "cr-dr-same-region",
        "container_registry",
        {**DR, "hybridcloud_dr_region": "us-east-1"},
        "container_registry_dr_region: 'us-east-1' must name a region other than the primary region (container_registry_region)",
    ),
    (
        "cr-dr-strategy",
        "container_registry",
        {**DR, "hybridcloud_dr_strategy": "pilot-light"},
        "container_registry_dr_strategy: 'pilot-light' must be one of none, backup_restore",
    ),
    ("cr-provider-enum", "container_registry", {"container_registry_provider": "quay"}, "container_registry_provider"),
    ("cr-kms-alias", "container_registry", {"container_registry_kms_key_arn": "alias/aws/ecr"}, "must be a KMS key ARN"),
    (
        "dns-too-few-regions",
        "internal_dns",
        {"internal_dns_regions": []},
        "internal_dns_regions: [] must list 2 region(s) with internal_dns_strategy pilot_light",
    ),
    ("dns-name-not-a-label", "internal_dns", {"internal_dns_names": ["Orders_1"]}, "internal_dns_names[0]: 'Orders_1' must be one DNS label"),
    (
        "mod-dx-split-default",
        "hybridcloud.aws.directconnect_gateway_association",
        {**DX_ASSOCIATION, "allowed_prefixes": ["0.0.0.0/1", "128.0.0.0/1"]},
        "allowed_prefixes: '128.0.0.0/1' is broader than /8",
    ),
    (
        "mod-nfs-everyone",
        "hybridcloud.aws.storagegateway_nfs_file_share",
        {**NFS_SHARE, "client_list": ["0.0.0.0/0"]},
        "client_list: '0.0.0.0/0' is broader than /8",
    ),
]
SECRETS = {"hc-psk-masked": PSK}


def build_play(aws_defaults: dict) -> dict:
    """One play for every case (a playbook stops at the first play whose hosts all failed): each host includes its
    role, or runs its module, chosen by its case_target variable."""
    tasks = [
        {
            "name": "role",
            "ansible.builtin.include_role": {"name": "hybridcloud.aws.{{ case_target }}"},
            "when": "not case_target.startswith('hybridcloud.aws.')",
        }
    ]
    for target in dict.fromkeys(case[1] for case in CASES if case[1].startswith("hybridcloud.aws.")):
        options = {option for case in CASES if case[1] == target for option in case[2]}
        tasks.append(
            {
                "name": target,
                target: {option: f"{{{{ case_args[{option!r}] }}}}" for option in sorted(options)},
                "when": f"case_target == {target!r}",
            }
        )
    return {"name": "bad input", "hosts": "all", "gather_facts": False, "module_defaults": dict.fromkeys(AWS_GROUPS, aws_defaults), "tasks": tasks}


@pytest.fixture(scope="module")
def run(emulator_endpoint, lab_api, tmp_path_factory):
    """One ansible-playbook run for every case: its failed results by case id, the output and the mutating calls."""
    aws_defaults = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    hosts = {}
    for case_id, target, bad, _ in CASES:
        host_vars = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "case_target": target}
        host_vars.update({"case_args": bad} if target.startswith("hybridcloud.aws.") else {**BASE[target], **bad})
        hosts[case_id] = host_vars
    directory = tmp_path_factory.mktemp("bad_input")
    (directory / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    (directory / "playbook.yml").write_text(yaml.safe_dump([build_play(aws_defaults)], sort_keys=False))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        ANSIBLE_CALLBACK_RESULT_FORMAT="json",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORKS="8",
    )
    status, before = lab_api("GET", "/_lab/requests")
    assert status == 200
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(directory / "inventory.yml"), str(directory / "playbook.yml")]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    _, after = lab_api("GET", "/_lab/requests")
    document = json.loads(completed.stdout[completed.stdout.find("{") :])
    failures = {}
    for play in document["plays"]:
        for task in play["tasks"]:
            for host, result in task["hosts"].items():
                if result.get("failed"):
                    failures[host] = json.dumps(result)
    calls = after["requests"][len(before["requests"]) :]
    return {"rc": completed.returncode, "failures": failures, "stats": document["stats"], "output": completed.stdout + completed.stderr, "calls": calls}


def test_the_run_fails_and_makes_no_mutating_call(run):
    assert run["rc"] != 0
    assert [call for call in run["calls"] if call["mutating"]] == []
    # Every case failed on its own, none was unreachable or skipped past its check.
    assert {host for host, stats in run["stats"].items() if stats["failures"]} == {case[0] for case in CASES}


@pytest.mark.parametrize(("case_id", "target", "bad", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_refused_naming_the_variable_and_value(run, case_id, target, bad, message):
    assert case_id in run["failures"], f"{case_id} did not fail: {run['stats'].get(case_id)}"
    failure = json.loads(run["failures"][case_id])
    text = failure.get("msg", "") + " ".join(json.dumps(item.get("msg", "")) for item in failure.get("results", []))
    assert message in text, text
    if case_id in SECRETS:
        assert SECRETS[case_id] not in run["output"]
