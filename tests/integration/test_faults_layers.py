"""Every create of a layer "applied, then failed" at once (issue 15 item 5): the emulator carries out the first call of
each create operation and answers a 500 InternalError instead of its answer, as a lost answer leaves a client that
cannot tell whether its call happened. The role runs that meet these answers (a run that fails on one ends there, the
next run meets the creates after it), then a green rerun, must leave exactly one of each resource of the layer
(counted with describe calls), and a further run makes no mutating call. Every other call of these runs is throttled
at 20 % (seeded), as a busy account throttles, with the inventories' botocore retries (standard mode, 10 attempts):
each layer converges through both at once. The create operations are every Create*,
Allocate*, Activate* and Register* operation of the layer's services in botocore's service models, so a create the
layer starts making is covered without editing this file; each test asserts which of them the runs met.

botocore repeats a create answered 500. Where the create has a client token or a unique name, the repeat finds the
resource or fails on the name, and the next run goes on (most runs that meet a lost answer fail that way: the
upstream modules do not look again after an AlreadyExists). Where it has neither, the repeat makes a twin: the
collection's own such creates look before they create again (ssm_activation, storagegateway_gateway,
ecs_capacity_provider, ssm_association), the two upstream ones are measured in test_upstream_create_whose_answer_is_lost
(strict xfail, README Known gaps). ecs_services runs its EC2 worker and its external agent (not the ALB service)."""

from __future__ import annotations

import time
from pathlib import Path

import botocore.session
import pytest
import yaml
from integration import test_faults_killed as killed
from integration import test_role_backup as backup_role
from integration import test_role_container_registry as registry_role
from integration import test_role_ecs_cluster as cluster_role
from integration import test_role_ecs_services as services_role
from integration import test_role_file_gateway as file_gateway_role
from integration import test_role_hybrid_connectivity as connectivity_role
from integration import test_role_load_balancer as load_balancer_role
from integration import test_role_network as network_role
from integration import test_role_rds_postgres as rds_role
from integration import test_role_systems_manager as systems_manager_role
from integration.test_role_file_gateway import activation_key  # noqa: F401 (fixture)
from integration.test_role_ecs_services import platform  # noqa: F401 (fixture)
from integration.test_role_hybrid_connectivity import dx, ec2, site  # noqa: F401 (fixtures)

# Marked faults: make test runs them apart from the other integration tests, after the static checks in their lane
# (scripts/test.sh); `make faults` runs them alone. With test_faults_layers.py: 332 CPU seconds (2026-12-08).
pytestmark = pytest.mark.faults

