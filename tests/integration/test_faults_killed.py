"""A run killed at a named point (SIGKILL of ansible-playbook, its workers and its async jobs, as a cancelled AWX job
or a lost controller ends it), then rerun: the rerun converges with exactly one of each resource. The points: between
CreateActivation and storing its code (a working code after the rerun), after the first CreateNatGateway and after
the first CreateRouteTable of the network role (one NAT gateway and EIP per zone, no orphan EIP, each route table
once by name, routes to the right gateway), while the rds_postgres role waits for the instance it created (one
instance, subnet group and parameter group, its password handed to Secrets Manager) and once the file_gateway role's
ActivateGateway was answered (one gateway, found by name without the spent key, its cache and shares in place).
The SSM agent restart on a lab host is not here: it needs the lab's hosts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from integration import test_role_file_gateway as file_gateway_role
from integration import test_role_network as network_role
from integration import test_role_rds_postgres as rds_role
from integration.test_role_file_gateway import activation_key, kms_key  # noqa: F401 (fixtures)
from integration.test_role_rds_postgres import network  # noqa: F401 (fixture)

from support import managed_instances
from support.killed_runs import kill_run, marked_environment

# Marked faults: make test runs them apart from the other integration tests, after the static checks in their lane
# (scripts/test.sh); `make faults` runs them alone. With test_faults_layers.py: 332 CPU seconds (2026-12-08).
pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
ROLE = "HybridIntegrationRole"
PARAMETER = "/hybridcloud/faults/killed"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")
TASK = {"default_instance_name": "killed", "iam_role": ROLE, "code_parameter": PARAMETER, "registration_limit": 5}


def start(endpoint, tmp_path, tasks, extra_vars=None):
    """ansible-playbook running these tasks on localhost against the emulator. Its temporary files (module payloads,
    async jobs) are under tmp_path/ansible, the mark kill_run finds the async jobs by: they detach from the run."""
    connection = {"endpoint_url": endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    play = {"hosts": "localhost", "connection": "local", "gather_facts": False, "module_defaults": dict.fromkeys(GROUPS, connection), "tasks": tasks}
    path = tmp_path / "killed.yml"
    path.write_text(yaml.safe_dump([play]))
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")),
        "-i",
        "localhost,",
        str(path),
        "-e",
        json.dumps({"ansible_python_interpreter": sys.executable, **(extra_vars or {})}),
    ]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), **marked_environment(tmp_path / "ansible"))
    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run.mark = str(tmp_path / "ansible")
    return run


def kill_at(run, lab_api, operation, timeout=120):
    """Kills the run as soon as the emulator has answered `operation` (the request log records answered calls)."""
    try:
        deadline = time.monotonic() + timeout
        while not any(call["operation"] == operation for call in lab_api("GET", "/_lab/requests")[1]["requests"]):
            assert run.poll() is None, f"the run ended before {operation}"
            assert time.monotonic() < deadline, f"no {operation} within {timeout} s"
            time.sleep(0.05)
    finally:
        kill_run(run)


def test_killed_between_create_activation_and_storing_its_code(aws, lab_api, playbook, emulator_endpoint, tmp_path):
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm = aws("ssm")
    # CreateActivation is held for 2 s before the emulator carries it out: the run is killed while it waits, so the
    # activation comes into being with nobody left to store its code.
    lab_api("POST", "/_lab/faults", json={"rules": [{"service": "ssm", "operation": "CreateActivation", "latency_ms": 2000}]})
    run = start(emulator_endpoint, tmp_path, [{"name": "activation", "hybridcloud.aws.ssm_activation": TASK}])
    try:
        deadline = time.monotonic() + 60
        while lab_api("GET", "/_lab/faults")[1]["rules"][0]["matched"] == 0:
            assert run.poll() is None and time.monotonic() < deadline, "the run ended before it created the activation"
            time.sleep(0.05)
    finally:
        kill_run(run)
    time.sleep(2.5)  # the held CreateActivation completes on the emulator's side
    lab_api("DELETE", "/_lab/faults")
    [orphan] = ssm.describe_activations()["ActivationList"]
    assert ssm.describe_parameters()["Parameters"] == []

    rerun = playbook([{"name": "activation", "hybridcloud.aws.ssm_activation": TASK}])

    assert rerun.failed == 0, rerun.output
    result = rerun.task("activation")["result"]
    assert result["deleted_activation_ids"] == [orphan["ActivationId"]]  # its code is lost: renewed, not kept
    [activation] = ssm.describe_activations()["ActivationList"]
    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    assert stored["id"] == activation["ActivationId"] == result["activation_id"]
    assert managed_instances.register_managed_instance(emulator_endpoint, {"ActivationId": stored["id"], "ActivationCode": stored["code"]}).startswith("mi-")


# The smallest network that has NAT gateways and route tables: two zones, no interface endpoints, resolver, flow log
# nor S3 endpoint; the NAT wait polls every second.
NETWORK_VARS = {
    **network_role.EXTRA_VARS,
    "network_interface_endpoints": [],
    "network_resolver_inbound_enabled": False,
    "network_flow_logs_enabled": False,
    "network_s3_gateway_endpoint": False,
    "network_nat_wait_delay": 1,
}


def assert_one_network(ec2):
    """One VPC with its four subnets and gateway, one NAT gateway per zone with an EIP each and no other EIP, each
    route table once by name, the private subnets routed to the NAT gateway of their zone, the public ones to the
    internet gateway."""
    [vpc] = [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]]
    in_vpc = network_role.in_vpc(vpc["VpcId"])
    subnets = {subnet["SubnetId"]: subnet for subnet in ec2.describe_subnets(Filters=in_vpc)["Subnets"]}
    by_name = {network_role.tags_of(subnet)["Name"]: subnet for subnet in subnets.values()}
    assert len(subnets) == len(by_name) == 4, sorted(by_name)
    [igw] = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}])["InternetGateways"]
    nats = [nat for nat in ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"] if nat["State"] in ("pending", "available")]
    zone_of = {subnet_id: subnet["AvailabilityZone"] for subnet_id, subnet in subnets.items()}
    nat_of_zone = {zone_of[nat["SubnetId"]]: nat["NatGatewayId"] for nat in nats}
    assert len(nats) == len(nat_of_zone) == 2, nats
    addresses = ec2.describe_addresses()["Addresses"]
    assert sorted(address["AllocationId"] for address in addresses) == sorted(a["AllocationId"] for nat in nats for a in nat["NatGatewayAddresses"])
    assert sorted(network_role.tags_of(address)["Name"] for address in addresses) == ["hybridcloud-nat-us-east-1a", "hybridcloud-nat-us-east-1b"]
    tables = [table for table in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"] if network_role.tags_of(table).get("Name")]
    names = sorted(network_role.tags_of(table)["Name"] for table in tables)
    assert names == ["hybridcloud-private-us-east-1a", "hybridcloud-private-us-east-1b", "hybridcloud-public"]
    for table in tables:
        subnet_ids = [association["SubnetId"] for association in table["Associations"] if association.get("SubnetId")]
        target = network_role.default_route(table)
        if network_role.tags_of(table)["Name"] == "hybridcloud-public":
            assert (sorted(zone_of[subnet_id] for subnet_id in subnet_ids), target.get("GatewayId")) == (["us-east-1a", "us-east-1b"], igw["InternetGatewayId"])
        else:
            [subnet_id] = subnet_ids
            assert target.get("NatGatewayId") == nat_of_zone[zone_of[subnet_id]]


def rerun_network(playbook, ec2):
    rerun = playbook(network_role.ROLE, extra_vars=NETWORK_VARS)
    assert rerun.failed == 0, rerun.output
    assert_one_network(ec2)
    return rerun


def test_killed_after_the_first_nat_gateway_was_created(aws, lab_api, playbook, emulator_endpoint, tmp_path):
    ec2 = aws("ec2")
    kill_at(start(emulator_endpoint, tmp_path, network_role.ROLE, NETWORK_VARS), lab_api, "CreateNatGateway")
    # Both addresses were allocated before the first NAT gateway was started; the second zone has none yet.
    assert len(ec2.describe_nat_gateways()["NatGateways"]) == 1
    assert len(ec2.describe_addresses()["Addresses"]) == 2

    rerun = rerun_network(playbook, ec2)
    assert [call["operation"] for call in rerun.mutating_calls].count("CreateNatGateway") == 1
    assert [call["operation"] for call in rerun.mutating_calls].count("AllocateAddress") == 0


def test_killed_after_the_first_route_table_was_created(aws, lab_api, playbook, emulator_endpoint, tmp_path):
    ec2 = aws("ec2")
    kill_at(start(emulator_endpoint, tmp_path, network_role.ROLE, NETWORK_VARS), lab_api, "CreateRouteTable")
    named = [table for table in ec2.describe_route_tables()["RouteTables"] if network_role.tags_of(table).get("Name")]
    print("route tables when killed:", [(network_role.tags_of(t)["Name"], len(t["Associations"]), len(t["Routes"])) for t in named])

    rerun_network(playbook, ec2)


def test_killed_while_waiting_for_the_new_db_instance(aws, lab_api, playbook, emulator_endpoint, tmp_path, network):  # noqa: F811, PLR0917 (pytest fixtures)
    """The instance takes 6 s to create (the emulator's latency profile): the run is killed once CreateDBInstance was
    answered, while the module waits for the instance, which is still creating."""
    rds = aws("rds")
    assert lab_api("POST", "/_lab/latency", {"scale": 0.01, "seconds": {"db_instance": 600}})[0] == 200
    try:
        run = start(emulator_endpoint, tmp_path, rds_role.ROLE, {**rds_role.LAB_VARS, **network})
        kill_at(run, lab_api, "CreateDBInstance")
        [instance] = rds.describe_db_instances()["DBInstances"]
        assert instance["DBInstanceStatus"] == "creating"

        rerun = playbook(rds_role.ROLE, extra_vars={**rds_role.LAB_VARS, **network, "rds_postgres_wait_delay": 1})
    finally:
        lab_api("POST", "/_lab/latency", {"scale": 0})
    assert rerun.failed == 0, rerun.output
    assert [call["operation"] for call in rerun.mutating_calls].count("CreateDBInstance") == 0
    [instance] = rds.describe_db_instances()["DBInstances"]
    assert (instance["DBInstanceIdentifier"], instance["DBInstanceStatus"]) == (rds_role.IDENTIFIER, "available")
    assert instance["MasterUserSecret"]["SecretArn"]  # the password the killed run created it with was handed over
    assert [group["DBSubnetGroupName"] for group in rds.describe_db_subnet_groups()["DBSubnetGroups"]] == [rds_role.IDENTIFIER]
    groups = [group["DBParameterGroupName"] for group in rds.describe_db_parameter_groups()["DBParameterGroups"]]
    assert [name for name in groups if not name.startswith("default.")] == [rds_role.PARAMETER_GROUP]
    assert rerun.task("facts")["result"]["msg"]["rds_postgres_instance_arn"] == instance["DBInstanceArn"]


def test_killed_once_the_gateway_was_activated(aws, lab_api, playbook, emulator_endpoint, tmp_path, activation_key, kms_key):  # noqa: F811, PLR0917 (pytest fixtures)
    sgw = aws("storagegateway")
    variables = {**file_gateway_role.EXTRA_VARS, "file_gateway_activation_key": activation_key, "file_gateway_kms_key_arn": kms_key}
    kill_at(start(emulator_endpoint, tmp_path, file_gateway_role.ROLE, variables), lab_api, "ActivateGateway")

    # The key was single-use: the rerun finds the gateway by name, allocates its cache and creates the shares.
    rerun = playbook(file_gateway_role.ROLE, extra_vars=variables)
    assert rerun.failed == 0, rerun.output
    [gateway] = sgw.list_gateways()["Gateways"]
    assert gateway["GatewayName"] == "hybridcloud-file-gateway"
    assert [call["operation"] for call in rerun.mutating_calls].count("ActivateGateway") == 0
    assert sgw.describe_cache(GatewayARN=gateway["GatewayARN"])["DiskIds"] == [file_gateway_role.APPLIANCE_DISK]
    shares = sgw.list_file_shares(GatewayARN=gateway["GatewayARN"])["FileShareInfoList"]
    described = sgw.describe_nfs_file_shares(FileShareARNList=[share["FileShareARN"] for share in shares])["NFSFileShareInfoList"]
    assert sorted(share["FileShareName"] for share in described) == ["data", "media"]
    assert rerun.task("facts")["result"]["msg"]["file_gateway_arn"] == gateway["GatewayARN"]
