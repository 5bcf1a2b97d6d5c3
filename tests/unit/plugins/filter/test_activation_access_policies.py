"""activation_access_policies: the key policy and the identity policies of the activation path, as data."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.activation_access_policies import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.activation_access import deploying_principal

policies = FilterModule().filters()["activation_access_policies"]

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:eu-central-1:{ACCOUNT}:key/0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b"
SPEC = {
    "account_id": ACCOUNT,
    "region": "eu-central-1",
    "caller_arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/awx-job-42",
    "code_parameters": ["/hybridcloud/ssm/activation"],
    "key_arn": KEY_ARN,
    "ecs_cluster": "hybridcloud",
}


def statements(document, sid=None):
    return [statement for statement in document["Statement"] if sid is None or statement.get("Sid") == sid]


def actions(document, effect):
    return {
        action
        for statement in statements(document)
        if statement["Effect"] == effect
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    }


@pytest.mark.parametrize(
    ("caller", "role_arn", "principal"),
    [
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/awx-job-42", None, f"arn:aws:iam::{ACCOUNT}:role/deploy"),
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/s", f"arn:aws:iam::{ACCOUNT}:role/ci/deploy", f"arn:aws:iam::{ACCOUNT}:role/ci/deploy"),
        (f"arn:aws-cn:sts::{ACCOUNT}:assumed-role/deploy/s", None, f"arn:aws-cn:iam::{ACCOUNT}:role/deploy"),
        (f"arn:aws:iam::{ACCOUNT}:user/ops/alice", None, f"arn:aws:iam::{ACCOUNT}:user/ops/alice"),
        (f"arn:aws:iam::{ACCOUNT}:root", None, f"arn:aws:iam::{ACCOUNT}:root"),
    ],
)
def test_a_role_session_is_named_by_its_role(caller, role_arn, principal):
    assert deploying_principal(caller, role_arn) == principal


def test_key_policy_lets_only_the_deploying_principal_use_the_key():
    key_policy = policies(SPEC)["key_policy"]
    [account] = statements(key_policy, "AccountAdministersTheKeyButCannotUseIt")
    [deployer] = statements(key_policy, "DeployingPrincipalAdministersAndUsesTheKey")
    assert account["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert deployer["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:role/deploy"}
    assert {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"} <= set(deployer["Action"])
    assert "kms:PutKeyPolicy" in account["Action"]
    # Nothing lets IAM policies grant use of the key, nor a grant that would: no wildcards, no use, no CreateGrant.
    everything = [action for statement in statements(key_policy) for action in statement["Action"]]
    assert not any("*" in action for action in everything)
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:ReEncryptFrom"} & set(account["Action"])
    assert "kms:CreateGrant" not in deployer["Action"]


def test_onprem_role_has_the_agents_permissions_without_parameter_reads():
    onprem = policies(SPEC)["onprem_role_policy"]
    allowed = actions(onprem, "Allow")
    assert {"ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages", "ecs:RegisterContainerInstance"} <= allowed
    assert not {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ecs:CreateCluster", "kms:Decrypt"} & allowed
    [registration] = statements(onprem, "EcsAgentRegistrationInTheCluster")
    assert registration["Resource"] == f"arn:aws:ecs:eu-central-1:{ACCOUNT}:cluster/hybridcloud"
    [instances] = statements(onprem, "EcsAgentInstancesOfTheCluster")
    assert instances["Resource"] == f"arn:aws:ecs:eu-central-1:{ACCOUNT}:container-instance/hybridcloud/*"


def test_both_roles_deny_the_code_parameter_and_its_decryption():
    built = policies(SPEC)
    for document in (built["onprem_role_policy"], built["instance_role_policy"]):
        [parameter] = statements(document, "NoActivationCodeParameter")
        assert parameter["Effect"] == "Deny"
        assert parameter["Resource"] == ["arn:aws:ssm:*:*:parameter/hybridcloud/ssm/activation"]
        assert {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath"} <= set(parameter["Action"])
        [context] = statements(document, "NoActivationCodeDecryption")
        assert context["Condition"] == {"StringLike": {"kms:EncryptionContext:PARAMETER_ARN": parameter["Resource"]}}
    [key] = statements(built["onprem_role_policy"], "NoActivationCodeKey")
    assert (key["Resource"], "kms:Decrypt" in key["Action"]) == (KEY_ARN, True)
    # ecs_cluster builds the instance role before the key exists: then the context deny alone covers any key.
    assert statements(policies({**SPEC, "key_arn": ""})["instance_role_policy"], "NoActivationCodeKey") == []


def test_without_cluster_no_ecs_permissions_and_without_account_no_key_policy():
    assert not any(action.startswith("ecs:") for action in actions(policies({**SPEC, "ecs_cluster": ""})["onprem_role_policy"], "Allow"))
    built = policies({"code_parameters": ["/hybridcloud/ssm/*"]})
    assert (built["key_policy"], built["onprem_role_policy"], built["deploying_principal"]) == (None, None, None)
    assert statements(built["instance_role_policy"], "NoActivationCodeParameter")[0]["Resource"] == ["arn:aws:ssm:*:*:parameter/hybridcloud/ssm/*"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({**SPEC, "code_parameters": []}, "code_parameters must name at least one parameter"),
        ({**SPEC, "code_parameters": ["/a b"]}, "not an SSM parameter name or pattern"),
        ({**SPEC, "caller_arn": "someone"}, "not an IAM or STS principal ARN"),
        ("text", "takes a dict"),
    ],
)
def test_bad_specs_fail_naming_the_problem(spec, message):
    with pytest.raises(AnsibleFilterError, match=message):
        policies(spec)
