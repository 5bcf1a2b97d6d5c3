"""playbooks/dr/standby.yml with the lab inventory (inventories/lab: the dr-region host of aws_dr_controller, its
group_vars) against a private emulator. The primary's PostgreSQL instance (hybridcloud-lab-postgres in us-east-1) is
created through the API, as the database layer leaves it; then strategy pilot_light (DR region us-west-2) is converged
twice in one module-scoped fixture, which reads the DR region back with describe calls after the first run.

Asserted: the DR region has the VPC with its private subnets, a read replica whose ReadReplicaSourceDBInstanceIdentifier
is the primary's ARN, the ECS cluster with its Auto Scaling group and capacity provider at zero instances, every
service at desiredCount 0, the internal ALB; the primary region gains nothing; the second run makes no mutating call.
Strategy none: the playbook makes no AWS call at all.

Then playbooks/dr/failover.yml on top of that pilot light, with the primary region down (the emulator's outage switch):
without the typed confirmation it refuses before any AWS call; confirmed, it promotes the replica (standalone, with
backups and its own managed master secret in the DR region), scales the cluster and the EC2 services to the production
size, and sends nothing to the region that is down; a second run makes no mutating call.

Then playbooks/dr/failback.yml with the primary region back (its network converged by playbooks/aws/network.yml beside
the first standby run): unconfirmed it makes no AWS call; confirmed, the stale primary is kept renamed, the primary
identifier is the DR writer's replica promoted (tagged with the DR writer's DbiResourceId, its own master secret in
the primary region), the DR identifier a new replica of it, the old DR writer kept renamed, the DR services back at 0
(stopped before the promotion); a second run makes no mutating call.

All tests of this file run on one xdist worker (make integration's --dist loadfile), so that the module-scoped
fixture converges once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from support.iam_actions import deployer_policy, missing_actions


ROOT = Path(__file__).resolve().parents[2]
PRIMARY, DR = "us-east-1", "us-west-2"
PRIMARY_DB = "hybridcloud-lab-postgres"  # rds_postgres_identifier of inventories/lab
DR_NAME = "hybridcloud-lab-dr"  # network_name and ecs_cluster_name of inventories/lab/group_vars/aws_dr_controller


def run_standby(emulator_endpoint: str, lab_api: Any, directory: Path, **extra_vars: Any) -> dict[str, Any]:
    return run_dr_playbook("standby.yml", emulator_endpoint, lab_api, directory, **extra_vars)


def lab_playbook(playbook: str, emulator_endpoint: str, **extra_vars: Any) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a playbook of the repository with the lab inventory against the emulator."""
    # The lab's environment (`lab/emulator.sh env`): the ECS AMI lookup runs on the controller, outside module_defaults.
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        AWS_ENDPOINT_URL=emulator_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    # Without the on-prem hosts (they are the lab's, not this emulator's): their move in a failover and back is
    # tests/lab/test_dr_onprem.py's.
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")),
        "-i",
        str(ROOT / "inventories" / "lab"),
        "--limit",
        "all:!onprem",
        str(ROOT / "playbooks" / playbook),
    ]
    return [*command, "-e", json.dumps(extra_vars)], env


def run_dr_playbook(playbook: str, emulator_endpoint: str, lab_api: Any, directory: Path, **extra_vars: Any) -> dict[str, Any]:
    command, env = lab_playbook(f"dr/{playbook}", emulator_endpoint, **extra_vars)
    before = len(lab_api("GET", "/_lab/requests")[1]["requests"])
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=directory, check=False, timeout=600)
    calls = lab_api("GET", "/_lab/requests")[1]["requests"][before:]
    return {"rc": completed.returncode, "output": completed.stdout + completed.stderr, "calls": calls, "seconds": time.monotonic() - started}


def mutating(run: dict[str, Any]) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in run["calls"] if c["mutating"]]


