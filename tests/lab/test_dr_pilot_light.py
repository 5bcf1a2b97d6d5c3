"""Disaster recovery with strategy pilot_light on the converged shared lab (`make lab`): the job templates "hybridcloud
dr standby", "dr drill", "dr failover" and "dr failback" (playbooks/dr/standby.yml, failover.yml, failback.yml) as AWX runs them
(tests/support/lab_jobs.py), each confirmed run twice, with the lab inventory (the AWS side and the on-prem hosts);
the strategy is set in the job's inventory, as a team sets it in its own, and the confirmations are survey answers.

One module fixture, holding the lab lock, on the lab as the session's converge left it (the lab inventory's strategy
is none): standby.yml as it is (no AWS call), then with pilot_light twice; then, with us-east-1 down (the emulator's
outage switch), failover.yml unconfirmed and confirmed twice; then, with it back, failback.yml unconfirmed and
confirmed twice. The controller's calls of each run are taken from the emulator's request log (client 127.0.0.1:
the hosts' agents keep calling on their own).

Asserted with describe calls in both regions and on the hosts themselves (their SSM registration file, their ECS
agent's introspection API, their inner Docker):
- standby: the DR region has the VPC with private subnets in two zones, its virtual private gateway associated with
  the primary's Direct Connect gateway (advertising the DR VPC's range; the one virtual interface stays the primary's)
  and a VPN of its own to the same customer gateway with the same routes, propagated into its route tables, a read replica of the primary's database in
  it (encrypted, private, deletion protection), the cluster with its Auto Scaling group and capacity provider at zero,
  every service at 0 tasks, the internal ALB; the primary region gains neither a VPC nor a database; the internal
  name web.<zone> (inventories/lab: internal_dns_names) is a failover pair of alias records in a private zone of both
  VPCs, PRIMARY the primary's ALB, SECONDARY the DR region's, each on its region's alarm (HealthyHostCount of its ALB's
  web target group) through a health check, and answers the primary's ALB (Route 53's TestDNSAnswer, and dig on each
  host through its own resolver, which forwards to the lab's DNS server as a data center forwards to the Resolver
  inbound endpoint); the second run makes no mutating call; the deploying principal's policy (docs/iam) allows every call;
- failover (primary down): unconfirmed, no AWS call; confirmed, the replica promoted in place (standalone, backups,
  its own master secret in the DR region), the group and the EC2 services at the production size, nothing sent to
  the region that is down, nothing created; the internal name's PRIMARY record the DR region's ALB, the hosts' DNS
  answering it while us-east-1 is down and Route 53 also once it is back; each host a managed instance of us-west-2, Online, its agent a container
  instance of the DR cluster where onprem-web runs on the hosts at the production size and answers HTTP, no container
  of the primary cluster left on the hosts (it would hold the host port); the second run makes no mutating call;
- failback (primary back): unconfirmed, no AWS call; confirmed, the stale primary kept renamed, the primary identifier
  the DR writer's replica promoted (tagged with its DbiResourceId, its own master secret in us-east-1), the DR
  identifier a new replica of it, the old DR writer kept renamed, the DR services at 0 (stopped before the promotion);
  each host registered with us-east-1 again, in the primary cluster, where onprem-web runs on it; the DR region keeps
  neither managed nor container instances of the hosts; the primary keeps one managed instance per host and only the
  hosts' new container instances; the internal name answers the primary's ALB again (Route 53 and the hosts' DNS);
  the second run changes nothing
  and makes no mutating call.

The data, in the real PostgreSQL servers the lab runs behind its DB instances (lab/awsemu/extensions/rds_servers.py):
canary rows written to the primary stream to the DR replica; a last row is written just before the outage, which
freezes the primary's server; after the failover the DR writer holds every row the replica had (the output gives the
RPO in rows) and accepts a new one; after the failback the primary holds the DR writer's rows.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from support.iam_actions import deployer_policy, missing_actions
from support.lab_jobs import LabController
from support.lab_site import EMULATOR, HOSTS, changes, controller_calls, failures, in_host, lab_aws, lab_lock, lab_send, totals
from support.rds_canaries import Canary

pytestmark = pytest.mark.lab

PRIMARY, DR = "us-east-1", "us-west-2"
CLUSTERS = {PRIMARY: "hybridcloud-lab", DR: "hybridcloud-lab-dr"}
SERVICE = "onprem-web"
PRIMARY_DB = "hybridcloud-lab-postgres"  # rds_postgres_identifier of inventories/lab
ALBS = {PRIMARY: "hybridcloud-lab-internal", DR: "hybridcloud-lab-dr-internal"}  # load_balancer_name, both regions
ZONE, NAME = "internal.hybridcloud.lab", "web.internal.hybridcloud.lab"  # inventories/lab: internal_dns_*
DR_DB = f"{PRIMARY_DB}-dr"
HOST_PORT = 8080
CLUSTER_LABEL = "com.amazonaws.ecs.cluster"
STRATEGY = {"hybridcloud_dr_strategy": "pilot_light"}
STEADY_SECONDS = 120
# Rows written to the primary database before the outage (three, then one right before it), and one written to the DR
# writer after the failover (tests/support/rds_canaries.py).
CANARIES = ("1 before the outage", "2 before the outage", "3 before the outage", "4 just before the outage", "5 in the DR region after the failover")


def aws(service: str, region: str) -> Any:
    return lab_aws(service, region)


def lab_call(method: str, path: str, payload: Any = None) -> Any:
    return lab_send(EMULATOR, method, path, payload)


def host_state(host: str) -> dict[str, Any]:
    """What the host itself says: its SSM registration, its ECS agent's identity, the clusters of its task containers."""
    metadata = in_host(host, "curl -fs http://localhost:51678/v1/metadata || true")
    labels = in_host(host, f"docker ps --all --filter label={CLUSTER_LABEL} --format '{{{{.Label \"{CLUSTER_LABEL}\"}}}}'")
    return {
        "registration": json.loads(in_host(host, "cat /var/lib/amazon/ssm/registration")),
        "agent": json.loads(metadata) if metadata.strip() else {},
        "container_clusters": sorted(labels.split()),
    }


