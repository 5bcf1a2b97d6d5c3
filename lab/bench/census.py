"""Count what the converged lab holds, type by type, with describe/list calls (run after the measured runs).

    python lab/bench/census.py OUT.json     (AWS_ENDPOINT_URL etc. from `bash lab/emulator.sh env`)

Counts the lab's own resources: the default VPC moto creates, main route tables, default security groups, default
RDS groups and AWS-managed IAM/KMS objects are not managed by the playbooks and are left out. A type whose call
fails is reported under "errors" with no count (never a guess).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import boto3

# The lab's primary region and its DR region (inventories/lab: aws_region, backup_dr_region).
REGIONS = os.environ.get("BENCH_CENSUS_REGIONS", "us-east-1 us-west-2").split()
GLOBAL_TYPES = {"iam role", "iam instance profile", "s3 bucket", "directconnect gateway", "directconnect gateway association"}
_region = {"name": REGIONS[0]}


def client(service: str) -> Any:
    return boto3.client(service, region_name=_region["name"], endpoint_url=os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"))


def pages(service: str, operation: str, key: str, **kwargs: Any) -> list[Any]:
    api = client(service)
    if api.can_paginate(operation):
        found: list[Any] = []
        for page in api.get_paginator(operation).paginate(**kwargs):
            found.extend(page.get(key) or [])
        return found
    return getattr(api, operation)(**kwargs).get(key) or []


def lab_vpcs() -> list[str]:
    return [vpc["VpcId"] for vpc in pages("ec2", "describe_vpcs", "Vpcs") if not vpc.get("IsDefault")]


def in_vpcs(operation: str, key: str, **kwargs: Any) -> list[Any]:
    vpcs = lab_vpcs()
    if not vpcs:
        return []
    return pages("ec2", operation, key, Filters=[{"Name": "vpc-id", "Values": vpcs}], **kwargs)


def live(items: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    return [item for item in items if str(item.get(field, "")).lower() not in ("deleted", "deleting", "failed", "rejected")]


def ecs_clusters() -> list[str]:
    return pages("ecs", "list_clusters", "clusterArns")


def per_cluster(operation: str, key: str) -> int:
    return sum(len(pages("ecs", operation, key, cluster=cluster)) for cluster in ecs_clusters())


def dx_gateways() -> list[dict[str, Any]]:
    return live(client("directconnect").describe_direct_connect_gateways().get("directConnectGateways", []), "directConnectGatewayState")


def backup_selections() -> int:
    plans = pages("backup", "list_backup_plans", "BackupPlansList")
    return sum(len(pages("backup", "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan["BackupPlanId"])) for plan in plans)


def listeners() -> int:
    balancers = pages("elbv2", "describe_load_balancers", "LoadBalancers")
    return sum(len(pages("elbv2", "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"])) for lb in balancers)


def capacity_providers() -> int:
    """The clusters' capacity providers other than Fargate's (moto cannot describe them all without names)."""
    names = {name for cluster in client("ecs").describe_clusters(clusters=ecs_clusters()).get("clusters", []) for name in cluster.get("capacityProviders", [])}
    return len([name for name in names if name not in ("FARGATE", "FARGATE_SPOT")])


def file_shares() -> int:
    return len(pages("storagegateway", "list_file_shares", "FileShareInfoList"))


COUNTERS: dict[str, Callable[[], int]] = {
    "ec2 VPC": lambda: len(lab_vpcs()),
    "ec2 subnet": lambda: len(in_vpcs("describe_subnets", "Subnets")),
    "ec2 route table (not main)": lambda: len(
        [t for t in in_vpcs("describe_route_tables", "RouteTables") if not any(a.get("Main") for a in t.get("Associations", []))]
    ),
    "ec2 internet gateway": lambda: len(
        [g for g in pages("ec2", "describe_internet_gateways", "InternetGateways") if any(a.get("VpcId") in lab_vpcs() for a in g.get("Attachments", []))]
    ),
    "ec2 NAT gateway": lambda: len(live(in_vpcs("describe_nat_gateways", "NatGateways"), "State")),
    "ec2 elastic IP": lambda: len(pages("ec2", "describe_addresses", "Addresses")),
    "ec2 VPC endpoint": lambda: len(live(in_vpcs("describe_vpc_endpoints", "VpcEndpoints"), "State")),
    "ec2 security group (not default)": lambda: len([g for g in in_vpcs("describe_security_groups", "SecurityGroups") if g["GroupName"] != "default"]),
    "ec2 VPN gateway": lambda: len(live(pages("ec2", "describe_vpn_gateways", "VpnGateways"), "State")),
    "ec2 customer gateway": lambda: len(live(pages("ec2", "describe_customer_gateways", "CustomerGateways"), "State")),
    "ec2 VPN connection": lambda: len(live(pages("ec2", "describe_vpn_connections", "VpnConnections"), "State")),
    "ec2 launch template": lambda: len(pages("ec2", "describe_launch_templates", "LaunchTemplates")),
    "route53resolver endpoint": lambda: len(pages("route53resolver", "list_resolver_endpoints", "ResolverEndpoints")),
    "directconnect connection": lambda: len(live(client("directconnect").describe_connections().get("connections", []), "connectionState")),
    "directconnect LAG": lambda: len(live(client("directconnect").describe_lags().get("lags", []), "lagState")),
    "directconnect gateway": lambda: len(dx_gateways()),
    "directconnect virtual interface": lambda: len(
        live(client("directconnect").describe_virtual_interfaces().get("virtualInterfaces", []), "virtualInterfaceState")
    ),
    "directconnect gateway association": lambda: sum(
        len(
            live(
                client("directconnect")
                .describe_direct_connect_gateway_associations(directConnectGatewayId=g["directConnectGatewayId"])
                .get("directConnectGatewayAssociations", []),
                "associationState",
            )
        )
        for g in dx_gateways()
    ),
    "ecr repository": lambda: len(pages("ecr", "describe_repositories", "repositories")),
    "ecs cluster": lambda: len(ecs_clusters()),
    "ecs capacity provider": capacity_providers,
    "ecs service": lambda: per_cluster("list_services", "serviceArns"),
    "ecs task definition (active)": lambda: len(pages("ecs", "list_task_definitions", "taskDefinitionArns", status="ACTIVE")),
    "ecs container instance": lambda: per_cluster("list_container_instances", "containerInstanceArns"),
    "autoscaling group": lambda: len(pages("autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups")),
    "iam role": lambda: len([r for r in pages("iam", "list_roles", "Roles") if not r["Path"].startswith("/aws-service-role/")]),
    "iam instance profile": lambda: len(pages("iam", "list_instance_profiles", "InstanceProfiles")),
    "elbv2 load balancer": lambda: len(pages("elbv2", "describe_load_balancers", "LoadBalancers")),
    "elbv2 listener": listeners,
    "elbv2 target group": lambda: len(pages("elbv2", "describe_target_groups", "TargetGroups")),
    "application-autoscaling scalable target": lambda: len(
        pages("application-autoscaling", "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs")
    ),
    "application-autoscaling policy": lambda: len(pages("application-autoscaling", "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="ecs")),
    "autoscaling policy": lambda: len(pages("autoscaling", "describe_policies", "ScalingPolicies")),
    "cloudwatch alarm": lambda: len(pages("cloudwatch", "describe_alarms", "MetricAlarms")),
    "logs log group": lambda: len(pages("logs", "describe_log_groups", "logGroups")),
    "rds DB instance": lambda: len(pages("rds", "describe_db_instances", "DBInstances")),
    "rds subnet group (not default)": lambda: len(
        [g for g in pages("rds", "describe_db_subnet_groups", "DBSubnetGroups") if g["DBSubnetGroupName"] != "default"]
    ),
    "rds parameter group (not default)": lambda: len(
        [g for g in pages("rds", "describe_db_parameter_groups", "DBParameterGroups") if not g["DBParameterGroupName"].startswith("default.")]
    ),
    "secretsmanager secret": lambda: len(pages("secretsmanager", "list_secrets", "SecretList")),
    "kms key alias (customer)": lambda: len([a for a in pages("kms", "list_aliases", "Aliases") if not a["AliasName"].startswith("alias/aws/")]),
    "s3 bucket": lambda: len(client("s3").list_buckets().get("Buckets", [])),
    "storagegateway gateway": lambda: len(pages("storagegateway", "list_gateways", "Gateways")),
    "storagegateway file share": file_shares,
    "ssm parameter (not AWS public)": lambda: len([p for p in pages("ssm", "describe_parameters", "Parameters") if not p["Name"].startswith("/aws/")]),
    "ssm activation": lambda: len(pages("ssm", "describe_activations", "ActivationList")),
    "ssm association": lambda: len(pages("ssm", "list_associations", "Associations")),
    "ssm managed instance": lambda: len(pages("ssm", "describe_instance_information", "InstanceInformationList")),
    "backup vault": lambda: len([v for v in pages("backup", "list_backup_vaults", "BackupVaultList") if v["BackupVaultName"] != "Default"]),
    "backup plan": lambda: len(pages("backup", "list_backup_plans", "BackupPlansList")),
    "backup selection": backup_selections,
}


def census() -> dict[str, Any]:
    """Counts per type and region (global types once, under the first region); types that count 0 are left out."""
    counts: dict[str, int] = {}
    errors: dict[str, str] = {}
    for number, region in enumerate(REGIONS):
        _region["name"] = region
        for name, counter in COUNTERS.items():
            if number and name in GLOBAL_TYPES:
                continue
            label = name if name in GLOBAL_TYPES else f"{name} ({region})"
            try:
                found = int(counter())
            except Exception as error:  # a type the emulator cannot list is reported, never guessed
                errors[label] = f"{type(error).__name__}: {error}"[:200]
                continue
            if found:
                counts[label] = found
    return {"regions": REGIONS, "total": sum(counts.values()), "counts": counts, "errors": errors}


if __name__ == "__main__":
    result = census()
    with open(sys.argv[1], "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
    print(
        f"bench: census: {result['total']} managed resources in {len(result['counts'])} types"
        + (f", {len(result['errors'])} types not countable" if result["errors"] else "")
    )
