"""module_utils/iam_role: what amazon.aws.iam_role and iam_policy would change on a role a layer read."""

from __future__ import annotations

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.iam_role import inline_policy_differences, role_differences, tags_differ

TASKS_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}]}
MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
WANTED = {"description": "instances", "assume_role_policy_document": TRUST, "managed_policies": [MANAGED], "tags": {"env": "prod", "size": 3}}
ROLE = {
    "description": "instances",
    # The same policy as IAM answers it: a single action as a string, statements in another key order.
    "assume_role_policy_document": {
        "Statement": [{"Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}, "Effect": "Allow"}],
        "Version": "2012-10-17",
    },
    "managed_policy_arns": [MANAGED],
    "inline_policies": {"pull": POLICY},
    "tags": {"env": "prod", "size": "3"},
}


def test_a_role_as_wanted_differs_in_nothing():
    assert role_differences(ROLE, WANTED) == []
    assert inline_policy_differences(ROLE, {"name": "pull", "document": POLICY}) == []


def test_a_role_not_read_is_missing_and_so_is_its_policy():
    assert role_differences(None, WANTED) == ["missing"]
    assert inline_policy_differences({}, {"name": "pull", "document": POLICY}) == ["missing"]
    assert inline_policy_differences(ROLE, {"name": "other", "document": POLICY}) == ["missing"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"description": "other"}, ["description"]),
        (
            {"assume_role_policy_document": {**TRUST, "Statement": [{**TRUST["Statement"][0], "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}},
            ["assume_role_policy"],
        ),
        ({"managed_policies": []}, ["managed_policies"]),
        ({"tags": {"env": "prod"}}, ["tags"]),
    ],
)
def test_each_difference_is_named(change, named):
    assert role_differences(ROLE, {**WANTED, **change}) == named


def test_no_description_wanted_leaves_the_description_alone():
    assert role_differences(dict(ROLE, description="set by hand"), {k: v for k, v in WANTED.items() if k != "description"}) == []


def test_a_changed_inline_policy_is_named():
    changed = {**POLICY, "Statement": [{**POLICY["Statement"][0], "Action": ["ecr:*"]}]}
    assert inline_policy_differences(ROLE, {"name": "pull", "document": changed}) == ["policy"]


def test_tags_compare_as_purge_tags_true_with_values_as_strings():
    assert not tags_differ({"a": "1"}, {"a": 1})
    assert tags_differ({"a": "1", "b": "2"}, {"a": "1"})
    assert tags_differ({}, {"a": "1"})
    assert not tags_differ(None, None)