def managed_instances(region: str) -> dict[str, list[dict[str, Any]]]:
    """The hosts' managed instances in REGION (by their Name tag, as ssm_agent tags them)."""
    ssm = aws("ssm", region)
    found: dict[str, list[dict[str, Any]]] = {}
    for host in HOSTS:
        filters = [{"Key": "tag:Name", "Values": [host]}]
        found[host] = ssm.describe_instance_information(Filters=filters)["InstanceInformationList"]
    return found


def container_instances(region: str) -> list[dict[str, Any]]:
    ecs = aws("ecs", region)
    arns = ecs.list_container_instances(cluster=CLUSTERS[region], status="ACTIVE")["containerInstanceArns"]
    return ecs.describe_container_instances(cluster=CLUSTERS[region], containerInstances=arns)["containerInstances"] if arns else []


def steady_service(region: str) -> dict[str, Any]:
    """onprem-web in REGION once its running tasks are its desired count (or the last look when they never are)."""
    ecs, cluster = aws("ecs", region), CLUSTERS[region]
    deadline = time.monotonic() + STEADY_SECONDS
    while True:
        (service,) = ecs.describe_services(cluster=cluster, services=[SERVICE])["services"]
        arns = ecs.list_tasks(cluster=cluster, serviceName=SERVICE)["taskArns"]
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []
        running = [t for t in tasks if t["lastStatus"] == "RUNNING"]
        if (service["desiredCount"] and len(running) == service["desiredCount"] == service["runningCount"]) or time.monotonic() > deadline:
            return {"service": service, "tasks": running}
        time.sleep(1)


def answers(host: str) -> bool:
    """The task's container on HOST answers HTTP on its host port, asked from the other host."""
    other = next(h for h in HOSTS if h != host)
    return bool(in_host(other, f"curl -fs -m 5 http://{HOSTS[host]}:{HOST_PORT}/ || true").strip())


def resolved() -> dict[str, list[str]]:
    """What each host's DNS answers for the internal name: dig through the host's own resolver (Docker's, forwarding to
    the lab's DNS server, lab/resolver/). An alias to an ALB comes back as a CNAME to the ALB's DNS name."""
    return {host: in_host(host, f"dig +short +time=5 +tries=2 {NAME} A").split() for host in HOSTS}


def snapshot(region: str) -> dict[str, Any]:
    service = steady_service(region)
    return {
        "hosts": {host: host_state(host) for host in HOSTS},
        "service": service,
        "container_instances": container_instances(region),
        "answers": {host: answers(host) for host in HOSTS},
    }


def controller_run(jobs: LabController, template: str, inventory_vars: dict[str, Any] | None = None, **answers: str) -> dict[str, Any]:
    """A job template's run with the controller's calls it made (the emulator's request log from its start, client
    127.0.0.1) and its seconds. ANSWERS: the survey's."""
    started = time.time()
    document = jobs.launch(template, inventory_vars=inventory_vars, answers=answers)
    document["calls"] = controller_calls(started)
    document["seconds"] = time.time() - started
    return document


def mutating(run: dict[str, Any]) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in run["calls"] if c["mutating"]]


def said(run: dict[str, Any]) -> str:
    """Everything the run printed (the json callback's document), to look for a message in."""
    return json.dumps({key: value for key, value in run.items() if key != "calls"})


def region_state() -> dict[str, Any]:
    """What the DR region holds, read back with describe calls, and the primary's VPCs and databases."""
    ec2, ecs = aws("ec2", DR), aws("ecs", DR)
    (vpc,) = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [CLUSTERS[DR]]}])["Vpcs"]
    (cluster,) = ecs.describe_clusters(clusters=[CLUSTERS[DR]])["clusters"]
    arns = ecs.list_services(cluster=CLUSTERS[DR])["serviceArns"]
    return {
        "vpc": vpc,
        "subnets": ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"],
        "databases": databases(DR),
        "cluster": cluster,
        "providers": ecs.describe_capacity_providers(capacityProviders=cluster["capacityProviders"])["capacityProviders"],
        "groups": aws("autoscaling", DR).describe_auto_scaling_groups()["AutoScalingGroups"],
        "services": ecs.describe_services(cluster=CLUSTERS[DR], services=arns)["services"] if arns else [],
        "load_balancers": aws("elbv2", DR).describe_load_balancers()["LoadBalancers"],
        "primary": primary_state(),
        "dns": dns_state(),
    }


