"""ecr_layer_info: one read of the registry layer, validated against botocore's ECR model (the calls run one after the
other here, so that the Stubber sees them in order)."""

import json

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils import ecr_layer
from ansible_collections.hybridcloud.aws.plugins.modules import ecr_layer_info

ACCOUNT = "123456789012"
POLICY = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]}
REPLICATION = {
    "rules": [{"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": "orders", "filterType": "PREFIX_MATCH"}]}]
}


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(ecr_layer, "MAX_WORKERS", 1)


def repository(name, kms_key=None):
    encryption = {"encryptionType": "KMS", "kmsKey": kms_key} if kms_key else {"encryptionType": "AES256"}
    return {
        "repositoryName": name,
        "repositoryArn": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{name}",
        "repositoryUri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}",
        "registryId": ACCOUNT,
        "imageTagMutability": "IMMUTABLE",
        "imageScanningConfiguration": {"scanOnPush": True},
        "encryptionConfiguration": encryption,
    }


def expect_registry(stubber, replication=None):
    stubber.add_response("describe_registry", {"registryId": ACCOUNT, "replicationConfiguration": replication or {"rules": []}}, {})


def test_reads_the_named_repositories_in_one_call_with_their_policies_and_tags(module_run):
    run = module_run("ecr")
    expect_registry(run.stubber, REPLICATION)
    run.stubber.add_response(
        "describe_repositories",
        {"repositories": [repository("orders", kms_key="arn:aws:kms:us-east-1:1:key/k"), repository("team/api")]},
        {"repositoryNames": ["orders", "team/api"]},
    )
    run.stubber.add_response("get_lifecycle_policy", {"repositoryName": "orders", "lifecyclePolicyText": json.dumps(POLICY)}, {"repositoryName": "orders"})
    run.stubber.add_client_error("get_lifecycle_policy", "LifecyclePolicyNotFoundException", expected_params={"repositoryName": "team/api"})
    run.stubber.add_response("list_tags_for_resource", {"tags": [{"Key": "Project", "Value": "hc"}]}, {"resourceArn": repository("orders")["repositoryArn"]})
    run.stubber.add_response("list_tags_for_resource", {"tags": []}, {"resourceArn": repository("team/api")["repositoryArn"]})

    result = run(ecr_layer_info.main, {"names": ["orders", "team/api", "orders"]})

    assert result["changed"] is False
    assert result["registry_id"] == ACCOUNT
    assert result["missing"] == []
    assert result["replication_configuration"] == {
        "rules": [
            {
                "destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}],
                "repository_filters": [{"filter": "orders", "filter_type": "PREFIX_MATCH"}],
                "delete_replication": False,
            }
        ]
    }
    orders, api = result["repositories"]["orders"], result["repositories"]["team/api"]
    assert orders == {
        "repository_name": "orders",
        "repository_arn": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/orders",
        "repository_uri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/orders",
        "registry_id": ACCOUNT,
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_configuration": {"encryption_type": "KMS", "kms_key": "arn:aws:kms:us-east-1:1:key/k"},
        "lifecycle_policy": POLICY,
        "tags": {"Project": "hc"},
    }
    assert (api["lifecycle_policy"], api["tags"], api["encryption_configuration"]) == (None, {}, {"encryption_type": "AES256"})


def test_a_missing_repository_falls_back_to_listing_the_registry(module_run):
    run = module_run("ecr")
    expect_registry(run.stubber)
    run.stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", expected_params={"repositoryNames": ["orders", "team/api"]})
    run.stubber.add_response("describe_repositories", {"repositories": [repository("orders"), repository("unrelated")], "nextToken": "t"}, {})
    run.stubber.add_response("describe_repositories", {"repositories": [repository("other")]}, {"nextToken": "t"})
    run.stubber.add_response("get_lifecycle_policy", {"repositoryName": "orders", "lifecyclePolicyText": json.dumps(POLICY)}, {"repositoryName": "orders"})
    run.stubber.add_response("list_tags_for_resource", {"tags": []}, {"resourceArn": repository("orders")["repositoryArn"]})

    result = run(ecr_layer_info.main, {"names": ["orders", "team/api"]})

    assert sorted(result["repositories"]) == ["orders"]
    assert result["missing"] == ["team/api"]


def test_no_names_and_no_registry_makes_no_call(module_run):
    run = module_run("ecr")
    result = run(ecr_layer_info.main, {"names": [], "registry": False})
    assert (result["repositories"], result["missing"], result["registry_id"], result["replication_configuration"]) == ({}, [], "", {"rules": []})


def test_an_aws_error_fails_with_its_message(module_run):
    run = module_run("ecr")
    expect_registry(run.stubber)
    run.stubber.add_client_error("describe_repositories", "AccessDeniedException", "not allowed", expected_params={"repositoryNames": ["orders"]})
    result = run(ecr_layer_info.main, {"names": ["orders"]})
    assert result["failed"] is True
    assert "Failed to describe the ECR repositories" in result["msg"]
    assert "not allowed" in result["msg"]
