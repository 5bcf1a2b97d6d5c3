"""hybridcloud.aws.rds_postgres against the emulator: check mode on an empty account and before the instance exists,
(bad input in test_bad_input_aws_network_data.py), refusal of a security group open to the world, and converge from nothing: the instance is created
with a throwaway password that never shows (the run is made with -vvv and its output searched), RDS then manages the
master password in Secrets Manager; everything is verified with RDS, EC2 and Secrets Manager reads, then a no-op run.
One read of the layer (hybridcloud.aws.rds_layer_info), write modules only where something differs (no-op and drift)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
IDENTIFIER = "hybridcloud-postgres"
PARAMETER_GROUP = "hybridcloud-postgres-postgres16"
ONPREM_APPS = ["192.168.20.0/24"]
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
FACTS = ["rds_postgres_endpoint", "rds_postgres_port", "rds_postgres_master_secret_arn", "rds_postgres_instance_arn"]
ROLE = [
    {"name": "rds postgres", "ansible.builtin.include_role": {"name": "hybridcloud.aws.rds_postgres"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]
# gp2 and a small class in the lab (lab-facts.md: gp3 breaks amazon.aws.rds_instance on the emulator's second run).
LAB_VARS = {
    "rds_postgres_storage_type": "gp2",
    "rds_postgres_instance_class": "db.t3.micro",
    "rds_postgres_parameters": {"log_min_duration_statement": 500},
    "hybridcloud_tags": TAGS,
}
CREATE_TASK = "Ensure the PostgreSQL instance"
# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {
    "amazon.aws.rds_subnet_group",
    "amazon.aws.rds_instance_param_group",
    "amazon.aws.rds_instance",
    "hybridcloud.aws.rds_instance_master_user_secret",
}
# AWS calls of the no-op run (and of check mode on the converged layer) before the layer was read once: each write
# module's own reads, measured (13: DescribeDBInstances 3, DescribeDBSubnetGroups 2, DescribeDBParameterGroups 2,
# ListTagsForResource 4, DescribeDBParameters 1, DescribeSecurityGroups 1).
NO_OP_CALLS_BEFORE = 13
# The role's throwaway password: 40 letters and digits. Any such token mixing cases and digits in the output would be it
# (ARNs, ids and checksums have hyphens or are lower-case hex).
PASSWORD_SHAPE = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])")


@pytest.fixture
def network(aws):
    """What the network role hands on: private subnets in two zones, the tasks group and the rds group."""
    ec2 = aws("ec2", region=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.40.0.0/20", "us-east-1a"), ("10.40.16.0/20", "us-east-1b"))
    ]
    tasks = ec2.create_security_group(GroupName="hybridcloud-tasks", Description="tasks", VpcId=vpc_id)["GroupId"]
    rds = ec2.create_security_group(GroupName="hybridcloud-rds", Description="rds", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=rds,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": tasks}]},
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": cidr} for cidr in ONPREM_APPS]},
        ],
    )
    return {
        "network_private_subnet_ids": subnets,
        "network_security_group_ids": {"tasks": tasks, "rds": rds},
        "network_onprem_app_cidrs": ONPREM_APPS,
    }


@pytest.fixture
def rds(aws):
    return aws("rds", region=REGION)


def write_modules_run(result):
    """The write modules whose tasks ran (were not skipped)."""
    return sorted(task["action"] for task in result.tasks if task["action"] in WRITE_MODULES and not task["result"].get("skipped"))


def run(playbook, check=False, **extra):
    return playbook(ROLE, check=check, extra_vars={**LAB_VARS, **extra})


def run_verbose(emulator_endpoint, tmp_path, **extra):
    """The role with -vvv and the default callback, as an operator would see it; returns (rc, whole output)."""
    defaults = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": REGION}
    groups = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")
    play = {"hosts": "localhost", "connection": "local", "gather_facts": False, "module_defaults": dict.fromkeys(groups, defaults), "tasks": ROLE}
    path = tmp_path / "verbose.yml"
    path.write_text(yaml.safe_dump([play], sort_keys=False))
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-vvv", "-i", "localhost,", str(path)]
    command += ["-e", json.dumps({"ansible_python_interpreter": sys.executable, **LAB_VARS, **extra})]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_NOCOLOR="1")
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    return completed.returncode, completed.stdout + completed.stderr


def task_sections(output, name):
    """The output of each run of the task with this name (from its TASK header to the next one)."""
    return [section for section in re.split(r"^TASK \[", output, flags=re.MULTILINE) if re.match(rf"[^\]]*: {re.escape(name)}\]", section)]


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, rds):
    result = run(playbook, check=True)
    assert result.failed == 0, result.output
    assert result.task("facts")["result"]["msg"] == {
        "rds_postgres_endpoint": "",
        "rds_postgres_port": 5432,
        "rds_postgres_master_secret_arn": "",
        "rds_postgres_instance_arn": "",
    }
    assert rds.describe_db_instances()["DBInstances"] == []
    assert mutating_calls() == []


def test_security_group_open_to_the_world_is_refused_before_any_change(playbook, aws, network, rds):
    aws("ec2", region=REGION).authorize_security_group_ingress(
        GroupId=network["network_security_group_ids"]["rds"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    result = run(playbook, **network)
    assert result.failed == 1
    assert "admit sources other than" in result.output and "0.0.0.0/0" in result.output
    assert result.mutating_calls == []
    assert rds.describe_db_subnet_groups()["DBSubnetGroups"] == []


def test_converges_from_nothing_with_a_password_nobody_knows(playbook, network, rds, aws, emulator_endpoint, tmp_path):  # noqa: PLR0917 - fixtures
    ec2 = aws("ec2", region=REGION)
    planned = run(playbook, check=True, **network)
    assert planned.failed == 0, planned.output
    assert planned.mutating_calls == []
    assert rds.describe_db_instances()["DBInstances"] == []
    assert planned.task("facts")["result"]["msg"]["rds_postgres_master_secret_arn"] == ""

    rc, output = run_verbose(emulator_endpoint, tmp_path, **network)
    assert rc == 0, output[-5000:]
    # The one task that carries the throwaway password ran censored; no password-shaped string shows anywhere.
    # It ran through a pipe (no PUT of a module payload file that would hold the arguments on disk).
    [create] = task_sections(output, CREATE_TASK)
    assert "censored" in create and "module_args" not in create and "master_user_password" not in create
    assert "PUT " not in create
    assert PASSWORD_SHAPE.findall(output) == []
    assert not re.search(r"(?<![a-z_])master_user_password['\"]?:\s*['\"]?(?!VALUE_SPECIFIED_IN_NO_LOG_PARAMETER|null)\w", output)

    [instance] = rds.describe_db_instances(DBInstanceIdentifier=IDENTIFIER)["DBInstances"]
    assert instance["MultiAZ"] is True
    assert instance["MaxAllocatedStorage"] > instance["AllocatedStorage"] == 100
    assert instance["StorageEncrypted"] is True
    assert instance["PubliclyAccessible"] is False
    assert (instance["DeletionProtection"], instance["CopyTagsToSnapshot"], instance["BackupRetentionPeriod"]) == (True, True, 14)
    assert {tag["Key"]: tag["Value"] for tag in instance["TagList"]} == TAGS
    secret_arn = instance["MasterUserSecret"]["SecretArn"]
    secret = aws("secretsmanager", region=REGION).describe_secret(SecretId=secret_arn)
    assert secret["ARN"] == secret_arn and secret["OwningService"] == "rds"

    assert [group["DBParameterGroupName"] for group in instance["DBParameterGroups"]] == [PARAMETER_GROUP]
    parameters = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName=PARAMETER_GROUP)["Parameters"]}
    assert parameters["rds.force_ssl"]["ParameterValue"] == "1"
    assert (parameters["log_min_duration_statement"]["ParameterValue"], parameters["log_min_duration_statement"]["Source"]) == ("500", "user")

    [group_id] = [group["VpcSecurityGroupId"] for group in instance["VpcSecurityGroups"]]
    assert group_id == network["network_security_group_ids"]["rds"]
    [group] = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    sources = {(pair["GroupId"],) for rule in group["IpPermissions"] for pair in rule["UserIdGroupPairs"]}
    sources |= {(cidr["CidrIp"],) for rule in group["IpPermissions"] for cidr in rule["IpRanges"]}
    assert sources == {(network["network_security_group_ids"]["tasks"],), *((cidr,) for cidr in ONPREM_APPS)}
    assert sorted(s["SubnetIdentifier"] for s in instance["DBSubnetGroup"]["Subnets"]) == sorted(network["network_private_subnet_ids"])

    second = run(playbook, **network)
    assert second.failed == 0, second.output
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert second.mutating_calls == []
    facts = {
        "rds_postgres_endpoint": instance["Endpoint"]["Address"],
        "rds_postgres_port": instance["Endpoint"]["Port"],
        "rds_postgres_master_secret_arn": secret_arn,
        "rds_postgres_instance_arn": instance["DBInstanceArn"],
    }
    assert second.task("facts")["result"]["msg"] == facts

    # One read, no write module run, fewer AWS calls than before (all reads; each resource read once); check mode alike.
    planned_again = run(playbook, check=True, **network)
    assert planned_again.failed == 0, planned_again.output
    assert planned_again.task("facts")["result"]["msg"] == facts
    for no_op in (second, planned_again):
        assert write_modules_run(no_op) == []
        assert no_op.mutating_calls == []
        operations = [call["operation"] for call in no_op.api_calls]
        assert len(operations) < NO_OP_CALLS_BEFORE, operations
        assert (operations.count("DescribeDBInstances"), operations.count("DescribeDBSubnetGroups"), operations.count("DescribeDBParameterGroups")) == (1, 1, 1)


def test_drift_is_repaired_by_exactly_the_writes_that_differ(playbook, network, rds):
    converged = run(playbook, **network)
    assert converged.failed == 0, converged.output
    facts = converged.task("facts")["result"]["msg"]
    # By hand: a tag of the instance removed, a parameter of the group changed.
    rds.remove_tags_from_resource(ResourceName=facts["rds_postgres_instance_arn"], TagKeys=["Environment"])
    rds.modify_db_parameter_group(
        DBParameterGroupName=PARAMETER_GROUP,
        Parameters=[{"ParameterName": "log_min_duration_statement", "ParameterValue": "1000", "ApplyMethod": "pending-reboot"}],
    )

    planned = run(playbook, check=True, **network)
    assert planned.failed == 0, planned.output
    assert planned.mutating_calls == []
    assert write_modules_run(planned) == ["amazon.aws.rds_instance", "amazon.aws.rds_instance_param_group"]

    repaired = run(playbook, **network)
    assert repaired.failed == 0, repaired.output
    assert write_modules_run(repaired) == ["amazon.aws.rds_instance", "amazon.aws.rds_instance_param_group"]
    [instance] = rds.describe_db_instances(DBInstanceIdentifier=IDENTIFIER)["DBInstances"]
    assert {tag["Key"]: tag["Value"] for tag in instance["TagList"]} == TAGS
    parameters = {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName=PARAMETER_GROUP, Source="user")["Parameters"]}
    assert parameters["log_min_duration_statement"]["ParameterValue"] == "500"
    assert repaired.task("facts")["result"]["msg"] == facts
    assert write_modules_run(run(playbook, **network)) == []


FINISH = [
    {"name": "finish", "ansible.builtin.include_role": {"name": "hybridcloud.aws.rds_postgres", "tasks_from": "finish.yml"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]


def test_started_without_waiting_then_finished_later(playbook, network, rds, lab_api):
    """rds_postgres_wait: false returns while RDS still creates the instance (the emulator's latency profile makes it
    take 4 s); finish.yml, run later in the same play, waits for it and does the rest."""
    assert lab_api("POST", "/_lab/latency", {"scale": 0.01, "seconds": {"db_instance": 400}})[0] == 200
    try:
        started = playbook([*ROLE[:1], *FINISH], extra_vars={**LAB_VARS, **network, "rds_postgres_wait": False, "rds_postgres_wait_delay": 1})
        [instance] = rds.describe_db_instances(DBInstanceIdentifier=IDENTIFIER)["DBInstances"]
    finally:
        lab_api("POST", "/_lab/latency", {"scale": 0})
    assert started.failed == 0, started.output
    # The role itself returned without waiting or finishing; finish.yml waited, then let RDS manage the password.
    in_role, in_finish = [task["result"] for task in started.tasks if task["name"] == "hybridcloud.aws.rds_postgres : Wait until RDS has created the instance"]
    assert in_role.get("skipped") and in_finish["attempts"] > 1
    assert instance["DBInstanceStatus"] == "available" and instance["MasterUserSecret"]["SecretArn"]
    assert started.task("facts")["result"]["msg"]["rds_postgres_endpoint"] == instance["Endpoint"]["Address"]
    assert started.task("facts")["result"]["msg"]["rds_postgres_master_secret_arn"] == instance["MasterUserSecret"]["SecretArn"]