def connectivity_state(dr_vpc_id: str) -> dict[str, Any]:
    """How the data center reaches each region: the virtual private gateway on each region's VPC, the Direct Connect
    gateway's associations (the gateway is global) with each association's region, each region's VPN connections and
    virtual interfaces, and which private route tables of the DR VPC propagate its gateway."""
    found: dict[str, Any] = {"vgws": {}, "vpns": {}, "interfaces": {}}
    vpcs = {DR: dr_vpc_id, PRIMARY: aws("elbv2", PRIMARY).describe_load_balancers(Names=[ALBS[PRIMARY]])["LoadBalancers"][0]["VpcId"]}
    for region, vpc_id in vpcs.items():
        ec2 = aws("ec2", region)
        gateways = ec2.describe_vpn_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["VpnGateways"]
        found["vgws"][region] = [g for g in gateways if g["State"] == "available"]
        ids = [g["VpnGatewayId"] for g in found["vgws"][region]]
        connections = ec2.describe_vpn_connections(Filters=[{"Name": "vpn-gateway-id", "Values": ids}])["VpnConnections"] if ids else []
        found["vpns"][region] = [c for c in connections if c["State"] != "deleted"]
        found["interfaces"][region] = aws("directconnect", region).describe_virtual_interfaces()["virtualInterfaces"]
    directconnect = aws("directconnect", DR)
    (gateway,) = [g for g in directconnect.describe_direct_connect_gateways()["directConnectGateways"] if g["directConnectGatewayState"] == "available"]
    associations = directconnect.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway["directConnectGatewayId"])
    found["associations"] = [a for a in associations["directConnectGatewayAssociations"] if a["associationState"] == "associated"]
    tables = aws("ec2", DR).describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [dr_vpc_id]}])["RouteTables"]
    found["propagating"] = sorted({g["GatewayId"] for t in tables for g in t.get("PropagatingVgws", [])})
    return found


def dns_state() -> dict[str, Any]:
    """The internal name as Route 53 holds it: the private zone's VPCs, the name's record sets with their health
    checks' alarms, the answer Route 53 gives (TestDNSAnswer), and both regions' ALBs (name to DNS name)."""
    route53 = aws("route53", PRIMARY)
    zones = [z for z in route53.list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"] if z["Name"] == ZONE + "."]
    if not zones:
        return {"zones": 0}
    zone_id = zones[0]["Id"].split("/")[-1]
    records = [r for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"] if r["Name"] == NAME + "."]
    alarms = {}
    for record in records:
        config = route53.get_health_check(HealthCheckId=record["HealthCheckId"])["HealthCheck"]["HealthCheckConfig"]
        region, name = config["AlarmIdentifier"]["Region"], config["AlarmIdentifier"]["Name"]
        alarms[record["SetIdentifier"]] = aws("cloudwatch", region).describe_alarms(AlarmNames=[name])["MetricAlarms"]
    albs = {}
    for region, name in ALBS.items():
        (alb,) = aws("elbv2", region).describe_load_balancers(Names=[name])["LoadBalancers"]
        albs[region] = alb
    answer = route53.test_dns_answer(HostedZoneId=zone_id, RecordName=NAME, RecordType="A")
    return {
        "resolved": {host: [region_of(albs, value) for value in values] for host, values in resolved().items()},
        "zones": len(zones),
        "vpcs": sorted((v["VPCRegion"], v["VPCId"]) for v in route53.get_hosted_zone(Id=zone_id)["VPCs"]),
        "records": records,
        "alarms": alarms,
        "albs": albs,
        "answer": [region_of(albs, value) for value in answer["RecordData"]],
    }


def region_of(albs: dict[str, dict[str, Any]], dns_name: str) -> str:
    """The region whose ALB has DNS_NAME (case and a trailing dot aside), else DNS_NAME itself."""
    return next((region for region, alb in albs.items() if alb["DNSName"].lower() == dns_name.rstrip(".").lower()), dns_name)


def primary_of(dns: dict[str, Any]) -> str:
    """The region whose ALB the name's PRIMARY failover record aliases."""
    (primary,) = [r for r in dns["records"] if r["Failover"] == "PRIMARY"]
    return region_of(dns["albs"], primary["AliasTarget"]["DNSName"])


def primary_state() -> dict[str, Any]:
    return {"vpcs": sorted(v["VpcId"] for v in aws("ec2", PRIMARY).describe_vpcs()["Vpcs"]), "databases": databases(PRIMARY)}


def databases(region: str) -> dict[str, dict[str, Any]]:
    """The lab database's instances in REGION (the primary's identifier and what a DR step named after it)."""
    found = aws("rds", region).describe_db_instances()["DBInstances"]
    return {db["DBInstanceIdentifier"]: db for db in found if db["DBInstanceIdentifier"].startswith(PRIMARY_DB)}


def group_of(state: dict[str, Any]) -> dict[str, Any]:
    """The DR cluster's Auto Scaling group: the one its capacity provider names."""
    (provider,) = state["providers"]
    arn = provider["autoScalingGroupProvider"]["autoScalingGroupArn"]
    (group,) = [g for g in state["groups"] if g["AutoScalingGroupARN"] == arn]
    return group


def allowed(run: dict[str, Any]) -> list[str]:
    """The calls of RUN that the deploying principal's policy (docs/iam) does not allow."""
    return missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in run["calls"]})


