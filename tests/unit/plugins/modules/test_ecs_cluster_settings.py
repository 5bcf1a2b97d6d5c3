import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_cluster_settings as module

ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud"
DESCRIBE = {"clusters": ["hybridcloud"], "include": ["SETTINGS"]}
ARGS = {"cluster": "hybridcloud", "container_insights": "enabled"}


def cluster(insights="disabled", status="ACTIVE"):
    return {"clusterArn": ARN, "clusterName": "hybridcloud", "status": status, "settings": [{"name": "containerInsights", "value": insights}]}


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_cluster(ecs, found):
    ecs.stubber.add_response("describe_clusters", {"clusters": [found], "failures": []}, DESCRIBE)


def expect_update(ecs, value):
    ecs.stubber.add_response(
        "update_cluster_settings",
        {"cluster": cluster(value)},
        {"cluster": ARN, "settings": [{"name": "containerInsights", "value": value}]},
    )


def test_enables_container_insights(ecs):
    expect_cluster(ecs, cluster("disabled"))
    expect_update(ecs, "enabled")
    result = ecs(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert (result["cluster_arn"], result["cluster_name"], result["container_insights"]) == (ARN, "hybridcloud", "enabled")
    assert result["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert result["diff"] == {"before": {"container_insights": "disabled"}, "after": {"container_insights": "enabled"}}


def test_matching_setting_is_a_no_op(ecs):
    expect_cluster(ecs, cluster("enabled"))
    result = ecs(module.main, ARGS)
    assert result["changed"] is False
    assert result["container_insights"] == "enabled"


def test_switches_to_enhanced_and_back_by_arn(ecs):
    ecs.stubber.add_response("describe_clusters", {"clusters": [cluster("enhanced")], "failures": []}, {"clusters": [ARN], "include": ["SETTINGS"]})
    expect_update(ecs, "disabled")
    result = ecs(module.main, {"cluster": ARN, "container_insights": "disabled"})
    assert (result["changed"], result["container_insights"]) == (True, "disabled")


def test_missing_setting_is_set(ecs):
    expect_cluster(ecs, dict(cluster(), settings=[]))
    expect_update(ecs, "enabled")
    assert ecs(module.main, ARGS)["changed"] is True


def test_check_mode_reports_the_change_without_making_it(ecs):
    expect_cluster(ecs, cluster("disabled"))
    result = ecs(module.main, dict(ARGS, container_insights="enhanced"), check_mode=True, diff=True)
    assert (result["changed"], result["container_insights"]) == (True, "enhanced")
    assert result["diff"]["before"] == {"container_insights": "disabled"}


@pytest.mark.parametrize(
    "answer", [{"clusters": [], "failures": [{"arn": ARN, "reason": "MISSING"}]}, {"clusters": [cluster(status="INACTIVE")], "failures": []}]
)
def test_missing_or_deleted_cluster_fails_clearly(ecs, answer):
    ecs.stubber.add_response("describe_clusters", answer, DESCRIBE)
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert "ECS cluster hybridcloud does not exist; create it first" in result["msg"]


def test_throttling_is_retried(ecs):
    ecs.stubber.add_client_error("describe_clusters", "ThrottlingException", http_status_code=400, expected_params=DESCRIBE)
    expect_cluster(ecs, cluster("disabled"))
    ecs.stubber.add_client_error("update_cluster_settings", "ThrottlingException", http_status_code=400)
    expect_update(ecs, "enabled")
    result = ecs(module.main, ARGS)
    assert (result["changed"], result["container_insights"]) == (True, "enabled")


def test_access_denied_is_reported_clearly(ecs):
    expect_cluster(ecs, cluster("disabled"))
    ecs.stubber.add_client_error(
        "update_cluster_settings", "AccessDeniedException", "not authorized to perform ecs:UpdateClusterSettings", http_status_code=400
    )
    result = ecs(module.main, ARGS)
    assert result["failed"] is True
    assert f"Failed to update the settings of cluster {ARN}" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"cluster": "hybridcloud", "container_insights": "on"}, "value of container_insights must be one of: enabled, disabled, enhanced"),
        ({"cluster": " ", "container_insights": "enabled"}, "cluster must name an ECS cluster"),
        ({"container_insights": "enabled"}, "missing required arguments: cluster"),
    ],
)
def test_bad_input_is_refused_before_any_call(ecs, args, message):
    result = ecs(module.main, args)
    assert result["failed"] is True
    assert message in result["msg"]
