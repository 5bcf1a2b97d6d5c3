"""ssm_layer_info: one read of the caller, the service role and the activation code's KMS key, validated against
botocore's models (the calls run one after the other here, so that each Stubber sees its client's calls in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils import ssm_layer
from ansible_collections.hybridcloud.aws.plugins.modules import ssm_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:UpdateInstanceInformation", "Resource": "*"}]}
CREATED = "2026-01-01T00:00:00Z"


@pytest.fixture
def clients(monkeypatch):
    monkeypatch.setattr(ssm_layer, "MAX_WORKERS", 1)
    made = {name: boto3.client(name, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit") for name in ("sts", "iam", "kms")}
    return made, {name: Stubber(client) for name, client in made.items()}


def run(clients, capsys, args):
    made, stubbers = clients
    with (
        patch_module_args(dict(args, region="us-east-1")),
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: made[name]),
    ):
        for stubber in stubbers.values():
            stubber.activate()
        with pytest.raises(SystemExit):
            ssm_layer_info.main()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()
    return json.loads(capsys.readouterr().out)


def expect_caller(sts, arn=f"arn:aws:iam::{ACCOUNT}:user/deployer"):
    sts.add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": arn, "UserId": "AIDA"}, {})


def iam_role(name, path="/", **extra):
    return dict(
        {"RoleName": name, "RoleId": "AROAEXAMPLEEXAMPLE1", "Arn": f"arn:aws:iam::{ACCOUNT}:role{path}{name}", "Path": path, "CreateDate": CREATED}, **extra
    )


def test_reads_caller_service_role_and_managed_key(clients, capsys):
    stub = clients[1]
    expect_caller(stub["sts"], f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/session")
    stub["iam"].add_response(
        "get_role",
        {"Role": iam_role("onprem", Description="d", AssumeRolePolicyDocument=json.dumps(TRUST), Tags=[{"Key": "Project", "Value": "hc"}])},
        {"RoleName": "onprem"},
    )
    stub["iam"].add_response("list_attached_role_policies", {"AttachedPolicies": []}, {"RoleName": "onprem"})
    stub["iam"].add_response(
        "get_role_policy", {"RoleName": "onprem", "PolicyName": "agents", "PolicyDocument": json.dumps(POLICY)}, {"RoleName": "onprem", "PolicyName": "agents"}
    )
    stub["kms"].add_response(
        "describe_key",
        {
            "KeyMetadata": {
                "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
                "Arn": KEY_ARN,
                "KeyState": "Enabled",
                "Description": "code",
                "KeyManager": "CUSTOMER",
            }
        },
        {"KeyId": "alias/hc/activation-code"},
    )
    stub["kms"].add_response("get_key_policy", {"Policy": json.dumps(POLICY)}, {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "PolicyName": "default"})
    stub["kms"].add_response("get_key_rotation_status", {"KeyRotationEnabled": True}, {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
    stub["kms"].add_response(
        "list_resource_tags", {"Tags": [{"TagKey": "Project", "TagValue": "hc"}], "Truncated": False}, {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}
    )
    stub["iam"].add_response("get_role", {"Role": iam_role("deployer", path="/ops/")}, {"RoleName": "deployer"})

    result = run(clients, capsys, {"service_role_name": "onprem", "service_role_policy_names": ["agents"], "kms_key_id": "alias/hc/activation-code"})

    assert result["changed"] is False
    assert result["caller"] == {"account": ACCOUNT, "partition": "aws", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/session", "role_name": "deployer"}
    assert result["caller_role"] == {"role_name": "deployer", "arn": f"arn:aws:iam::{ACCOUNT}:role/ops/deployer"}
    role = result["service_role"]
    assert (role["assume_role_policy_document"], role["description"], role["tags"]) == (TRUST, "d", {"Project": "hc"})
    assert (role["attached_policy_arns"], role["inline_policies"]) == ([], {"agents": POLICY})
    assert result["kms_key"] == {
        "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "key_arn": KEY_ARN,
        "key_state": "Enabled",
        "description": "code",
        "key_manager": "CUSTOMER",
        "policy": POLICY,
        "enable_key_rotation": True,
        "tags": {"Project": "hc"},
    }


def test_missing_role_and_key_are_empty_and_a_given_key_is_not_detailed(clients, capsys):
    stub = clients[1]
    expect_caller(stub["sts"])
    stub["iam"].add_client_error("get_role", "NoSuchEntity", expected_params={"RoleName": "onprem"})
    stub["kms"].add_client_error("describe_key", "NotFoundException", expected_params={"KeyId": "alias/mine"})
    result = run(
        clients, capsys, {"service_role_name": "onprem", "service_role_policy_names": ["agents"], "kms_key_id": "alias/mine", "kms_key_details": False}
    )
    assert (result["service_role"], result["kms_key"], result["caller_role"]) == ({}, {}, {})
    assert result["caller"]["role_name"] == ""


def test_a_given_key_is_read_without_its_policy(clients, capsys):
    stub = clients[1]
    expect_caller(stub["sts"])
    stub["kms"].add_response("describe_key", {"KeyMetadata": {"KeyId": "k", "Arn": KEY_ARN, "KeyState": "Enabled"}}, {"KeyId": KEY_ARN})
    result = run(clients, capsys, {"kms_key_id": KEY_ARN, "kms_key_details": False})
    assert result["kms_key"] == {"key_id": "k", "key_arn": KEY_ARN, "key_state": "Enabled", "description": "", "key_manager": ""}
    assert result["service_role"] == {}


def test_an_aws_error_fails_with_its_message(clients, capsys):
    stub = clients[1]
    stub["sts"].add_client_error("get_caller_identity", "AccessDenied", "no identity for you")
    result = run(clients, capsys, {})
    assert result["failed"] is True
    assert "read the caller's identity" in result["msg"] and "no identity for you" in result["msg"]
