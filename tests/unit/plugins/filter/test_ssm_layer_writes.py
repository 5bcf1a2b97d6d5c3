"""ssm_layer_writes: which IAM and KMS write modules the systems_manager role runs, on reads shaped as
hybridcloud.aws.ssm_layer_info returns them."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ssm_layer_writes import FilterModule

ssm_layer_writes = FilterModule().filters()["ssm_layer_writes"]

TAGS = {"Project": "hc"}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ssm.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "1"}},
        }
    ],
}
ROLE_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ssm:GetParameter", "kms:Decrypt"], "Resource": ["a", "b"]}]}
KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*", "Resource": "*"}],
}
WANTED = {
    "service_role": {"description": "role", "trust_policy": TRUST, "managed_policy_arns": [], "tags": TAGS, "policy_name": "agents", "policy": ROLE_POLICY},
    "kms_key": {"description": "code", "policy": KEY_POLICY, "tags": TAGS},
}


def converged():
    return {
        "caller": {"account": "1", "partition": "aws", "arn": "arn:aws:iam::1:user/u", "role_name": ""},
        "caller_role": {},
        "service_role": {
            "role_name": "onprem",
            "description": "role",
            "assume_role_policy_document": copy.deepcopy(TRUST),
            "tags": dict(TAGS),
            "attached_policy_arns": [],
            "inline_policies": {"agents": copy.deepcopy(ROLE_POLICY)},
        },
        "kms_key": {
            "key_arn": "arn:k",
            "key_state": "Enabled",
            "description": "code",
            "policy": copy.deepcopy(KEY_POLICY),
            "enable_key_rotation": True,
            "tags": dict(TAGS),
        },
    }


def test_a_converged_layer_needs_no_write():
    assert ssm_layer_writes(converged(), WANTED) == {"service_role": [], "service_role_policy": [], "kms_key": []}


def test_nothing_read_means_everything_is_missing():
    assert ssm_layer_writes({}, WANTED) == {"service_role": ["missing"], "service_role_policy": ["missing"], "kms_key": ["missing"]}


@pytest.mark.parametrize(
    ("changes", "differences"),
    [
        ({"description": "other"}, ["description"]),
        ({"assume_role_policy_document": dict(TRUST, Statement=[dict(TRUST["Statement"][0], Condition={})])}, ["trust_policy"]),
        ({"attached_policy_arns": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]}, ["managed_policies"]),
        ({"tags": {}}, ["tags"]),
        ({"tags": dict(TAGS, Extra="1")}, ["tags"]),
    ],
)
def test_service_role_differences_are_named(changes, differences):
    layer = converged()
    layer["service_role"].update(changes)
    assert ssm_layer_writes(layer, WANTED)["service_role"] == differences


def test_managed_policies_compare_as_a_set():
    layer = converged()
    layer["service_role"]["attached_policy_arns"] = ["b", "a"]
    wanted = copy.deepcopy(WANTED)
    wanted["service_role"]["managed_policy_arns"] = ["a", "b"]
    assert ssm_layer_writes(layer, wanted)["service_role"] == []


def test_the_inline_policy_is_compared_as_iam_policy_compares_it():
    layer = converged()
    # compare_policies: a single action as a string, lists in another order, mean the same.
    layer["service_role"]["inline_policies"]["agents"]["Statement"][0]["Action"] = ["kms:Decrypt", "ssm:GetParameter"]
    assert ssm_layer_writes(layer, WANTED)["service_role_policy"] == []
    layer["service_role"]["inline_policies"]["agents"]["Statement"][0]["Resource"] = ["a"]
    assert ssm_layer_writes(layer, WANTED)["service_role_policy"] == ["policy"]
    layer["service_role"]["inline_policies"] = {"agents": None}
    assert ssm_layer_writes(layer, WANTED)["service_role_policy"] == ["missing"]


@pytest.mark.parametrize(
    ("changes", "differences"),
    [
        ({"key_state": "Disabled"}, ["state"]),
        ({"key_state": "PendingDeletion"}, ["state"]),
        ({"description": ""}, ["description"]),
        ({"policy": dict(KEY_POLICY, Statement=[])}, ["policy"]),
        ({"enable_key_rotation": False}, ["rotation"]),
        ({"tags": {"Project": "other"}}, ["tags"]),
    ],
)
def test_kms_key_differences_are_named(changes, differences):
    layer = converged()
    layer["kms_key"].update(changes)
    assert ssm_layer_writes(layer, WANTED)["kms_key"] == differences


def test_a_key_the_role_does_not_manage_is_not_compared():
    layer = converged()
    layer["kms_key"] = {"key_arn": "arn:given", "key_state": "Enabled"}
    assert ssm_layer_writes(layer, dict(WANTED, kms_key=None))["kms_key"] == []
