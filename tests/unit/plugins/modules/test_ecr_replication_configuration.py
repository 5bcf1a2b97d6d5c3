"""ecr_replication_configuration against botocore's Stubber: read with DescribeRegistry, write only what differs, check
mode and diff, order of destinations and filters not significant, bad rules refused before any call."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ecr_replication_configuration as module

ACCOUNT = "123456789012"
API_RULE = {
    "destinations": [{"region": "us-west-2", "registryId": ACCOUNT}],
    "repositoryFilters": [{"filter": "orders", "filterType": "PREFIX_MATCH"}, {"filter": "team/api", "filterType": "PREFIX_MATCH"}],
}
RULE = {
    "destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}],
    "repository_filters": [{"filter": "orders"}, {"filter": "team/api"}],
}


@pytest.fixture
def ecr(module_run):
    return module_run("ecr")


def expect_registry(ecr, rules):
    answer = {"registryId": ACCOUNT, "replicationConfiguration": {"rules": rules}}
    ecr.stubber.add_response("describe_registry", answer, {})


def expect_put(ecr, rules):
    configuration = {"rules": rules}
    ecr.stubber.add_response("put_replication_configuration", {"replicationConfiguration": configuration}, {"replicationConfiguration": configuration})


def test_sets_the_rules_on_an_empty_registry(ecr):
    expect_registry(ecr, [])
    expect_put(ecr, [API_RULE])
    result = ecr(module.main, {"rules": [RULE]}, diff=True)
    assert result["changed"] is True
    assert result["registry_id"] == ACCOUNT
    assert result["diff"]["before"] == {"rules": []}
    [rule] = result["replication_configuration"]["rules"]
    assert rule["destinations"] == [{"region": "us-west-2", "registry_id": ACCOUNT}]
    assert [f["filter"] for f in rule["repository_filters"]] == ["orders", "team/api"]
    assert rule["delete_replication"] is False


def test_same_rules_in_another_inner_order_are_a_no_op(ecr):
    swapped = dict(API_RULE, repositoryFilters=list(reversed(API_RULE["repositoryFilters"])))
    expect_registry(ecr, [swapped])
    result = ecr(module.main, {"rules": [RULE]})
    assert result["changed"] is False


def test_a_changed_destination_is_written(ecr):
    expect_registry(ecr, [API_RULE])
    moved = dict(API_RULE, destinations=[{"region": "eu-west-1", "registryId": ACCOUNT}])
    expect_put(ecr, [moved])
    result = ecr(module.main, {"rules": [dict(RULE, destinations=[{"region": "eu-west-1", "registry_id": ACCOUNT}])]}, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["destinations"][0]["region"] == "us-west-2"
    assert result["replication_configuration"]["rules"][0]["destinations"][0]["region"] == "eu-west-1"


def test_check_mode_reports_without_writing(ecr):
    expect_registry(ecr, [])
    result = ecr(module.main, {"rules": [RULE]}, check_mode=True)
    assert result["changed"] is True
    assert result["replication_configuration"]["rules"][0]["destinations"][0]["region"] == "us-west-2"


def test_absent_removes_every_rule_and_then_is_a_no_op(ecr):
    expect_registry(ecr, [API_RULE])
    expect_put(ecr, [])
    assert ecr(module.main, {"state": "absent"})["changed"] is True
    expect_registry(ecr, [])
    assert ecr(module.main, {"state": "absent"})["changed"] is False


def test_a_rule_without_filters_replicates_every_repository_and_delete_replication(ecr):
    expect_registry(ecr, [])
    expect_put(ecr, [{"destinations": API_RULE["destinations"], "deleteReplication": {"enabled": True}}])
    result = ecr(module.main, {"rules": [{"destinations": RULE["destinations"], "delete_replication": True}]})
    assert result["replication_configuration"]["rules"][0]["repository_filters"] == []
    assert result["replication_configuration"]["rules"][0]["delete_replication"] is True


def test_throttling_is_retried_and_errors_are_named(ecr):
    ecr.stubber.add_client_error("describe_registry", "ThrottlingException", http_status_code=400)
    expect_registry(ecr, [API_RULE])
    assert ecr(module.main, {"rules": [RULE]})["changed"] is False
    ecr.stubber.add_client_error("describe_registry", "AccessDeniedException", "not allowed", http_status_code=400)
    result = ecr(module.main, {"rules": [RULE]})
    assert result["failed"] is True
    assert "Failed to describe the ECR registry" in result["msg"]


def test_the_same_registry_refused_by_ecr_is_reported(ecr):
    same = {"destinations": [{"region": "us-east-1", "registryId": ACCOUNT}]}
    expect_registry(ecr, [])
    ecr.stubber.add_client_error(
        "put_replication_configuration",
        "InvalidParameterException",
        "Replication destination cannot be the same as the source registry",
        expected_params={"replicationConfiguration": {"rules": [same]}},
    )
    result = ecr(module.main, {"rules": [{"destinations": [{"region": "us-east-1", "registry_id": ACCOUNT}]}]})
    assert result["failed"] is True
    assert "cannot be the same as the source registry" in result["msg"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"destinations": []}], "rules[0].destinations: at least one destination is required"),
        ([{"destinations": [{"region": "Ireland", "registry_id": ACCOUNT}]}], "region 'Ireland' is not a region name"),
        ([{"destinations": [{"region": "eu-west-1", "registry_id": "1234"}]}], "registry_id '1234' must be a 12-digit account id"),
        ([dict(RULE, repository_filters=[{"filter": "Orders"}])], "rules[0].repository_filters: 'Orders' must be 2 to 256 lowercase"),
        ([RULE] * 11, "at most 10 rules are allowed, got 11"),
        (
            [{"destinations": [{"region": f"eu-west-{n % 3 + 1}", "registry_id": f"{n:012d}"} for n in range(26)]}],
            "at most 25 distinct destinations are allowed, got 26",
        ),
    ],
)
def test_bad_rules_fail_before_any_call(ecr, rules, message):
    result = ecr(module.main, {"rules": rules})
    assert result["failed"] is True
    assert message in result["msg"]