def dr_region_state(aws: Any) -> dict[str, Any]:
    """What the DR region holds, read back with describe calls (the primary's instances too)."""
    ec2, ecs = aws("ec2", region=DR), aws("ecs", region=DR)
    (vpc,) = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [DR_NAME]}])["Vpcs"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    (cluster,) = ecs.describe_clusters(clusters=[DR_NAME], include=["SETTINGS"])["clusters"]
    providers = ecs.describe_capacity_providers(capacityProviders=cluster["capacityProviders"])["capacityProviders"]
    groups = aws("autoscaling", region=DR).describe_auto_scaling_groups()["AutoScalingGroups"]
    arns = ecs.list_services(cluster=DR_NAME)["serviceArns"]
    services = ecs.describe_services(cluster=DR_NAME, services=arns)["services"] if arns else []
    return {
        "vpc": vpc,
        "subnets": subnets,
        "databases": aws("rds", region=DR).describe_db_instances()["DBInstances"],
        "primary_databases": aws("rds", region=PRIMARY).describe_db_instances()["DBInstances"],
        "cluster": cluster,
        "providers": providers,
        "groups": groups,
        "container_instances": ecs.list_container_instances(cluster=DR_NAME)["containerInstanceArns"],
        "services": services,
        "load_balancers": aws("elbv2", region=DR).describe_load_balancers()["LoadBalancers"],
        "primary_vpcs": aws("ec2", region=PRIMARY).describe_vpcs(Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"],
    }


@pytest.fixture(scope="module")
def pilot_light(aws: Any, emulator_endpoint: str, lab_api: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The primary's database, then two runs with strategy pilot_light; the DR region as the first run left it."""
    lab_api("POST", "/_lab/reset")
    # The primary's instance in a DB subnet group of its own VPC, as every RDS instance is (made through the API).
    ec2 = aws("ec2", region=PRIMARY)
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.41.{i}.0/24", AvailabilityZone=f"{PRIMARY}{zone}")["Subnet"]["SubnetId"] for i, zone in enumerate("ab")
    ]
    aws("rds", region=PRIMARY).create_db_subnet_group(DBSubnetGroupName="primary-before", DBSubnetGroupDescription="the primary's", SubnetIds=subnets)
    primary = aws("rds", region=PRIMARY).create_db_instance(
        DBSubnetGroupName="primary-before",
        DBInstanceIdentifier=PRIMARY_DB,
        Engine="postgres",
        EngineVersion="16.4",
        DBInstanceClass="db.t4g.medium",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        MaxAllocatedStorage=100,
        StorageType="gp2",
        StorageEncrypted=True,
        MultiAZ=True,
    )["DBInstance"]
    directory = tmp_path_factory.mktemp("dr-standby")
    # The primary's network, which the failback places the primary's new instance in (the database layer's own
    # read), converged beside the standby's first run: the two regions share nothing.
    command, env = lab_playbook("aws/network.yml", emulator_endpoint)
    primary_network = subprocess.Popen(command, env=env, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = run_standby(emulator_endpoint, lab_api, directory, hybridcloud_dr_strategy="pilot_light")
    network_output = primary_network.communicate(timeout=600)[0]
    state = dr_region_state(aws) if first["rc"] == 0 else {}
    second = run_standby(emulator_endpoint, lab_api, directory, hybridcloud_dr_strategy="pilot_light") if first["rc"] == 0 else {}
    print(f"standby pilot_light: first run {first['seconds']:.1f} s, second {second.get('seconds', 0):.1f} s")
    failover = fail_over(aws, emulator_endpoint, lab_api, directory) if first["rc"] == 0 else {}
    failback = {}
    if failover and failover["first"]["rc"] == 0:
        assert primary_network.returncode == 0, network_output[-3000:]
        failback = fail_back(aws, emulator_endpoint, lab_api, directory)
    return {"primary": primary, "first": first, "second": second, "state": state, "failover": failover, "failback": failback}


def test_pilot_light_builds_the_dr_network_and_a_replica_of_the_primary(pilot_light: dict[str, Any]) -> None:
    first, state = pilot_light["first"], pilot_light["state"]
    assert first["rc"] == 0, first["output"][-4000:]
    # The primary region gains nothing from the standby: its VPCs are its network layer's and its database's, no
    # second database.
    assert sorted(v["CidrBlock"] for v in state["primary_vpcs"]) == ["10.40.0.0/16", "10.41.0.0/16"]
    assert [db["DBInstanceIdentifier"] for db in state["primary_databases"]] == [PRIMARY_DB]
    assert state["vpc"]["CidrBlock"] == "10.50.0.0/16"
    private = [s for s in state["subnets"] if not s["MapPublicIpOnLaunch"]]
    assert len({s["AvailabilityZone"] for s in private}) == 2 and all(s["AvailabilityZone"].startswith(DR) for s in private)
    (replica,) = state["databases"]
    assert replica["DBInstanceIdentifier"] == "hybridcloud-lab-postgres-dr"
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == pilot_light["primary"]["DBInstanceArn"]
    assert replica["DBSubnetGroup"]["VpcId"] == state["vpc"]["VpcId"]
    assert (replica["StorageEncrypted"], replica["PubliclyAccessible"], replica["DeletionProtection"]) == (True, False, True)
    # The deploying principal's policy (docs/iam) allows every call the standby made.
    assert missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in first["calls"]}) == []


def test_pilot_light_keeps_the_cluster_and_services_at_zero_behind_the_internal_alb(pilot_light: dict[str, Any]) -> None:
    assert pilot_light["first"]["rc"] == 0, pilot_light["first"]["output"][-4000:]
    state = pilot_light["state"]
    assert state["cluster"]["status"] == "ACTIVE"
    (provider,) = state["providers"]
    (group,) = [g for g in state["groups"] if g["AutoScalingGroupARN"] == provider["autoScalingGroupProvider"]["autoScalingGroupArn"]]
    assert (group["MinSize"], group["DesiredCapacity"], len(group["Instances"])) == (0, 0, 0)
    assert group["MaxSize"] >= 1  # managed scaling may place what a failover asks for
    assert state["container_instances"] == []
    # Every service of the inventory (web behind the ALB, worker, the on-prem onprem-web), each at zero tasks.
    assert sorted((s["serviceName"], s["desiredCount"], s["status"]) for s in state["services"]) == [
        ("onprem-web", 0, "ACTIVE"),
        ("web", 0, "ACTIVE"),
        ("worker", 0, "ACTIVE"),
    ]
    (alb,) = state["load_balancers"]
    assert (alb["LoadBalancerName"], alb["Scheme"], alb["VpcId"]) == ("hybridcloud-lab-dr-internal", "internal", state["vpc"]["VpcId"])


def test_a_second_pilot_light_run_makes_no_mutating_call(pilot_light: dict[str, Any]) -> None:
    second = pilot_light["second"]
    assert second and second["rc"] == 0, second.get("output", "first run failed")[-4000:]
    assert mutating(second) == []


def test_strategy_none_makes_no_aws_call(emulator_endpoint: str, lab_api: Any, tmp_path: Path) -> None:
    run = run_standby(emulator_endpoint, lab_api, tmp_path)  # the lab inventory's own strategy: none
    assert run["rc"] == 0, run["output"][-3000:]
    assert "End here unless the plan keeps a standby" in run["output"]
    assert run["calls"] == []


# Failover (playbooks/dr/failover.yml) on top of the pilot light above, with the primary region down -----------------
def fail_over(aws: Any, emulator_endpoint: str, lab_api: Any, directory: Path) -> dict[str, Any]:
    """With the primary region down (the emulator's outage switch): failover.yml unconfirmed, then confirmed twice.
    The DR region is read back once the primary answers again (the read includes the primary's databases).
    Called by the pilot_light fixture: every test here starts on an empty emulator (conftest's autouse reset), so the
    failover runs in the same fixture as the pilot light it fails over from."""
    strategy = {"hybridcloud_dr_strategy": "pilot_light"}
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    try:
        unconfirmed = run_dr_playbook("failover.yml", emulator_endpoint, lab_api, directory, **strategy)
        first = run_dr_playbook("failover.yml", emulator_endpoint, lab_api, directory, hybridcloud_dr_failover_confirm=DR, **strategy)
        second = run_dr_playbook("failover.yml", emulator_endpoint, lab_api, directory, hybridcloud_dr_failover_confirm=DR, **strategy)
    finally:
        assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    print(f"failover pilot_light with {PRIMARY} down: first run {first['seconds']:.1f} s, second {second['seconds']:.1f} s")
    return {"unconfirmed": unconfirmed, "first": first, "second": second, "state": dr_region_state(aws)}


@pytest.fixture
def failover(pilot_light: dict[str, Any]) -> dict[str, Any]:
    return pilot_light["failover"]


def test_failover_promotes_the_replica_and_scales_the_dr_region_with_the_primary_down(pilot_light: dict[str, Any], failover: dict[str, Any]) -> None:
    assert failover, "the pilot light failed"
    first, state = failover["first"], failover["state"]
    assert first["rc"] == 0, first["output"][-4000:]
    # The standby's own resources, changed in place: the same VPC and the same database, nothing built anew.
    standby = pilot_light["state"]
    assert state["vpc"]["VpcId"] == standby["vpc"]["VpcId"]
    assert [db["DbiResourceId"] for db in state["databases"]] == [db["DbiResourceId"] for db in standby["databases"]]
    assert "rds:PromoteReadReplica" in mutating(first)
    assert [call for call in mutating(first) if call.split(":")[1].startswith("Create")] == []
    # Nothing was sent to the region that was down: a call there is dropped (status 0) and fails its task.
    assert [c for c in first["calls"] if c["status"] == 0] == []
    (database,) = state["databases"]
    assert database["DBInstanceIdentifier"] == "hybridcloud-lab-postgres-dr"
    assert "ReadReplicaSourceDBInstanceIdentifier" not in database and not database.get("StatusInfos")
    # The standalone settings: automated backups, and a master secret managed by RDS in the DR region itself.
    assert database["BackupRetentionPeriod"] == 14 and database["MultiAZ"] is True
    assert f":secretsmanager:{DR}:" in database["MasterUserSecret"]["SecretArn"]
    (provider,) = state["providers"]
    (group,) = [g for g in state["groups"] if g["AutoScalingGroupARN"] == provider["autoScalingGroupProvider"]["autoScalingGroupArn"]]
    assert (group["MinSize"], group["DesiredCapacity"]) == (2, 2)  # hybridcloud_dr_sizes' default production size
    # The EC2 services at the production size; the on-prem service stays at zero (its hosts are the primary's).
    assert sorted((s["serviceName"], s["desiredCount"]) for s in state["services"]) == [("onprem-web", 0), ("web", 2), ("worker", 2)]
    assert missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in first["calls"]}) == []