@pytest.fixture(scope="module")
def dr(converge_document: dict[str, Any], lab_controller: LabController) -> dict[str, Any]:
    """Every run and read of the module (see the module's docstring), stopping at the first confirmed run that fails."""
    if converge_document["rc"] != 0 or totals(converge_document, "failures") + totals(converge_document, "unreachable"):
        pytest.fail(f"the lab's converge failed: {failures(converge_document)[:5]}")
    result: dict[str, Any] = {"before": {host: host_state(host) for host in HOSTS}, "primary_before": primary_state()}
    with lab_lock():
        if _standby(result, lab_controller) and _failover(result, lab_controller):
            _failback(result, lab_controller)
    print(" ".join(f"{name} {run['seconds']:.0f} s;" for name, run in result.items() if isinstance(run, dict) and "seconds" in run))
    return result


def _standby(result: dict[str, Any], jobs: LabController) -> bool:
    result["standby_none"] = controller_run(jobs, "hybridcloud dr standby")  # the lab inventory's own strategy
    result["standby"] = controller_run(jobs, "hybridcloud dr standby", STRATEGY)
    if result["standby"]["rc"] != 0:
        return False
    result["after_standby"] = region_state()
    result["after_standby"]["connectivity"] = connectivity_state(result["after_standby"]["vpc"]["VpcId"])
    result["second_standby"] = controller_run(jobs, "hybridcloud dr standby", STRATEGY)
    # Canary rows in the primary's real server (LAB_RDS_SERVERS), streamed to the DR replica's.
    primary, replica = Canary(PRIMARY, PRIMARY_DB), Canary(DR, DR_DB)
    for note in CANARIES[:3]:
        primary.write(note)
    replica.wait_for(list(CANARIES[:3]))
    result["canaries"] = {"replicated": replica.notes()}
    # The rehearsal on the standby, while the primary serves: what the DR vault holds, the DR replica's lag.
    back_up_the_primary_database()
    result["drill"] = controller_run(jobs, "hybridcloud dr drill", STRATEGY)
    return True


def back_up_the_primary_database() -> None:
    """What the backup plan's rule does when its schedule fires (the emulator runs no schedule): a recovery point of
    the primary database in the lab's vault, copied to the DR vault (inventories/lab: backup_vault_name and its -dr
    twin, the backup role's service role)."""
    account = aws("sts", PRIMARY).get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/hybridcloud-lab-backup"
    backup = aws("backup", PRIMARY)
    dr_vault = aws("backup", DR).describe_backup_vault(BackupVaultName="hybridcloud-lab-dr")["BackupVaultArn"]
    database = databases(PRIMARY)[PRIMARY_DB]["DBInstanceArn"]
    point = backup.start_backup_job(BackupVaultName="hybridcloud-lab", ResourceArn=database, IamRoleArn=role)["RecoveryPointArn"]
    backup.start_copy_job(RecoveryPointArn=point, SourceBackupVaultName="hybridcloud-lab", DestinationBackupVaultArn=dr_vault, IamRoleArn=role)