CREATE_PREFIXES = ("Create", "Allocate", "Activate", "Register")
# Every other call of the layer's runs throttled at 20 % (seeded), with botocore's retries as the inventories set them
# (hybridcloud_aws_config: standard mode, 10 attempts; botocore's default 3 fail a converge: test_faults_throttling.py).
THROTTLED = {"service": "*", "error": "ThrottlingException", "rate": 0.2, "seed": 224}
# Lookups (amazon.aws.ssm_parameter) ignore aws_config: the environment carries their retries, as the production
# inventory documents for the controller (inventories/production/group_vars/all/aws.yml).
LOOKUP_RETRIES = {"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "11"}
AWS_CONFIG = yaml.safe_load((Path(__file__).resolve().parents[2] / "inventories/lab/group_vars/all/aws.yml").read_text())["hybridcloud_aws_config"]


def creates_of(*services):
    """The create operations of these services (botocore names), as the emulator's fault rules name them."""
    session = botocore.session.get_session()
    return sorted({name for service in services for name in session.get_service_model(service).operation_names if name.startswith(CREATE_PREFIXES)})


def fail_every_create_once(lab_api, services, but=(), picks=None):
    """One "applied" rule per create operation (but those named): its first call takes effect and answers 500, later
    calls pass; picks: operation -> other counting (every, offset) for that operation. Every other call is throttled
    at THROTTLED's rate (the first rule that matches a call decides: a create is never throttled)."""
    operations = [operation for operation in creates_of(*services) if operation not in but]
    rules = [
        {"service": "*", "operation": operation, "mode": "applied", "every": 1, "times": 1, **(picks or {}).get(operation, {})} for operation in operations
    ]
    assert lab_api("POST", "/_lab/faults", json={"rules": [*rules, THROTTLED]})[0] == 200


def throttled(lab_api):
    """How many calls the throttling rule answered ThrottlingException so far."""
    return next(rule["failed"] for rule in lab_api("GET", "/_lab/faults")[1]["rules"] if rule.get("error") == "ThrottlingException")


def met(lab_api):
    """The create operations whose lost answer the run met."""
    return sorted(rule["operation"] for rule in lab_api("GET", "/_lab/faults")[1]["rules"] if rule["failed"])


def run_rerun_and_no_op(playbook, lab_api, tasks, extra_vars, *, services, but=(), picks=None):
    """The run that meets a lost answer on each create, the rerun that must end green, and a third run that must make no
    mutating call. Returns the first two runs and the creates met."""

    def throttled_run():
        return playbook(tasks, extra_vars=extra_vars, aws_config=AWS_CONFIG, environment=LOOKUP_RETRIES)

    fail_every_create_once(lab_api, services, but, picks)
    runs, new_creates = [], True
    # A run that fails on a lost answer ends there; the rules stay for the rerun, so the creates after that point meet
    # their lost answer in the rerun. Rerun while runs fail on new lost answers (at most twelve runs).
    while len(runs) < 12 and new_creates and (not runs or runs[-1].failed):
        before, started = met(lab_api), time.monotonic()
        runs.append(throttled_run())
        new_creates = met(lab_api) != before
        calls = [(call["operation"], call["status"]) for call in runs[-1].api_calls if call["operation"].startswith(CREATE_PREFIXES)]
        print(f"run {len(runs)}: {time.monotonic() - started:.0f} s, failed {runs[-1].failed}, creates {calls}")
    creates, throttled_calls = met(lab_api), throttled(lab_api)
    # The rerun and the third run: throttled only.
    assert lab_api("POST", "/_lab/faults", json={"rules": [THROTTLED]})[0] == 200
    first = runs[0]
    started = time.monotonic()
    rerun = runs[-1] if not runs[-1].failed else throttled_run()
    print(f"rerun {time.monotonic() - started:.0f} s")
    assert rerun.failed == 0, rerun.output
    started = time.monotonic()
    third = throttled_run()
    print(f"third run {time.monotonic() - started:.0f} s")
    throttled_calls += throttled(lab_api)
    lab_api("DELETE", "/_lab/faults")
    assert third.failed == 0, third.output
    assert [call["operation"] for call in third.mutating_calls] == []
    assert throttled_calls > 0, "no call was throttled"
    print("creates met:", creates, "calls throttled:", throttled_calls)
    return first, rerun, creates


# Left out of test_network: the upstream creates that botocore repeats into a twin (measured in
# test_upstream_create_whose_answer_is_lost), and CreateVpcEndpoint: amazon.aws.ec2_vpc_endpoint sends no client token
# unless given one (measured: two ssm endpoints), and given one it fails after the create (amazon.aws 11.4 reads
# result["creation_timestamp"] from the API's CamelCase answer), so the role cannot pass one.
NETWORK_TWINS = ["CreateVpc", "AllocateAddress", "CreateInternetGateway", "CreateVpcEndpoint"]


def test_network(aws, playbook, lab_api):
    """network with one interface endpoint, the S3 endpoint, the resolver endpoint and the flow log into CloudWatch Logs."""
    ec2_client = aws("ec2")
    extra = {**killed.NETWORK_VARS, "network_interface_endpoints": ["ssm"], "network_resolver_inbound_enabled": True, "network_flow_logs_enabled": True}
    extra["network_s3_gateway_endpoint"] = True
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, network_role.ROLE, extra, services=["ec2", "route53resolver", "logs", "iam"], but=NETWORK_TWINS)

    killed.assert_one_network(ec2_client)
    [vpc] = [vpc for vpc in ec2_client.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]]
    in_vpc = network_role.in_vpc(vpc["VpcId"])
    groups = [group["GroupName"] for group in ec2_client.describe_security_groups(Filters=in_vpc)["SecurityGroups"]]
    assert sorted(groups) == sorted({*groups}), groups
    endpoints = sorted(
        endpoint["ServiceName"] for endpoint in ec2_client.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"] if endpoint["State"] != "deleted"
    )
    assert endpoints == ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.ssm"]
    resolvers = aws("route53resolver").list_resolver_endpoints()["ResolverEndpoints"]
    assert [endpoint["Name"] for endpoint in resolvers] == ["hybridcloud-inbound"]
    assert len(ec2_client.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}])["FlowLogs"]) == 1
    assert [group["logGroupName"] for group in aws("logs").describe_log_groups()["logGroups"]] == ["/hybridcloud/vpc-flow-logs"]
    assert [role["RoleName"] for role in aws("iam").list_roles()["Roles"]] == ["hybridcloud-vpc-flow-logs"]
    assert {"CreateSubnet", "CreateNatGateway", "CreateRouteTable", "CreateSecurityGroup", "CreateRoute", "CreateResolverEndpoint", "CreateFlowLogs"} <= set(
        creates
    )


