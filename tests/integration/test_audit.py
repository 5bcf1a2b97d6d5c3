"""playbooks/audit.yml against the emulator, with one weakness of every kind built by boto3: the audit reports each
(read back from its posture.json), fails naming them, and makes no mutating call. 26 s on the loaded 2-core machine.

The converged lab's 0 findings and findings introduced into it: tests/lab/test_audit.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from support.iam_actions import deployer_policy, missing_actions

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "123456789012"
NAME = "audit"
CORE_LIKE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter", "kms:Decrypt"], "Resource": "*"}]}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]}, "Action": "sts:AssumeRole"}],
}


def weak_account(aws: Any) -> dict[str, str]:
    ec2, iam = aws("ec2", region=REGION), aws("iam")
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": NAME}]}])["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.41.{n}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"] for n, z in ((0, "a"), (1, "b"))
    ]
    group = ec2.create_security_group(VpcId=vpc, GroupName=f"{NAME}-alb", Description="alb")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/1"}, {"CidrIp": "128.0.0.0/1"}]}]
    )
    ec2.create_launch_template(
        LaunchTemplateName=f"{NAME}-ecs", LaunchTemplateData={"MetadataOptions": {"HttpTokens": "optional", "HttpPutResponseHopLimit": 2}}
    )
    aws("rds", region=REGION).create_db_instance(
        DBInstanceIdentifier=f"{NAME}-postgres",
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        PubliclyAccessible=True,
        StorageEncrypted=False,
    )
    aws("s3", region=REGION).create_bucket(Bucket=f"{NAME}-files")
    aws("backup", region=REGION).create_backup_vault(BackupVaultName=NAME)
    key = aws("kms", region=REGION).create_key()["KeyMetadata"]["Arn"]  # the default key policy: IAM policies decide
    aws("ssm", region=REGION).put_parameter(Name=f"/{NAME}/ssm/activation", Value="c0de" * 5, Type="SecureString", KeyId=key)
    for role in (f"{NAME}-ecs-instance", f"{NAME}-onprem"):
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
        iam.put_role_policy(RoleName=role, PolicyName="wide", PolicyDocument=json.dumps(CORE_LIKE))
    aws("ssm", region=REGION).create_activation(DefaultInstanceName=f"{NAME}-onprem", IamRole=f"{NAME}-onprem", RegistrationLimit=20)
    elb = aws("elbv2", region=REGION)
    lb = elb.create_load_balancer(Name=f"{NAME}-internal", Subnets=subnets, SecurityGroups=[group], Scheme="internet-facing")["LoadBalancers"][0]
    target = elb.create_target_group(Name=f"{NAME}-web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": target}])
    return {"vpc": vpc, "group": group}


def test_every_kind_of_weakness_is_reported_without_a_change(aws: Any, emulator_endpoint: str, lab_api: Any, tmp_path: Path) -> None:
    def recorded_calls() -> list[dict[str, Any]]:
        return lab_api("GET", "/_lab/requests")[1]["requests"]

    made = weak_account(aws)
    inventory = tmp_path / "inventory.yml"
    connection = {"region": REGION, "endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing"}
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    names = {
        "network_name": NAME,
        "rds_postgres_identifier": f"{NAME}-postgres",
        "load_balancer_name": f"{NAME}-internal",
        "file_gateway_bucket_name": f"{NAME}-files",
        "ecs_cluster_name": NAME,
        "systems_manager_activation_name": f"{NAME}-onprem",
        "systems_manager_parameter_prefix": f"/{NAME}",
        "backup_vault_name": NAME,
    }
    inventory.write_text(
        yaml.safe_dump({"all": {"vars": {"hybridcloud_aws_connection": connection, **names}, "children": {"aws_controller": {"hosts": {"localhost": host}}}}})
    )
    before = len(recorded_calls())
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), str(ROOT / "playbooks/audit.yml"), "-e", f"audit_dir={tmp_path}"]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False, timeout=300)
    calls = recorded_calls()[before:]

    assert [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]] == []
    # The deploying principal's policy (docs/iam/deployer-policy-*.json) allows every read the audit made.
    policy = deployer_policy()
    assert missing_actions(policy, {(c["service"], c["operation"]) for c in calls}) == []
    result = json.loads((tmp_path / "posture.json").read_text())
    found = {(f["kind"], f["resource"]) for f in result["findings"]}
    expected = {
        ("security_group_source", f"{made['group']} ({NAME}-alb)"),
        ("db_public", f"{NAME}-postgres"),
        ("db_unencrypted", f"{NAME}-postgres"),
        ("bucket_public_access", f"{NAME}-files"),
        ("imds", f"{NAME}-ecs version 1"),
        ("flow_logs", made["vpc"]),
        ("vault_lock", NAME),
        ("vault_policy", NAME),
        ("activation_code_access", f"{NAME}-ecs-instance"),
        ("activation_code_access", f"{NAME}-onprem"),
        ("alb_internet_facing", f"{NAME}-internal"),
        ("alb_plain_http", f"{NAME}-internal:80"),
    }
    assert expected <= found, sorted(found)
    kinds = {f["kind"] for f in result["findings"]}
    # The emulator's activation lives 1 day by default (not a finding); its limit is above the default 0 hosts + 2.
    assert "activation_limit" in kinds
    # The play fails, printing the findings.
    assert completed.returncode != 0 and "finding(s)" in completed.stdout and "0.0.0.0/0" in completed.stdout
    assert (tmp_path / "posture.md").read_text().count("\n| ") == len(result["findings"]) + 2