# Failback (playbooks/dr/failback.yml) after the failover above, with the primary region answering again -------------
def fail_back(aws: Any, emulator_endpoint: str, lab_api: Any, directory: Path) -> dict[str, Any]:
    """failback.yml unconfirmed, then confirmed twice; both regions' databases read back after the first."""
    strategy = {"hybridcloud_dr_strategy": "pilot_light", "hybridcloud_dr_failback_lag_delay": 1}
    unconfirmed = run_dr_playbook("failback.yml", emulator_endpoint, lab_api, directory, **strategy)
    first = run_dr_playbook("failback.yml", emulator_endpoint, lab_api, directory, hybridcloud_dr_failback_confirm=PRIMARY, **strategy)
    state = dr_region_state(aws) if first["rc"] == 0 else {}
    second = run_dr_playbook("failback.yml", emulator_endpoint, lab_api, directory, hybridcloud_dr_failback_confirm=PRIMARY, **strategy)
    print(f"failback pilot_light: first run {first['seconds']:.1f} s, second {second['seconds']:.1f} s")
    return {"unconfirmed": unconfirmed, "first": first, "second": second, "state": state}


@pytest.fixture
def failback(pilot_light: dict[str, Any]) -> dict[str, Any]:
    return pilot_light["failback"]


def test_failback_makes_the_primary_the_writer_again_and_the_dr_region_its_replica(pilot_light: dict[str, Any], failback: dict[str, Any]) -> None:
    assert failback, "the pilot light or the failover failed"
    first, state = failback["first"], failback["state"]
    assert first["rc"] == 0, first["output"][-4000:]
    original = pilot_light["primary"]
    (dr_writer,) = pilot_light["failover"]["state"]["databases"]
    primary = {db["DBInstanceIdentifier"]: db for db in state["primary_databases"]}
    dr = {db["DBInstanceIdentifier"]: db for db in state["databases"]}
    # The primary identifier (and its endpoint name) is a new instance: the DR writer's replica, promoted.
    new_primary = primary.pop(PRIMARY_DB)
    assert new_primary["DbiResourceId"] != original["DbiResourceId"] and "ReadReplicaSourceDBInstanceIdentifier" not in new_primary
    assert {"Key": "hybridcloud:failback-source", "Value": dr_writer["DbiResourceId"]} in new_primary["TagList"]
    assert f":secretsmanager:{PRIMARY}:" in new_primary["MasterUserSecret"]["SecretArn"]
    # The stale instance from before the outage is kept under another name, never deleted.
    ((stale_name, stale),) = primary.items()
    assert stale_name.startswith(f"{PRIMARY_DB}-stale-") and stale["DbiResourceId"] == original["DbiResourceId"]
    # The DR region: a new read replica of the new primary under the DR identifier, the old DR writer kept renamed.
    replica = dr.pop("hybridcloud-lab-postgres-dr")
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == new_primary["DBInstanceArn"]
    ((retired_name, retired),) = dr.items()
    assert retired_name.startswith("hybridcloud-lab-postgres-dr-stale-") and retired["DbiResourceId"] == dr_writer["DbiResourceId"]
    # The DR region back at the pilot light's size: every service at zero, the group's minimum at zero (ECS managed
    # scaling, which the emulator does not run, would then scale the instances in).
    assert sorted((s["serviceName"], s["desiredCount"]) for s in state["services"]) == [("onprem-web", 0), ("web", 0), ("worker", 0)]
    (group,) = [g for g in state["groups"] if g["AutoScalingGroupName"] == f"{DR_NAME}-ecs"]
    assert group["MinSize"] == 0
    # The DR services stopped before the promotion.
    operations = [f"{c['service']}:{c['operation']}" for c in first["calls"]]
    # (the services scale to 0 through their scalable targets' new range, or UpdateService for those without one)
    stops = [i for i, op in enumerate(operations) if op.endswith(":RegisterScalableTarget") or op == "ecs:UpdateService"]
    assert stops and stops[0] < operations.index("rds:PromoteReadReplica")
    assert missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in first["calls"]}) == []


# Both playbooks: the typed confirmation, and a second run that changes nothing -------------------------------------
@pytest.mark.parametrize(("step", "confirmation"), [("failover", DR), ("failback", PRIMARY)])
def test_failover_and_failback_refuse_without_the_typed_confirmation_before_any_aws_call(pilot_light: dict[str, Any], step: str, confirmation: str) -> None:
    runs = pilot_light[step]
    assert runs, f"no {step}: an earlier stage failed"
    unconfirmed = runs["unconfirmed"]
    assert unconfirmed["rc"] != 0 and unconfirmed["calls"] == []
    assert f"confirm it with -e hybridcloud_dr_{step}_confirm={confirmation} (given: nothing)" in unconfirmed["output"]


@pytest.mark.parametrize("step", ["failover", "failback"])
def test_a_second_failover_or_failback_run_makes_no_mutating_call(pilot_light: dict[str, Any], step: str) -> None:
    runs = pilot_light[step]
    assert runs, f"no {step}: an earlier stage failed"
    assert runs["second"]["rc"] == 0, runs["second"]["output"][-4000:]
    assert mutating(runs["second"]) == []
