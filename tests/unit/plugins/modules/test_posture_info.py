"""posture_info: the reads the audit needs beyond the upstream info modules, validated against botocore's models."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.modules import posture_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": "*"}]}


@pytest.fixture
def clients():
    made = {
        name: boto3.client(name, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
        for name in ("ec2", "ssm", "sts", "kms", "iam", "backup")
    }
    return made, {name: Stubber(client) for name, client in made.items()}


def run(clients, capsys, args):
    made, stubbers = clients
    with patch_module_args(dict(args, region="us-east-1")), mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: made[name]):
        for stubber in stubbers.values():
            stubber.activate()
        with pytest.raises(SystemExit):
            posture_info.main()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()
    return json.loads(capsys.readouterr().out)


def test_reads_flow_logs_activation_code_key_and_roles(clients, capsys):
    stub = clients[1]
    stub["ec2"].add_response(
        "describe_flow_logs",
        {"FlowLogs": [{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "TrafficType": "ALL"}]},
        {"Filters": [{"Name": "resource-id", "Values": ["vpc-1"]}]},
    )
    stub["ssm"].add_response(
        "describe_activations",
        {
            "ActivationList": [
                {
                    "ActivationId": "a-1",
                    "DefaultInstanceName": "onprem",
                    "IamRole": "onprem-role",
                    "RegistrationLimit": 4,
                    "ExpirationDate": "2026-12-08T00:00:00Z",
                },
                # The filter is exact, but a prefix match would not be kept.
                {"ActivationId": "a-2", "DefaultInstanceName": "onprem-old", "IamRole": "x"},
            ]
        },
        {"Filters": [{"FilterKey": "DefaultInstanceName", "FilterValues": ["onprem"]}]},
    )
    stub["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/deploy", "UserId": "AIDA"})
    stub["ssm"].add_response(
        "describe_parameters",
        {"Parameters": [{"Name": "/hc/ssm/activation", "Type": "SecureString", "KeyId": "alias/hc/activation-code"}]},
        {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": ["/hc/ssm/activation"]}]},
    )
    stub["kms"].add_response("describe_key", {"KeyMetadata": {"KeyId": "k-1", "Arn": KEY_ARN, "KeyManager": "CUSTOMER"}}, {"KeyId": "alias/hc/activation-code"})
    stub["kms"].add_response("get_key_policy", {"Policy": json.dumps(POLICY)}, {"KeyId": "k-1", "PolicyName": "default"})
    for role in ("ecs-instance", "onprem-role"):
        stub["iam"].add_response(
            "get_role",
            {
                "Role": {
                    "Path": "/",
                    "RoleName": role,
                    "RoleId": "AROAEXAMPLEEXAMPLE1",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                    "CreateDate": "2026-01-01T00:00:00Z",
                }
            },
            {"RoleName": role},
        )
        stub["iam"].add_response("list_role_policies", {"PolicyNames": ["inline"]}, {"RoleName": role})
        stub["iam"].add_response(
            "get_role_policy", {"RoleName": role, "PolicyName": "inline", "PolicyDocument": json.dumps(POLICY)}, {"RoleName": role, "PolicyName": "inline"}
        )
        attached = [{"PolicyName": "Core", "PolicyArn": "arn:aws:iam::aws:policy/Core"}] if role == "ecs-instance" else []
        stub["iam"].add_response("list_attached_role_policies", {"AttachedPolicies": attached}, {"RoleName": role})
        if attached:
            stub["iam"].add_response("get_policy", {"Policy": {"DefaultVersionId": "v3"}}, {"PolicyArn": "arn:aws:iam::aws:policy/Core"})
            stub["iam"].add_response(
                "get_policy_version",
                {"PolicyVersion": {"Document": "%7B%22Statement%22%3A%20%5B%5D%7D", "VersionId": "v3"}},
                {"PolicyArn": "arn:aws:iam::aws:policy/Core", "VersionId": "v3"},
            )
    result = run(clients, capsys, {"vpc_ids": ["vpc-1"], "activation_name": "onprem", "code_parameter": "/hc/ssm/activation", "role_names": ["ecs-instance"]})
    assert result["changed"] is False
    assert result["flow_logs"] == [{"flow_log_id": "fl-1", "resource_id": "vpc-1", "flow_log_status": "ACTIVE", "traffic_type": "ALL"}]
    assert [(a["activation_id"], a["registration_limit"], a["expiration_date"]) for a in result["activations"]] == [("a-1", 4, "2026-12-08T00:00:00+00:00")]
    code = result["activation_code"]
    assert code["parameter_arn"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/hc/ssm/activation"
    assert (code["key_arn"], code["key_manager"], code["key_policy"]) == (KEY_ARN, "CUSTOMER", POLICY)
    # The activation's role is read too; attached policies come at their default version, URL-encoded text decoded.
    assert [(r["name"], r["documents"]) for r in result["roles"]] == [("ecs-instance", [POLICY, {"Statement": []}]), ("onprem-role", [POLICY])]


def test_missing_things_are_empty_not_errors(clients, capsys):
    stub = clients[1]
    stub["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/deploy", "UserId": "AIDA"})
    stub["ssm"].add_response("describe_parameters", {"Parameters": []}, {"ParameterFilters": ANY})
    stub["iam"].add_client_error("get_role", "NoSuchEntity", http_status_code=404, expected_params={"RoleName": "gone"})
    result = run(clients, capsys, {"code_parameter": "/hc/ssm/activation", "role_names": ["gone"]})
    assert (result["flow_logs"], result["activations"], result["activation_code"], result["roles"]) == ([], [], {}, [])
    assert result["backup_vault_policies"] == []


def test_access_denied_fails_with_aws_message(clients, capsys):
    stub = clients[1]
    stub["ec2"].add_client_error("describe_flow_logs", "UnauthorizedOperation", "You are not authorized to perform this operation.")
    result = run(clients, capsys, {"vpc_ids": ["vpc-1"]})
    assert result["failed"] and "You are not authorized" in result["msg"] + json.dumps(result)


def test_reads_the_vault_access_policies(clients, capsys):
    """Each vault's policy in its region (the DR vault's client asked for its own region); a vault without a policy
    answers ResourceNotFoundException, read as null."""
    stub = clients[1]
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}]}
    stub["backup"].add_response(
        "get_backup_vault_access_policy",
        {"BackupVaultName": "hc", "BackupVaultArn": "arn:aws:backup:us-east-1:123456789012:backup-vault:hc", "Policy": json.dumps(deny)},
        {"BackupVaultName": "hc"},
    )
    stub["backup"].add_client_error("get_backup_vault_access_policy", "ResourceNotFoundException", expected_params={"BackupVaultName": "hc-dr"})
    regions = []
    made = clients[0]
    with mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: regions.append(kw.get("region")) or made[name]):
        result = run_patched(clients, capsys, {"backup_vaults": [{"name": "hc"}, {"name": "hc-dr", "region": "us-west-2"}]})
    assert result["backup_vault_policies"] == [
        {"backup_vault_name": "hc", "region": "us-east-1", "policy": deny},
        {"backup_vault_name": "hc-dr", "region": "us-west-2", "policy": None},
    ]
    assert regions == [None, "us-west-2"]


def run_patched(clients, capsys, args):
    """run() with AnsibleAWSModule.client already patched by the caller."""
    stubbers = clients[1]
    with patch_module_args(dict(args, region="us-east-1")):
        for stubber in stubbers.values():
            stubber.activate()
        with pytest.raises(SystemExit):
            posture_info.main()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()
    return json.loads(capsys.readouterr().out)