def internet_gateways_and_orphan_addresses(ec2_client):
    """Every internet gateway and every Elastic IP that no NAT gateway uses: one gateway, no address, when all is well."""
    used = {address["AllocationId"] for nat in ec2_client.describe_nat_gateways()["NatGateways"] for address in nat["NatGatewayAddresses"]}
    default = {vpc["VpcId"] for vpc in ec2_client.describe_vpcs()["Vpcs"] if vpc["IsDefault"]}
    gateways = [
        gateway["InternetGatewayId"]
        for gateway in ec2_client.describe_internet_gateways()["InternetGateways"]
        if not {attachment["VpcId"] for attachment in gateway.get("Attachments", [])} & default
    ]
    return gateways + [address["AllocationId"] for address in ec2_client.describe_addresses()["Addresses"] if address["AllocationId"] not in used]


def role_tasks(role, *files):
    return [{"name": name, "ansible.builtin.include_role": {"name": f"hybridcloud.aws.{role}", "tasks_from": name}} for name in files]


# Creates of upstream modules that botocore repeats after a 500 (the operation has no client token): measured here on
# the role's own tasks up to that create, kept out of the layer tests, which would stop there or count the twin.
UPSTREAM_TWINS = [
    pytest.param(
        ["CreateVpc"],
        role_tasks("network", "read.yml", "vpc.yml"),
        killed.NETWORK_VARS,
        lambda aws: [vpc["VpcId"] for vpc in aws("ec2").describe_vpcs()["Vpcs"] if not vpc["IsDefault"]],
        id="network-vpc",
        marks=pytest.mark.xfail(
            strict=True,
            raises=AssertionError,
            reason="amazon.aws.ec2_vpc_net: a CreateVpc answered 500 is repeated by botocore, two VPCs of the same name and CIDR; "
            "every later run fails naming them (the network role's read: '2 VPCs are named hybridcloud with 10.40.0.0/16')",
        ),
    ),
    pytest.param(
        ["CreateKey"],
        role_tasks("systems_manager", "validate.yml", "service_role.yml"),
        systems_manager_role.EXTRA_VARS,
        lambda aws: [key["KeyId"] for key in aws("kms").list_keys()["Keys"]],
        id="systems_manager-kms-key",
        marks=pytest.mark.xfail(
            strict=True,
            raises=AssertionError,
            reason="amazon.aws.kms_key: a CreateKey answered 500 is repeated by botocore, the first key stays without an alias "
            "(an orphan key, billed); the reruns use the aliased one and pass",
        ),
    ),
    pytest.param(
        ["CreateInternetGateway", "AllocateAddress"],
        role_tasks("network", "validate.yml", "availability_zones.yml", "read.yml", "vpc.yml", "subnets.yml", "internet_gateway.yml", "nat_gateways.yml"),
        killed.NETWORK_VARS,
        lambda aws: internet_gateways_and_orphan_addresses(aws("ec2")),
        id="network-igw-and-eip",
        marks=pytest.mark.xfail(
            strict=True,
            raises=AssertionError,
            reason="amazon.aws.ec2_vpc_igw and amazon.aws.ec2_eip: CreateInternetGateway and AllocateAddress answered 500 are "
            "repeated by botocore, a second (detached) internet gateway and an Elastic IP without tags nor NAT gateway",
        ),
    ),
]


@pytest.mark.parametrize(("operations", "tasks", "extra_vars", "made"), UPSTREAM_TWINS)
def test_upstream_create_whose_answer_is_lost(aws, playbook, lab_api, operations, tasks, extra_vars, made):  # noqa: PLR0917 (pytest parameters)
    rules = [{"service": "*", "operation": operation, "mode": "applied", "every": 1, "times": 1} for operation in operations]
    assert lab_api("POST", "/_lab/faults", json={"rules": rules})[0] == 200
    playbook(tasks, extra_vars=extra_vars)
    failed = [rule["failed"] for rule in lab_api("GET", "/_lab/faults")[1]["rules"]]
    if failed != [1] * len(rules):  # not an AssertionError: the expected failure is the twin, not a missed fault
        pytest.fail(f"the runs did not meet each lost answer once: {dict(zip(operations, failed))}")
    rerun = playbook(tasks, extra_vars=extra_vars)
    found = made(aws)
    assert len(found) == 1, found
    assert rerun.failed == 0, rerun.output


