#!/usr/bin/env bash
# What `make lab` built, in a minute's read: per layer the resources the lab emulator holds (counts and ids from
# describe calls), the on-prem hosts with their SSM managed instance and ECS container instance, the file share's
# NFS path. Reads only. bash lab/report.sh   (LAB_REPORT_PREFIX: name prefix of the lab inventory, hybridcloud-lab)
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/onprem/common.sh"
# The lab emulator, unless the caller points AWS_ENDPOINT_URL elsewhere.
[ -n "${AWS_ENDPOINT_URL:-}" ] || eval "$(bash "$LAB_ROOT/emulator.sh" env)"
exec "$REPO_ROOT/.venv/bin/python" - "${LAB_REPORT_PREFIX:-hybridcloud-lab}" <<'PY'
import sys

import boto3

prefix = sys.argv[1]
aws = boto3.session.Session().client


def show(layer, text):
    print(f"{layer:<16}{text}")


ec2 = aws("ec2")
vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [prefix]}])["Vpcs"]
vpc = vpcs[0]["VpcId"] if vpcs else None
in_vpc = [{"Name": "vpc-id", "Values": [vpc or "none"]}]
subnets = ec2.describe_subnets(Filters=in_vpc)["Subnets"]
tiers = {tier: sum(1 for s in subnets for t in s.get("Tags", []) if t["Key"] == "Tier" and t["Value"] == tier) for tier in ("public", "private")}
nats = [n["NatGatewayId"] for n in ec2.describe_nat_gateways(Filters=[*in_vpc, {"Name": "state", "Values": ["available"]}])["NatGateways"]]
zones = sorted({s["AvailabilityZone"] for s in subnets})
show("network", f"{vpc}: {tiers['public']} public + {tiers['private']} private subnets in {', '.join(zones)}; NAT {' '.join(nats)}")
vgws = [v["VpnGatewayId"] for v in ec2.describe_vpn_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc or "none"]}])["VpnGateways"]]
vpns = [v["VpnConnectionId"] for v in ec2.describe_vpn_connections()["VpnConnections"] if v.get("VpnGatewayId") in vgws and v["State"] != "deleted"]
dx = [c["connectionId"] for c in aws("directconnect").describe_connections()["connections"] if c["connectionName"].startswith(prefix)]
show("connectivity", f"VGW {' '.join(vgws) or '-'}; Direct Connect {' '.join(dx) or '-'}; VPN {' '.join(vpns) or '-'}")
repos = [r["repositoryName"] for r in aws("ecr").describe_repositories()["repositories"] if r["repositoryName"].startswith(prefix)]
show("registry", f"ECR {' '.join(repos) or '-'}")

ecs = aws("ecs")
clusters = ecs.describe_clusters(clusters=[prefix], include=["SETTINGS"])["clusters"]
providers = ecs.describe_capacity_providers(capacityProviders=[f"{prefix}-ec2"]).get("capacityProviders", [])
scaling = providers[0]["autoScalingGroupProvider"]["managedScaling"]["status"] if providers else "missing"
active = [c for c in clusters if c["status"] == "ACTIVE"]
show("cluster", f"{prefix}: {'ACTIVE' if active else 'missing'}, capacity provider {prefix}-ec2 managed scaling {scaling}")
albs = [lb["DNSName"] for lb in aws("elbv2").describe_load_balancers()["LoadBalancers"] if lb["LoadBalancerName"].startswith(prefix)]
show("load balancer", " ".join(albs) or "-")
db = [d for d in aws("rds").describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"].startswith(prefix)]
for d in db:
    storage = f"{d['AllocatedStorage']}->{d.get('MaxAllocatedStorage', '-')} GiB"
    show("rds", f"{d['DBInstanceIdentifier']} {d['DBInstanceStatus']} MultiAZ={d['MultiAZ']} {storage} {d['Endpoint']['Address']}")
sgw = aws("storagegateway")
for gateway in sgw.list_gateways()["Gateways"]:
    if not gateway.get("GatewayName", "").startswith(prefix):
        continue
    info = sgw.describe_gateway_information(GatewayARN=gateway["GatewayARN"])
    address = next((n["Ipv4Address"] for n in info.get("GatewayNetworkInterfaces", [])), "?")
    arns = [s["FileShareARN"] for s in sgw.list_file_shares(GatewayARN=gateway["GatewayARN"])["FileShareInfoList"]]
    shares = sgw.describe_nfs_file_shares(FileShareARNList=arns)["NFSFileShareInfoList"] if arns else []
    paths = " ".join(f"{address}:/{s['FileShareName']} ({s['FileShareStatus']}, {s['LocationARN']})" for s in shares)
    show("file gateway", f"{gateway['GatewayName']}: NFS {paths or '-'}")

# The hosts registered with the lab inventory's activation (molecule scenarios register hosts with their own).
ssm = aws("ssm")
activation_filter = [{"FilterKey": "DefaultInstanceName", "FilterValues": [f"{prefix}-onprem"]}]
activations = {a["ActivationId"] for a in ssm.describe_activations(Filters=activation_filter)["ActivationList"]}
instances = ssm.describe_instance_information()["InstanceInformationList"]
onprem = sorted((i for i in instances if i.get("ActivationId") in activations), key=lambda i: i.get("ComputerName", ""))
arns = ecs.list_container_instances(cluster=prefix)["containerInstanceArns"] if active else []
described = ecs.describe_container_instances(cluster=prefix, containerInstances=arns)["containerInstances"] if arns else []
by_instance = {c["ec2InstanceId"]: c for c in described}
show("onprem", f"{len(onprem)} host(s) registered in SSM, {len(by_instance)} container instance(s) in {prefix}")
for i in onprem:
    container = by_instance.get(i["InstanceId"])
    joined = f"{container['containerInstanceArn'].rsplit('/', 1)[1]} {container['status']}" if container else "not in the cluster"
    show("", f"{i.get('ComputerName', '?'):<14}{i['IPAddress']:<14}{i['InstanceId']} {i['PingStatus']:<8} ECS {joined}")
services = ecs.describe_services(cluster=prefix, services=ecs.list_services(cluster=prefix)["serviceArns"][:10])["services"] if active else []
for s in services:
    placement = s.get("launchType") or ",".join(p["capacityProvider"] for p in s.get("capacityProviderStrategy", []))
    show("services", f"{s['serviceName']:<14}{placement:<22}desired {s['desiredCount']} running {s['runningCount']}")
plans = [p["BackupPlanName"] for p in aws("backup").list_backup_plans()["BackupPlansList"]]
vaults = [v["BackupVaultName"] for v in aws("backup").list_backup_vaults()["BackupVaultList"] if v["BackupVaultName"].startswith(prefix)]
show("backup", f"plans {' '.join(plans) or '-'}; vaults {' '.join(vaults) or '-'} (+ DR copy vault in the DR region)")
PY
