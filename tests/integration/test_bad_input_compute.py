"""Bad input to the compute and SSM roles (systems_manager, ecs_cluster, ecs_services) fails before any change: each
case sets one bad variable over a valid baseline, and must fail in the role's input check (or its argument spec),
with a message naming the variable and the value, while the emulator's request log shows no mutating call.

All cases run in one ansible-playbook process, one inventory host per case (each host runs its role on the
controller), so the table costs one Ansible start instead of one per case; each case then asserts its own host's
failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
AWS_GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")

VALIDATION_TASKS = ("Reject input that cannot be built", "Validating arguments against arg spec")
BASELINE = {
    "hybridcloud.aws.systems_manager": {"aws_region": "us-east-1", "systems_manager_onprem_hosts": 3},
    "hybridcloud.aws.ecs_cluster": {
        "ecs_cluster_region": "us-east-1",
        "ecs_cluster_ami_id": "ami-0123456789abcdef0",
        "ecs_cluster_subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "ecs_cluster_security_group_ids": ["sg-0123456789abcdef0"],
    },
    "hybridcloud.aws.ecs_services": {
        "ecs_services_cluster": "hybridcloud",
        "ecs_services_capacity_provider": "hybridcloud-ec2",
        "ecs_services_services": [{"name": "web", "image": "nginx:1.27", "container_port": 80}],
    },
}
SCAN = {"name": "hybridcloud-patch-scan", "document": "AWS-RunPatchBaseline", "schedule": "cron(0 2 ? * * *)"}
# (id, role, bad variables, text the failure must contain: the variable and the value)
CASES = [
    ("limit-below-hosts", "systems_manager", {"systems_manager_registration_limit": 2}, "systems_manager_registration_limit: is smaller than the 3"),
    (
        "expiry-over-30-days",
        "systems_manager",
        {"systems_manager_activation_expiration_days": 45},
        "systems_manager_activation_expiration_days: must be 1 to 30 (got 45)",
    ),
    (
        "renewal-not-before-expiry",
        "systems_manager",
        {"systems_manager_activation_expiration_days": 5, "systems_manager_activation_renew_days": 5},
        "systems_manager_activation_renew_days: must be smaller than systems_manager_activation_expiration_days (5) (got 5)",
    ),
    ("schedule-too-often", "systems_manager", {"systems_manager_associations": [{**SCAN, "schedule": "rate(5 minutes)"}]}, "[hybridcloud-patch-scan].schedule"),
    ("schedule-not-cron", "systems_manager", {"systems_manager_associations": [{**SCAN, "schedule": "daily at 2"}]}, "(got 'daily at 2')"),
    (
        "max-concurrency-zero",
        "systems_manager",
        {"systems_manager_associations": [{**SCAN, "max_concurrency": "0"}]},
        "[hybridcloud-patch-scan].max_concurrency",
    ),
    (
        "kms-key-missing",
        "systems_manager",
        {"systems_manager_code_kms_key_id": "alias/nowhere"},
        "systems_manager_code_kms_key_id: names a KMS key that does not exist",
    ),
    (
        "kms-alias-reserved",
        "systems_manager",
        {"systems_manager_code_kms_key_alias": "alias/aws/ssm"},
        "systems_manager_code_kms_key_alias: alias/aws/ is reserved",
    ),
    (
        "instance-type",
        "ecs_cluster",
        {"ecs_cluster_instance_type": "t3 medium"},
        "ecs_cluster_instance_type: must be an EC2 instance type like t3.medium (got 't3 medium')",
    ),
    (
        "min-above-max",
        "ecs_cluster",
        {"ecs_cluster_min_size": 3, "ecs_cluster_max_size": 2},
        "ecs_cluster_min_size: must not exceed ecs_cluster_max_size (2) (got 3)",
    ),
    ("desired-above-max", "ecs_cluster", {"ecs_cluster_desired_capacity": 9}, "ecs_cluster_desired_capacity: must lie between"),
    ("step-sizes-reversed", "ecs_cluster", {"ecs_cluster_minimum_scaling_step_size": 3}, "ecs_cluster_minimum_scaling_step_size: must not exceed"),
    ("volume-too-small", "ecs_cluster", {"ecs_cluster_root_volume_size": 20}, "ecs_cluster_root_volume_size: must be 30 to 16384 (got 20)"),
    (
        "volume-key-missing",
        "ecs_cluster",
        {"ecs_cluster_volume_kms_key_id": "alias/nowhere"},
        "ecs_cluster_volume_kms_key_id: names a KMS key that does not exist",
    ),
    ("insights-enum", "ecs_cluster", {"ecs_cluster_container_insights": "on"}, "ecs_cluster_container_insights"),
    (
        "task-role-missing",
        "ecs_services",
        {"ecs_services_services": [{"name": "web", "image": "nginx:1.27", "task_role_arn": "arn:aws:iam::123456789012:role/nowhere"}]},
        "ecs_services_services[web].task_role_arn: names an IAM role that does not exist",
    ),
    (
        "port-out-of-range",
        "ecs_services",
        {"ecs_services_services": [{"name": "web", "image": "nginx:1.27", "container_port": 70000}]},
        "[web].container_port: must be 1 to 65535",
    ),
    (
        "tasks-min-above-max",
        "ecs_services",
        {"ecs_services_services": [{"name": "web", "image": "nginx:1.27", "autoscaling": {"min_tasks": 5, "max_tasks": 2}}]},
        "ecs_services_services[web].autoscaling.min_tasks: must not exceed max_tasks (2) (got 5)",
    ),
    (
        "task-policy-not-a-policy",
        "ecs_services",
        {"ecs_services_services": [{"name": "web", "image": "nginx:1.27", "task_role_policy": {"Action": "s3:GetObject"}}]},
        "ecs_services_services[web].task_role_policy: must be an IAM policy document",
    ),
    ("task-role-name-too-long", "ecs_services", {"ecs_services_services": [{"name": "w" * 60, "image": "nginx:1.27"}]}, "longer than 64 characters"),
    ("healthy-percent", "ecs_services", {"ecs_services_minimum_healthy_percent": 150}, "ecs_services_minimum_healthy_percent: must be 0 to 100 (got 150)"),
    (
        "prefix-not-a-path",
        "systems_manager",
        {"systems_manager_parameter_prefix": "hybridcloud/"},
        "systems_manager_parameter_prefix: must be a path like /a/b (no trailing /) (got 'hybridcloud/')",
    ),
    ("limit-not-a-number", "systems_manager", {"systems_manager_registration_limit": "many"}, "systems_manager_registration_limit"),
    (
        "endpoint-key-with-space",
        "systems_manager",
        {"systems_manager_endpoints": {"ssm endpoint": "https://x"}},
        "systems_manager_endpoints: keys must be paths of A-Z a-z 0-9 _ . - and / (got 'ssm endpoint')",
    ),
    (
        "association-without-targets",
        "systems_manager",
        {
            "systems_manager_association_targets": [],
            "systems_manager_associations": [{"name": "scan", "document": "AWS-RunPatchBaseline", "schedule": "rate(1 day)"}],
        },
        "systems_manager_associations[scan].targets: no targets: set them here or in systems_manager_association_targets",
    ),
    ("provider-name-reserved", "ecs_cluster", {"ecs_cluster_capacity_provider_name": "ecs-ec2"}, "must not start with"),
    ("agent-sets-cluster", "ecs_cluster", {"ecs_cluster_agent_config": {"ECS_CLUSTER": "elsewhere"}}, "must not set ECS_CLUSTER (always ecs_cluster_name)"),
    ("ami-not-an-id", "ecs_cluster", {"ecs_cluster_ami_id": "centos-9"}, "ecs_cluster_ami_id: must be an ami- id (got 'centos-9')"),
    (
        "external-with-target-group",
        "ecs_services",
        {
            "ecs_services_services": [
                {"name": "web", "image": "nginx:1.27", "container_port": 80},
                {"name": "onprem-web", "placement": "external", "image": "nginx:1.27", "container_port": 80, "target_group": "web"},
            ]
        },
        "ecs_services_services[onprem-web].target_group: is for ec2 services only",
    ),
    (
        "repository-not-declared",
        "ecs_services",
        {
            "ecs_services_repository_uris": {"web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"},
            "ecs_services_services": [{"name": "web", "repository": "web", "tag": "1.0.0"}, {"name": "api", "repository": "api", "tag": "2.0.0"}],
        },
        "ecs_services_services[api].repository: must be one of ['web'] (got 'api')",
    ),
    ("placement-fargate", "ecs_services", {"ecs_services_services": [{"name": "api", "image": "nginx:1.27", "placement": "fargate"}]}, "placement"),
]


@pytest.fixture(scope="module")
def table(emulator_endpoint, lab_api, tmp_path_factory):
    """Runs every case once (one host each) on an emptied emulator: {case id: (failed task, message)}, the process's
    exit code, the mutating calls it made and its duration."""
    assert lab_api("POST", "/_lab/reset")[0] == 200
    lab_api("DELETE", "/_lab/requests")
    directory = tmp_path_factory.mktemp("bad-input")
    hosts = {
        case: {
            "ansible_connection": "local",
            "ansible_python_interpreter": sys.executable,
            "case_role": f"hybridcloud.aws.{role}",
            **BASELINE[f"hybridcloud.aws.{role}"],
            **bad,
        }
        for case, role, bad, _ in CASES
    }
    (directory / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    aws_defaults = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    play = {
        "name": "bad input",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": dict.fromkeys(AWS_GROUPS, aws_defaults),
        "tasks": [{"name": "role under test", "ansible.builtin.include_role": {"name": "{{ case_role }}"}}],
    }
    (directory / "playbook.yml").write_text(yaml.safe_dump([play], sort_keys=False))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(directory / "inventory.yml"), "-f", "8", str(directory / "playbook.yml")]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.monotonic() - started
    document = json.loads(completed.stdout[completed.stdout.find("{") :])
    failures = {}
    for task in document["plays"][0]["tasks"]:
        for host, result in task["hosts"].items():
            if result.get("failed"):
                failures[host] = (task["task"]["name"], result.get("msg", ""))
    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200, answer
    mutating = [call for call in answer["requests"] if call["mutating"]]
    return {"rc": completed.returncode, "failures": failures, "mutating": mutating, "seconds": seconds, "output": completed.stdout + completed.stderr}


def test_the_table_makes_no_mutating_call(table):
    assert table["rc"] != 0
    assert table["mutating"] == []
    assert set(table["failures"]) == {case for case, *_ in CASES}, table["output"][-3000:]
    print(f"{len(CASES)} bad-input cases in {table['seconds']:.1f} s")


@pytest.mark.parametrize(("case", "role", "bad", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_fails_in_the_input_check_naming_the_variable(table, case, role, bad, message):
    assert table["rc"] != 0
    assert table["mutating"] == []
    assert case in table["failures"], f"{case} did not fail"
    task, text = table["failures"][case]
    assert task.startswith(f"hybridcloud.aws.{role} : ") and task.split(" : ", 1)[1].startswith(VALIDATION_TASKS), task
    assert message in text, text
    assert any(variable in text for variable in bad), text