def _failover(result: dict[str, Any], jobs: LabController) -> bool:
    template = "hybridcloud dr failover"
    # A last row written to the primary, and at once the outage (the primary's server stops mid-sentence): whether the
    # replica received it is the race a real outage runs.
    primary = Canary(PRIMARY, PRIMARY_DB)
    primary.write(CANARIES[3])
    result["canaries"]["written"] = primary.notes()
    lab_call("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})
    try:
        result["unconfirmed_failover"] = controller_run(jobs, template, STRATEGY)  # the survey's default: empty
        result["failover"] = controller_run(jobs, template, STRATEGY, hybridcloud_dr_failover_confirm=DR)
        if result["failover"]["rc"] != 0:
            return False
        result["after_failover"] = snapshot(DR)
        result["after_failover"]["resolved_while_down"] = resolved()  # read as names: the primary's ALBs do not answer
        result["after_failover"]["managed_instances"] = managed_instances(DR)
        dr_writer = Canary(DR, DR_DB)
        result["canaries"]["after_failover"] = dr_writer.notes()
        dr_writer.write(CANARIES[4])
        result["canaries"]["dr_writes"] = dr_writer.notes()
        result["second_failover"] = controller_run(jobs, template, STRATEGY, hybridcloud_dr_failover_confirm=DR)
    finally:
        lab_call("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})
    result["after_failover"]["aws"] = region_state()
    return True


def _failback(result: dict[str, Any], jobs: LabController) -> bool:
    template, back = "hybridcloud dr failback", {**STRATEGY, "hybridcloud_dr_failback_lag_delay": 1}
    result["unconfirmed_failback"] = controller_run(jobs, template, back)
    result["failback"] = controller_run(jobs, template, back, hybridcloud_dr_failback_confirm=PRIMARY)
    if result["failback"]["rc"] != 0:
        return False
    after = result["after_failback"] = snapshot(PRIMARY)
    after.update(managed_instances=managed_instances(PRIMARY), dr_managed_instances=managed_instances(DR), dr_container_instances=container_instances(DR))
    after["aws"] = region_state()
    result["canaries"]["after_failback"] = Canary(PRIMARY, PRIMARY_DB).notes()
    result["second_failback"] = controller_run(jobs, template, back, hybridcloud_dr_failback_confirm=PRIMARY)
    return True


def confirmed_run(dr: dict[str, Any], name: str) -> dict[str, Any]:
    run = dr.get(name)
    assert run is not None, f"no {name}: an earlier run failed"
    assert run["rc"] == 0, failures(run)[:5]
    return run


# --- standby ---------------------------------------------------------------------------------------------------------
def test_standby_without_a_strategy_makes_no_aws_call(dr: dict[str, Any]) -> None:
    run = dr["standby_none"]
    assert run["rc"] == 0, failures(run)[:5]
    assert "End here unless the plan keeps a standby" in said(run)
    assert run["calls"] == []


def test_pilot_light_builds_the_dr_network_and_a_replica_of_the_primary(dr: dict[str, Any]) -> None:
    run, state = confirmed_run(dr, "standby"), dr["after_standby"]
    # The primary region gains nothing from the standby: neither a VPC nor a database.
    assert state["primary"]["vpcs"] == dr["primary_before"]["vpcs"]
    assert sorted(state["primary"]["databases"]) == sorted(dr["primary_before"]["databases"]) == [PRIMARY_DB]
    assert state["vpc"]["CidrBlock"] == "10.50.0.0/16"
    private = [s for s in state["subnets"] if not s["MapPublicIpOnLaunch"]]
    assert len({s["AvailabilityZone"] for s in private}) == 2 and all(s["AvailabilityZone"].startswith(DR) for s in private)
    (replica,) = state["databases"].values()
    assert replica["DBInstanceIdentifier"] == DR_DB
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == dr["primary_before"]["databases"][PRIMARY_DB]["DBInstanceArn"]
    assert replica["DBSubnetGroup"]["VpcId"] == state["vpc"]["VpcId"]
    assert (replica["StorageEncrypted"], replica["PubliclyAccessible"], replica["DeletionProtection"]) == (True, False, True)
    assert allowed(run) == []


def test_pilot_light_keeps_the_cluster_and_services_at_zero_behind_the_internal_alb(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "standby")
    state = dr["after_standby"]
    assert state["cluster"]["status"] == "ACTIVE"
    group = group_of(state)
    assert (group["MinSize"], group["DesiredCapacity"], len(group["Instances"])) == (0, 0, 0)
    assert group["MaxSize"] >= 1  # managed scaling may place what a failover asks for
    # Every service of the inventory (web behind the ALB, worker, the on-prem onprem-web), each at zero tasks.
    assert sorted((s["serviceName"], s["desiredCount"], s["status"]) for s in state["services"]) == [
        ("onprem-web", 0, "ACTIVE"),
        ("web", 0, "ACTIVE"),
        ("worker", 0, "ACTIVE"),
    ]
    (alb,) = state["load_balancers"]
    assert (alb["LoadBalancerName"], alb["Scheme"], alb["VpcId"]) == ("hybridcloud-lab-dr-internal", "internal", state["vpc"]["VpcId"])


def test_pilot_light_routes_the_internal_name_to_the_primary_failing_over_to_the_dr_region(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "standby")
    state, dns = dr["after_standby"], dr["after_standby"]["dns"]
    primary_vpc = dns["albs"][PRIMARY]["VpcId"]
    assert dns["zones"] == 1 and dns["vpcs"] == sorted([(PRIMARY, primary_vpc), (DR, state["vpc"]["VpcId"])])
    assert sorted((r["SetIdentifier"], r["Type"], r["Failover"]) for r in dns["records"]) == [
        (f"web-{PRIMARY}", "A", "PRIMARY"),
        (f"web-{DR}", "A", "SECONDARY"),
    ]
    for record in dns["records"]:
        region = record["SetIdentifier"].removeprefix("web-")
        alb = dns["albs"][region]
        assert record["AliasTarget"]["HostedZoneId"] == alb["CanonicalHostedZoneId"]
        assert region_of(dns["albs"], record["AliasTarget"]["DNSName"]) == region
        # The region's health: its alarm on the healthy targets of its ALB's web target group, in that region.
        (alarm,) = dns["alarms"][record["SetIdentifier"]]
        dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
        assert alarm["AlarmArn"].split(":")[3] == region and alarm["MetricName"] == "HealthyHostCount"
        assert dimensions["LoadBalancer"] == alb["LoadBalancerArn"].split(":loadbalancer/")[1]
        assert dimensions["TargetGroup"].startswith("targetgroup/hybridcloud-lab-web/")
    assert primary_of(dns) == PRIMARY and dns["answer"] == [PRIMARY]
    assert dns["resolved"] == {host: [PRIMARY] for host in HOSTS}


def test_pilot_light_reaches_the_data_center_through_direct_connect_and_a_vpn(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "standby")
    state = dr["after_standby"]
    links = state["connectivity"]
    ((dr_vgw,), (primary_vgw,)) = links["vgws"][DR], links["vgws"][PRIMARY]
    # One Direct Connect gateway (global), associated with both regions' virtual private gateways, each advertising its
    # own VPC's range to the data center; the private virtual interface stays the primary's alone.
    by_gateway = {a["associatedGateway"]["id"]: a for a in links["associations"]}
    assert sorted(by_gateway) == sorted([dr_vgw["VpnGatewayId"], primary_vgw["VpnGatewayId"]])
    assert by_gateway[dr_vgw["VpnGatewayId"]]["associatedGateway"]["region"] == DR
    prefixes = [p["cidr"] for p in by_gateway[dr_vgw["VpnGatewayId"]]["allowedPrefixesToDirectConnectGateway"]]
    assert prefixes == [state["vpc"]["CidrBlock"]]
    assert links["interfaces"][DR] == [] and len(links["interfaces"][PRIMARY]) == 1
    # A VPN of the DR region's own, to the same customer gateway address, routing the data center's ranges.
    ((dr_vpn,), (primary_vpn,)) = links["vpns"][DR], links["vpns"][PRIMARY]
    assert dr_vpn["State"] == "available"
    routes = [sorted(r["DestinationCidrBlock"] for r in vpn["Routes"]) for vpn in (dr_vpn, primary_vpn)]
    assert routes[0] == routes[1] and routes[0]
    customer_gateways = [
        aws("ec2", region).describe_customer_gateways(CustomerGatewayIds=[vpn["CustomerGatewayId"]])["CustomerGateways"][0]
        for region, vpn in ((DR, dr_vpn), (PRIMARY, primary_vpn))
    ]
    assert customer_gateways[0]["IpAddress"] == customer_gateways[1]["IpAddress"]
    assert links["propagating"] == [dr_vgw["VpnGatewayId"]]


# --- failover and failback: the typed confirmation, the second run ------------------------------------------------------
@pytest.mark.parametrize(("step", "confirmation"), [("failover", DR), ("failback", PRIMARY)])
def test_failover_and_failback_refuse_without_the_typed_confirmation_before_any_aws_call(dr: dict[str, Any], step: str, confirmation: str) -> None:
    unconfirmed = dr.get(f"unconfirmed_{step}")
    assert unconfirmed is not None, f"no {step}: an earlier run failed"
    assert unconfirmed["rc"] != 0 and unconfirmed["calls"] == []
    assert f"confirm it with -e hybridcloud_dr_{step}_confirm={confirmation} (given: nothing)" in said(unconfirmed)


@pytest.mark.parametrize("step", ["standby", "failover", "failback"])
def test_a_second_run_changes_nothing_and_makes_no_mutating_call(dr: dict[str, Any], step: str) -> None:
    second = confirmed_run(dr, f"second_{step}")
    assert changes(second) == []
    assert second["calls"] and mutating(second) == []


# --- failover, with the primary region down -------------------------------------------------------------------------
def test_failover_promotes_the_replica_and_scales_the_dr_region_with_the_primary_down(dr: dict[str, Any]) -> None:
    run, state, standby = confirmed_run(dr, "failover"), dr["after_failover"]["aws"], dr["after_standby"]
    # The standby's own resources, changed in place: the same VPC and the same database, nothing built anew.
    assert state["vpc"]["VpcId"] == standby["vpc"]["VpcId"]
    assert [db["DbiResourceId"] for db in state["databases"].values()] == [db["DbiResourceId"] for db in standby["databases"].values()]
    assert "rds:PromoteReadReplica" in mutating(run)
    assert [call for call in mutating(run) if call.split(":")[1].startswith("Create")] == []
    # Nothing was sent to the region that was down: a call there is dropped (status 0) and fails its task.
    assert [c for c in run["calls"] if c["status"] == 0] == []
    database = state["databases"][DR_DB]
    assert "ReadReplicaSourceDBInstanceIdentifier" not in database and not database.get("StatusInfos")
    # The standalone settings: automated backups, and a master secret managed by RDS in the DR region itself.
    assert database["BackupRetentionPeriod"] == 14 and database["MultiAZ"] is True
    assert f":secretsmanager:{DR}:" in database["MasterUserSecret"]["SecretArn"]
    group = group_of(state)
    assert (group["MinSize"], group["DesiredCapacity"]) == (2, 2)  # hybridcloud_dr_sizes' default production size
    # Every service at the production size, onprem-web too (its hosts moved to the DR region).
    assert sorted((s["serviceName"], s["desiredCount"]) for s in state["services"]) == [("onprem-web", 2), ("web", 2), ("worker", 2)]
    assert allowed(run) == []


def test_failover_loses_no_row_the_replica_had_and_the_dr_writer_accepts_writes(dr: dict[str, Any]) -> None:
    """RPO in rows, read back from the real servers: every row the replica had received before the outage is in the
    promoted DR writer; of the row written just before the outage, the output says whether it arrived."""
    confirmed_run(dr, "failover")
    canaries = dr["canaries"]
    assert canaries["written"] == list(CANARIES[:4])
    kept = canaries["after_failover"]
    assert kept[: len(canaries["replicated"])] == canaries["replicated"] == list(CANARIES[:3])
    lost = [note for note in canaries["written"] if note not in kept]
    print(f"RPO of the pilot light failover: {len(lost)} of {len(canaries['written'])} canary rows lost {lost}")
    assert lost in ([], [CANARIES[3]])
    assert canaries["dr_writes"] == [*kept, CANARIES[4]]


def test_failover_switches_the_internal_name_to_the_dr_region_and_it_holds_with_the_primary_back(dr: dict[str, Any]) -> None:
    run, dns = confirmed_run(dr, "failover"), dr["after_failover"]["aws"]["dns"]
    assert "route53:ChangeResourceRecordSets" in mutating(run)
    assert primary_of(dns) == DR
    # On the hosts while us-east-1 is down: the data center's DNS answers the DR region's ALB.
    while_down = dr["after_failover"]["resolved_while_down"]
    assert {host: [region_of(dns["albs"], value) for value in values] for host, values in while_down.items()} == {host: [DR] for host in HOSTS}
    # Read once us-east-1 answers again: the name stays with the DR region, where the database writer now is.
    assert dns["answer"] == [DR] and dns["resolved"] == {host: [DR] for host in HOSTS}


def test_failover_registers_the_hosts_in_the_dr_region_and_runs_their_service_there(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "failover")
    before, after = dr["before"], dr["after_failover"]
    for host, state in after["hosts"].items():
        assert state["registration"]["Region"] == DR
        # A new managed instance of the DR region, Online there (its agent's heartbeats arrive).
        assert state["registration"]["ManagedInstanceID"] != before[host]["registration"]["ManagedInstanceID"]
        (instance,) = after["managed_instances"][host]
        assert (instance["InstanceId"], instance["PingStatus"]) == (state["registration"]["ManagedInstanceID"], "Online")
        assert state["agent"]["Cluster"] == CLUSTERS[DR] and f":ecs:{DR}:" in state["agent"]["ContainerInstanceArn"]
        # Only the DR cluster's task containers: the primary's were removed (they held the host port).
        assert state["container_clusters"] and set(state["container_clusters"]) == {CLUSTERS[DR]}
    instances = {i["containerInstanceArn"]: i["ec2InstanceId"] for i in after["container_instances"]}
    assert sorted(instances.values()) == sorted(s["registration"]["ManagedInstanceID"] for s in after["hosts"].values())
    service, tasks = after["service"]["service"], after["service"]["tasks"]
    assert service["desiredCount"] == 2 and service["runningCount"] == 2  # hybridcloud_dr_sizes' production tasks
    assert {t["containerInstanceArn"] for t in tasks} == set(instances)
    assert all(after["answers"].values()), after["answers"]


# --- failback, with the primary region back ------------------------------------------------------------------------
def test_failback_makes_the_primary_the_writer_again_and_the_dr_region_its_replica(dr: dict[str, Any]) -> None:
    run, state = confirmed_run(dr, "failback"), dr["after_failback"]["aws"]
    original = dr["primary_before"]["databases"][PRIMARY_DB]
    dr_writer = dr["after_failover"]["aws"]["databases"][DR_DB]
    primary, dr_region = dict(state["primary"]["databases"]), dict(state["databases"])
    # The primary identifier (and its endpoint name) is a new instance: the DR writer's replica, promoted.
    new_primary = primary.pop(PRIMARY_DB)
    assert new_primary["DbiResourceId"] != original["DbiResourceId"] and "ReadReplicaSourceDBInstanceIdentifier" not in new_primary
    assert {"Key": "hybridcloud:failback-source", "Value": dr_writer["DbiResourceId"]} in new_primary["TagList"]
    assert f":secretsmanager:{PRIMARY}:" in new_primary["MasterUserSecret"]["SecretArn"]
    # The stale instance from before the outage is kept under another name, never deleted.
    ((stale_name, stale),) = primary.items()
    assert stale_name.startswith(f"{PRIMARY_DB}-stale-") and stale["DbiResourceId"] == original["DbiResourceId"]
    # The DR region: a new read replica of the new primary under the DR identifier, the old DR writer kept renamed.
    replica = dr_region.pop(DR_DB)
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == new_primary["DBInstanceArn"]
    ((retired_name, retired),) = dr_region.items()
    assert retired_name.startswith(f"{DR_DB}-stale-") and retired["DbiResourceId"] == dr_writer["DbiResourceId"]
    # The DR region back at the pilot light's size: every service at zero, the group's minimum at zero.
    assert sorted((s["serviceName"], s["desiredCount"]) for s in state["services"]) == [("onprem-web", 0), ("web", 0), ("worker", 0)]
    assert group_of(state)["MinSize"] == 0
    # The DR services stopped before the promotion (through their scalable targets' new range, or UpdateService for
    # those without one).
    operations = [f"{c['service']}:{c['operation']}" for c in run["calls"]]
    stops = [i for i, op in enumerate(operations) if op.endswith(":RegisterScalableTarget") or op == "ecs:UpdateService"]
    assert stops and stops[0] < operations.index("rds:PromoteReadReplica")
    assert allowed(run) == []


def test_failback_brings_the_dr_writer_s_rows_back_to_the_primary(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "failback")
    assert dr["canaries"]["after_failback"] == dr["canaries"]["dr_writes"]


def test_failback_switches_the_internal_name_back_to_the_primary(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "failback")
    dns = dr["after_failback"]["aws"]["dns"]
    assert primary_of(dns) == PRIMARY and dns["answer"] == [PRIMARY]
    assert dns["resolved"] == {host: [PRIMARY] for host in HOSTS}
    assert dns["vpcs"] == dr["after_standby"]["dns"]["vpcs"]


def test_failback_registers_the_hosts_in_the_primary_region_and_leaves_nothing_behind(dr: dict[str, Any]) -> None:
    confirmed_run(dr, "failback")
    after = dr["after_failback"]
    for host, state in after["hosts"].items():
        assert state["registration"]["Region"] == PRIMARY
        assert state["agent"]["Cluster"] == CLUSTERS[PRIMARY] and f":ecs:{PRIMARY}:" in state["agent"]["ContainerInstanceArn"]
        assert state["container_clusters"] and set(state["container_clusters"]) == {CLUSTERS[PRIMARY]}
        # One managed instance per host in the primary: the one from before the failover was deregistered.
        (instance,) = after["managed_instances"][host]
        assert instance["InstanceId"] == state["registration"]["ManagedInstanceID"]
        assert after["dr_managed_instances"][host] == []
    # The primary cluster holds only the hosts' new container instances; the DR cluster none.
    assert sorted(i["ec2InstanceId"] for i in after["container_instances"]) == sorted(s["registration"]["ManagedInstanceID"] for s in after["hosts"].values())
    assert after["dr_container_instances"] == []
    service, tasks = after["service"]["service"], after["service"]["tasks"]
    assert service["runningCount"] == service["desiredCount"] > 0
    assert {t["containerInstanceArn"] for t in tasks} <= {i["containerInstanceArn"] for i in after["container_instances"]}
    assert all(after["answers"].values()), after["answers"]


# --- drill -----------------------------------------------------------------------------------------------------------
def test_the_drill_rehearses_on_the_standby_and_leaves_no_scratch_resource(dr: dict[str, Any]) -> None:
    """The drill job on the pilot light standby passes: the DR replica's lag is read and judged, the latest recovery
    point of the primary database in the DR vault is restored into a scratch instance and read back, and no scratch
    resource is left afterwards; it writes nothing but the restore and the scratch instance's tags and deletion."""
    run = confirmed_run(dr, "drill")
    verdict = re.search(r"Drill (\S+) passed: (\d+) of (\d+) resource\(s\) restored and read back", said(run))
    assert verdict and int(verdict[2]) == int(verdict[3]) >= 1, said(run)[-3000:]
    assert DR_DB in said(run)  # the replica whose lag was judged
    scratch = [db["DBInstanceIdentifier"] for db in aws("rds", DR).describe_db_instances()["DBInstances"]]
    scratch += [bucket["Name"] for bucket in aws("s3", DR).list_buckets()["Buckets"]]
    assert [name for name in scratch if name.startswith(f"hcdrill-{verdict[1]}")] == []
    assert set(mutating(run)) == {"backup:StartRestoreJob", "rds:AddTagsToResource", "rds:DeleteDBInstance"}
    # Restored into the standby's network (its DB subnet group), not the DR region's default VPC, as the drill read
    # each scratch instance back.
    read_back = [
        instance
        for play in run["plays"]
        for task in play["tasks"]
        if task["task"]["name"] == "Read back each scratch DB instance until it is available"
        for result in task["hosts"].values()
        for item in result.get("results", [])
        for instance in item["instances"]
    ]
    assert read_back and {instance["db_subnet_group"]["db_subnet_group_name"] for instance in read_back} == {DR_DB}
    assert {instance["db_subnet_group"]["vpc_id"] for instance in read_back} == {dr["after_standby"]["vpc"]["VpcId"]}