@pytest.fixture
def rds_network(aws):
    return rds_role.network.__wrapped__(aws)


def test_rds_postgres(aws, playbook, lab_api, rds_network):
    rds = aws("rds")
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, rds_role.ROLE, {**rds_role.LAB_VARS, **rds_network}, services=["rds", "secretsmanager"])

    [instance] = rds.describe_db_instances()["DBInstances"]
    assert (instance["DBInstanceIdentifier"], instance["DBInstanceStatus"]) == (rds_role.IDENTIFIER, "available")
    assert instance["MasterUserSecret"]["SecretArn"]
    assert [group["DBSubnetGroupName"] for group in rds.describe_db_subnet_groups()["DBSubnetGroups"]] == [rds_role.IDENTIFIER]
    groups = [group["DBParameterGroupName"] for group in rds.describe_db_parameter_groups()["DBParameterGroups"]]
    assert [name for name in groups if not name.startswith("default.")] == [rds_role.PARAMETER_GROUP]
    assert len(aws("secretsmanager").list_secrets()["SecretList"]) == 1
    assert {"CreateDBInstance", "CreateDBParameterGroup", "CreateDBSubnetGroup"} <= set(creates)


def test_file_gateway(aws, playbook, lab_api, activation_key):  # noqa: F811 (fixture)
    sgw, kms_key = aws("storagegateway"), aws("kms").create_key(Description="file gateway")["KeyMetadata"]["Arn"]
    variables = {**file_gateway_role.EXTRA_VARS, "file_gateway_activation_key": activation_key, "file_gateway_kms_key_arn": kms_key}
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, file_gateway_role.ROLE, variables, services=["storagegateway", "s3", "iam"])

    assert [bucket["Name"] for bucket in aws("s3").list_buckets()["Buckets"]] == [file_gateway_role.BUCKET]
    assert [role["RoleName"] for role in aws("iam").list_roles()["Roles"]] == ["hybridcloud-file-gateway"]
    [gateway] = sgw.list_gateways()["Gateways"]
    shares = sgw.list_file_shares(GatewayARN=gateway["GatewayARN"])["FileShareInfoList"]
    described = sgw.describe_nfs_file_shares(FileShareARNList=[share["FileShareARN"] for share in shares])["NFSFileShareInfoList"]
    assert sorted(share["FileShareName"] for share in described) == ["data", "media"]
    assert {"ActivateGateway", "CreateNFSFileShare", "CreateRole"} <= set(creates)


def test_systems_manager(aws, playbook, lab_api):
    ssm, iam = aws("ssm"), aws("iam")
    _, _, creates = run_rerun_and_no_op(
        playbook, lab_api, systems_manager_role.ROLE, systems_manager_role.EXTRA_VARS, services=["ssm", "iam", "kms"], but=["CreateKey"]
    )

    assert [role["RoleName"] for role in iam.list_roles()["Roles"]] == ["hybridcloud-onprem-ssm"]
    [activation] = ssm.describe_activations()["ActivationList"]
    stored = ssm.get_parameter(Name="/hybridcloud/ssm/activation", WithDecryption=True)["Parameter"]["Value"]
    assert activation["ActivationId"] in stored
    names = [association.get("AssociationName") for association in ssm.list_associations()["Associations"]]
    assert sorted(names) == sorted(systems_manager_role.ASSOCIATIONS)
    assert len(aws("kms").list_keys()["Keys"]) == 1
    assert {"CreateActivation", "CreateAssociation", "CreateRole", "CreateAlias"} <= set(creates)


def test_container_registry(aws, playbook, lab_api):
    kms_key = aws("kms").create_key(Description="registry")["KeyMetadata"]["Arn"]
    variables = {
        "hybridcloud_tags": registry_role.TAGS,
        "container_registry_repositories": registry_role.REPOSITORIES,
        "container_registry_kms_key_arn": kms_key,
    }
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, registry_role.ROLE, variables, services=["ecr", "secretsmanager"])

    assert sorted(repository["repositoryName"] for repository in aws("ecr").describe_repositories()["repositories"]) == ["orders", "team/api"]
    assert "CreateRepository" in creates


