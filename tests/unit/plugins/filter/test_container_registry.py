"""container_registry_writes (which write modules the registry role runs) and container_registry_uris (what it hands
on), on reads shaped as hybridcloud.aws.ecr_layer_info returns them."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.container_registry_uris import FilterModule as Uris
from ansible_collections.hybridcloud.aws.plugins.filter.container_registry_writes import FilterModule as Writes
from ansible_collections.hybridcloud.aws.plugins.filter.container_registry_writes import lifecycle_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import build_replication_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecr import normalize_replication_configuration

container_registry_writes = Writes().filters()["container_registry_writes"]
container_registry_uris = Uris().filters()["container_registry_uris"]

ACCOUNT = "123456789012"
KMS = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"
TAGS = {"Project": "hc"}
DEFAULTS = {"image_tag_mutability": "immutable", "scan_on_push": True, "keep_last_images": 30, "untagged_expire_days": 7, "kms_key": KMS}
RULES = [
    {
        "destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}],
        "repository_filters": [{"filter": "orders", "filter_type": "PREFIX_MATCH"}, {"filter": "team/api", "filter_type": "PREFIX_MATCH"}],
    }
]


def read_repository(name, keep=30, untagged=7, **changes):
    repo = {
        "repository_name": name,
        "repository_arn": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{name}",
        "repository_uri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}",
        "registry_id": ACCOUNT,
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_configuration": {"encryption_type": "KMS", "kms_key": KMS},
        "lifecycle_policy": lifecycle_policy(keep, untagged),
        "tags": dict(TAGS),
    }
    repo.update(changes)
    return repo


def converged():
    return {
        "registry_id": ACCOUNT,
        "region": "us-east-1",
        "replication_configuration": normalize_replication_configuration(build_replication_configuration(RULES)),
        "repositories": {"orders": read_repository("orders"), "team/api": read_repository("team/api", keep=5, untagged=2)},
        "missing": [],
    }


def wanted(replication=True, **defaults):
    return {
        "repositories": [{"name": "orders"}, {"name": "team/api", "keep_last_images": 5, "untagged_expire_days": 2}],
        "defaults": dict(DEFAULTS, **defaults),
        "tags": TAGS,
        "replication": {"rules": RULES} if replication else None,
    }


def test_a_converged_registry_needs_no_write():
    writes = container_registry_writes(converged(), wanted())
    assert writes["repositories"] == {"orders": [], "team/api": []}
    assert (writes["tags"], writes["replication"]) == ([], [])


def test_settings_are_each_repository_over_the_defaults():
    settings = container_registry_writes(converged(), wanted())["settings"]
    assert settings["orders"]["image_tag_mutability"] == "immutable"
    assert settings["orders"]["scan_on_push"] is True
    assert [rule["selection"]["countNumber"] for rule in settings["orders"]["lifecycle_policy"]["rules"]] == [7, 30]
    assert [rule["selection"]["countNumber"] for rule in settings["team/api"]["lifecycle_policy"]["rules"]] == [2, 5]
    assert settings["team/api"]["lifecycle_policy"]["rules"][0]["description"] == "expire untagged images after 2 days"
    no_scan = container_registry_writes(converged(), dict(wanted(), repositories=[{"name": "orders", "scan_on_push": False}]))
    assert no_scan["settings"]["orders"]["scan_on_push"] is False
    assert no_scan["repositories"]["orders"] == ["scan_on_push"]


def test_a_missing_repository_is_created_and_tagged():
    layer = converged()
    del layer["repositories"]["team/api"]
    layer["missing"] = ["team/api"]
    writes = container_registry_writes(layer, wanted())
    assert writes["repositories"] == {"orders": [], "team/api": ["missing"]}
    assert writes["tags"] == ["team/api"]


@pytest.mark.parametrize(
    ("changes", "differences"),
    [
        ({"image_tag_mutability": "MUTABLE"}, ["image_tag_mutability"]),
        ({"scan_on_push": False}, ["scan_on_push"]),
        ({"lifecycle_policy": None}, ["lifecycle_policy"]),
        ({"lifecycle_policy": lifecycle_policy(31, 7)}, ["lifecycle_policy"]),
        ({"encryption_configuration": {"encryption_type": "AES256"}}, ["encryption"]),
        ({"encryption_configuration": {"encryption_type": "KMS", "kms_key": KMS + "2"}}, ["encryption"]),
        ({"scan_on_push": False, "image_tag_mutability": "MUTABLE"}, ["image_tag_mutability", "scan_on_push"]),
    ],
)
def test_each_setting_that_differs_is_named(changes, differences):
    layer = converged()
    layer["repositories"]["orders"].update(changes)
    assert container_registry_writes(layer, wanted())["repositories"] == {"orders": differences, "team/api": []}


def test_the_lifecycle_policy_is_compared_as_ecs_ecr_compares_it():
    # ecs_ecr compares with amazon.aws's compare_policies: key order and a rule's place in the list mean nothing.
    layer = converged()
    policy = layer["repositories"]["orders"]["lifecycle_policy"]
    layer["repositories"]["orders"]["lifecycle_policy"] = {"rules": [dict(reversed(list(rule.items()))) for rule in reversed(policy["rules"])]}
    assert container_registry_writes(layer, wanted())["repositories"]["orders"] == []


def test_encryption_is_not_compared_without_a_kms_key():
    layer = converged()
    layer["repositories"]["orders"]["encryption_configuration"] = {"encryption_type": "AES256"}
    assert container_registry_writes(layer, wanted(kms_key=""))["repositories"]["orders"] == []


@pytest.mark.parametrize("tags", [{}, {"Project": "other"}, {"Project": "hc", "Extra": "1"}], ids=["none", "other value", "one more (purged)"])
def test_tags_that_differ_are_written(tags):
    layer = converged()
    layer["repositories"]["team/api"]["tags"] = tags
    writes = container_registry_writes(layer, wanted())
    assert writes["tags"] == ["team/api"]
    assert writes["repositories"] == {"orders": [], "team/api": []}


def test_replication_is_compared_as_the_replication_module_compares_it():
    layer = converged()
    # Filters in another order mean nothing to ECR (nor to ecr_replication_configuration).
    layer["replication_configuration"] = normalize_replication_configuration(
        {
            "rules": [
                {
                    "destinations": [{"region": "us-west-2", "registryId": ACCOUNT}],
                    "repositoryFilters": [{"filter": "team/api", "filterType": "PREFIX_MATCH"}, {"filter": "orders", "filterType": "PREFIX_MATCH"}],
                }
            ]
        }
    )
    assert container_registry_writes(layer, wanted())["replication"] == []
    for current in ({"rules": []}, normalize_replication_configuration({"rules": [{"destinations": [{"region": "eu-west-1", "registryId": ACCOUNT}]}]})):
        layer["replication_configuration"] = current
        assert container_registry_writes(layer, wanted())["replication"] == ["rules"]
    # Without a DR strategy the configuration is left as it is, whatever it holds.
    assert container_registry_writes(layer, wanted(replication=False))["replication"] == []


def test_uris_of_the_read_and_of_what_was_written():
    layer = converged()
    del layer["repositories"]["team/api"]
    layer["missing"] = ["team/api"]
    created = {
        "repositoryName": "team/api",
        "repositoryArn": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team/api",
        "repositoryUri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/api",
    }
    written = [{"item": {"key": "team/api"}, "repository": created}, {"skipped": True}]
    assert container_registry_uris(layer, written) == {
        "orders": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/orders",
        "team/api": created["repositoryUri"],
    }
    assert container_registry_uris(layer, written, "arn")["team/api"] == created["repositoryArn"]
    # A repository check mode would create has no ARN in ecs_ecr's answer: left out.
    assert container_registry_uris(layer, [{"repository": {"repositoryName": "team/api"}}]) == {"orders": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/orders"}


def test_uris_of_missing_repositories_in_aws_fixed_form_on_request():
    layer = copy.deepcopy(converged())
    del layer["repositories"]["team/api"]
    layer["missing"] = ["team/api"]
    assert container_registry_uris(layer, include_missing=True)["team/api"] == f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/api"
    assert "team/api" not in container_registry_uris(layer)
    with pytest.raises(ValueError, match="field must be uri or arn"):
        container_registry_uris(layer, field="name")