@pytest.fixture
def cluster_network(aws, monkeypatch, emulator_endpoint):
    cluster_role.controller_aws_environment.__wrapped__(monkeypatch, emulator_endpoint)
    return cluster_role.network.__wrapped__(aws)


def test_ecs_cluster(aws, playbook, lab_api, cluster_network):
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, cluster_role.ROLE, cluster_network, services=["ecs", "ec2", "autoscaling", "iam"])

    ecs = aws("ecs")
    assert [role["RoleName"] for role in aws("iam").list_roles()["Roles"]] == ["hybridcloud-ecs-instance"]
    assert [profile["InstanceProfileName"] for profile in aws("iam").list_instance_profiles()["InstanceProfiles"]] == ["hybridcloud-ecs-instance"]
    assert len(aws("ec2").describe_launch_templates()["LaunchTemplates"]) == 1
    assert len(aws("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]) == 1
    assert [cluster["clusterName"] for cluster in ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"]] == ["hybridcloud"]
    providers = [provider["name"] for provider in ecs.describe_capacity_providers()["capacityProviders"] if not provider["name"].startswith("FARGATE")]
    assert providers == ["hybridcloud-ec2"]
    assert {"CreateCapacityProvider", "CreateCluster", "CreateAutoScalingGroup", "CreateLaunchTemplate"} <= set(creates)


@pytest.fixture
def load_balancer_network(aws, lab_api):
    return load_balancer_role.network.__wrapped__(aws, lab_api)


def test_load_balancer(aws, playbook, lab_api, load_balancer_network):
    elbv2 = aws("elbv2")
    settings = {
        "hybridcloud_tags": load_balancer_role.TAGS,
        "load_balancer_target_groups": load_balancer_role.TARGET_GROUPS,
        "load_balancer_rules": load_balancer_role.RULES,
        "load_balancer_allow_plain_http": True,
    }
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, load_balancer_role.ROLE, {**load_balancer_network, **settings}, services=["elbv2"])

    [balancer] = elbv2.describe_load_balancers()["LoadBalancers"]
    groups = [group["TargetGroupName"] for group in elbv2.describe_target_groups()["TargetGroups"]]
    assert sorted(groups) == sorted(group["name"] for group in load_balancer_role.TARGET_GROUPS)
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    assert len({listener["Port"] for listener in listeners}) == len(listeners)
    rules = [
        (listener["Port"], rule["Priority"])
        for listener in listeners
        for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
        if not rule["IsDefault"]
    ]
    assert len(rules) == len(set(rules)) == len(load_balancer_role.RULES), rules
    assert {"CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"} <= set(creates)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="amazon.aws.ec2_vpc_vgw and community.aws.directconnect_gateway: CreateVpnGateway and CreateDirectConnectGateway "
    "(no client token) answered 500 are repeated by "
    "botocore: two virtual private gateways and two Direct Connect gateways (with the role of 74877ac every later run "
    "also failed on the gateway association: 'Gateway vgw-... is already associated with Direct Connect gateway ...')",
)
def test_hybrid_connectivity(aws, playbook, lab_api, site):  # noqa: F811 (fixture)
    ec2_client, dx_client = aws("ec2"), aws("directconnect")
    # CreatePrivateVirtualInterface is left out: after its lost answer community.aws.directconnect_virtual_interface
    # keeps retrying for about 3 minutes (measured), which this test, about the gateways' twins, cannot afford.
    _, _, creates = run_rerun_and_no_op(
        playbook, lab_api, connectivity_role.ROLE, site, services=["ec2", "directconnect"], but=("CreatePrivateVirtualInterface",)
    )

    assert len([gateway for gateway in ec2_client.describe_vpn_gateways()["VpnGateways"] if gateway["State"] != "deleted"]) == 1
    assert len([gateway for gateway in ec2_client.describe_customer_gateways()["CustomerGateways"] if gateway["State"] != "deleted"]) == 1
    assert len([vpn for vpn in ec2_client.describe_vpn_connections()["VpnConnections"] if vpn["State"] != "deleted"]) == 1
    assert len(dx_client.describe_direct_connect_gateways()["directConnectGateways"]) == 1
    interfaces = [interface for interface in dx_client.describe_virtual_interfaces()["virtualInterfaces"] if interface["virtualInterfaceState"] != "deleted"]
    assert len(interfaces) == 1
    assert {"CreateVpnGateway", "CreateCustomerGateway", "CreateVpnConnection", "CreateDirectConnectGateway"} <= set(creates)


def test_backup(aws, playbook, lab_api):
    keys = {region: aws("kms", region=region).create_key(Description=f"backup {region}")["KeyMetadata"]["Arn"] for region in ("us-east-1", "us-west-2")}
    variables = {**backup_role.EXTRA_VARS, "backup_kms_key_arn": keys["us-east-1"], "backup_dr_kms_key_arn": keys["us-west-2"]}
    _, _, creates = run_rerun_and_no_op(playbook, lab_api, backup_role.ROLE, variables, services=["backup", "iam"])

    backup = aws("backup")
    for region in ("us-east-1", "us-west-2"):
        names = [vault["BackupVaultName"] for vault in aws("backup", region=region).list_backup_vaults()["BackupVaultList"]]
        assert len(names) == len(set(names)) == 1, names
    plans = [plan["BackupPlanName"] for plan in backup.list_backup_plans()["BackupPlansList"]]
    assert len(plans) == len(set(plans)) >= 1, plans
    for plan in backup.list_backup_plans()["BackupPlansList"]:
        assert len(backup.list_backup_selections(BackupPlanId=plan["BackupPlanId"])["BackupSelectionsList"]) == 1
    assert {"CreateBackupVault", "CreateBackupPlan", "CreateBackupSelection"} <= set(creates)


def ecs_task_definition_revisions(ecs, family):
    return ecs.list_task_definitions(familyPrefix=family, status="ACTIVE")["taskDefinitionArns"]


def test_ecs_services(aws, playbook, lab_api, platform):  # noqa: F811 (fixture)
    """The EC2 worker (target tracking and step scaling) and the external agent. The role registers the worker's task
    definition (community.aws.ecs_taskdefinition, measured apart below) before the agent's (ecs_external_task_definition):
    the second RegisterTaskDefinition is the one whose answer is lost."""
    services = services_role.SERVICES[1:]
    _, _, creates = run_rerun_and_no_op(
        playbook,
        lab_api,
        services_role.ROLE,
        {**platform, "ecs_services_services": services},
        services=["ecs", "application-autoscaling", "iam", "cloudwatch", "logs"],
        picks={"RegisterTaskDefinition": {"every": 2}},
    )

    ecs = aws("ecs")
    arns = ecs.list_services(cluster=platform["ecs_services_cluster"])["serviceArns"]
    described = ecs.describe_services(cluster=platform["ecs_services_cluster"], services=arns)["services"]
    assert sorted(service["serviceName"] for service in described if service["status"] == "ACTIVE") == sorted(s["name"] for s in services)
    for family in {service["taskDefinition"].split("/")[-1].rsplit(":", 1)[0] for service in described}:
        assert len(ecs_task_definition_revisions(ecs, family)) == 1, family
    targets = aws("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    assert len(targets) == len({target["ResourceId"] for target in targets}) == len(services)
    policies = aws("application-autoscaling").describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
    assert len(policies) == len({(policy["ResourceId"], policy["PolicyName"]) for policy in policies})
    roles = sorted(role["RoleName"] for role in aws("iam").list_roles()["Roles"])
    assert roles == ["hybridcloud-agent-task", "hybridcloud-task-execution", "hybridcloud-worker-task"]
    assert {"CreateService", "RegisterTaskDefinition", "RegisterScalableTarget"} <= set(creates)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="community.aws.ecs_taskdefinition: a RegisterTaskDefinition answered 500 is repeated by botocore (no client "
    "token), two identical ACTIVE revisions; the service runs the latest, the other stays registered",
)
def test_ecs_services_task_definition_on_ec2_whose_answer_is_lost(aws, playbook, lab_api, platform):  # noqa: F811 (fixture)
    rule = {"service": "*", "operation": "RegisterTaskDefinition", "mode": "applied", "every": 1, "times": 1}
    assert lab_api("POST", "/_lab/faults", json={"rules": [rule]})[0] == 200
    playbook(services_role.ROLE, extra_vars={**platform, "ecs_services_services": services_role.SERVICES[1:2]})
    if lab_api("GET", "/_lab/faults")[1]["rules"][0]["failed"] != 1:
        pytest.fail("the run did not meet the lost answer")
    assert len(ecs_task_definition_revisions(aws("ecs"), "worker")) == 1
