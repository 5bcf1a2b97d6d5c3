import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_container_instance_info as module

CLUSTER = "prod"
PREFIX = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/"


def instance(number, ec2_id, external=False, **fields):
    attributes = [{"name": "ecs.os-type", "value": "linux"}]
    if external:
        attributes += [{"name": "ecs.capability.external"}, {"name": "location", "value": "onprem"}]
    answer = {
        "containerInstanceArn": f"{PREFIX}{number:032x}",
        "ec2InstanceId": ec2_id,
        "status": "ACTIVE",
        "agentConnected": True,
        "runningTasksCount": 2,
        "pendingTasksCount": 0,
        "attributes": attributes,
        "registeredResources": [
            {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
            {"name": "MEMORY", "type": "INTEGER", "integerValue": 3885},
            {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "51678"]},
        ],
        "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": 1536}],
        "versionInfo": {"agentVersion": "1.89.2", "dockerVersion": "DockerVersion: 20.10.24"},
        "registeredAt": datetime.datetime(2026, 5, 4, 10, 11, 12, tzinfo=datetime.timezone.utc),
        "tags": [{"key": "site", "value": "dc1"}],
    }
    answer.update(fields)
    return answer


@pytest.fixture
def ecs(module_run):
    return module_run("ecs")


def expect_list(ecs, arns, next_token=None, **params):
    answer = {"containerInstanceArns": arns}
    if next_token:
        answer["nextToken"] = next_token
    ecs.stubber.add_response("list_container_instances", answer, dict({"cluster": CLUSTER, "maxResults": 100}, **params))


def expect_describe(ecs, instances, failures=None):
    arns = [item["containerInstanceArn"] for item in instances] + [failure["arn"] for failure in failures or []]
    answer = {"containerInstances": instances, "failures": failures or []}
    ecs.stubber.add_response("describe_container_instances", answer, {"cluster": CLUSTER, "containerInstances": arns, "include": ["TAGS"]})


def test_returns_ec2_and_external_instances_in_a_readable_shape(ecs):
    ec2, onprem = instance(1, "i-0abc"), instance(2, "mi-0123456789abcdef0", external=True)
    expect_list(ecs, [ec2["containerInstanceArn"], onprem["containerInstanceArn"]])
    expect_describe(ecs, [ec2, onprem])
    result = ecs(module.main, {"cluster": CLUSTER})
    assert result["changed"] is False
    first, second = result["container_instances"]
    assert first["ec2_instance_id"] == "i-0abc"
    assert first["external"] is False
    assert second["external"] is True
    assert second["container_instance_id"] == f"{2:032x}"
    assert second["attributes"] == {"ecs.os-type": "linux", "ecs.capability.external": None, "location": "onprem"}
    assert second["registered_resources"] == {"CPU": 2048, "MEMORY": 3885, "PORTS": ["22", "51678"]}
    assert second["remaining_resources"] == {"CPU": 1536}
    assert second["running_tasks_count"] == 2
    assert second["agent_connected"] is True
    assert second["version_info"]["agent_version"] == "1.89.2"
    assert second["registered_at"] == "2026-05-04T10:11:12+00:00"
    assert second["tags"] == {"site": "dc1"}


def test_status_and_filter_are_passed_to_ecs(ecs):
    onprem = instance(2, "mi-0123456789abcdef0", external=True)
    expect_list(ecs, [onprem["containerInstanceArn"]], status="ACTIVE", filter="attribute:location == onprem")
    expect_describe(ecs, [onprem])
    result = ecs(module.main, {"cluster": CLUSTER, "status": "ACTIVE", "filter": "attribute:location == onprem"})
    assert [item["ec2_instance_id"] for item in result["container_instances"]] == ["mi-0123456789abcdef0"]


def test_external_only_keeps_ecs_anywhere_instances(ecs):
    ec2 = instance(1, "i-0abc")
    by_attribute = instance(2, "mi-0aaa", external=True)
    by_id_only = instance(3, "mi-0bbb")
    expect_list(ecs, [item["containerInstanceArn"] for item in (ec2, by_attribute, by_id_only)])
    expect_describe(ecs, [ec2, by_attribute, by_id_only])
    result = ecs(module.main, {"cluster": CLUSTER, "external_only": True})
    assert [item["ec2_instance_id"] for item in result["container_instances"]] == ["mi-0aaa", "mi-0bbb"]


def test_pages_are_followed_and_descriptions_batched_by_100(ecs):
    instances = [instance(number, f"mi-{number:017x}", external=True) for number in range(150)]
    arns = [item["containerInstanceArn"] for item in instances]
    expect_list(ecs, arns[:100], next_token="page2")
    expect_list(ecs, arns[100:], nextToken="page2")
    expect_describe(ecs, instances[:100])
    expect_describe(ecs, instances[100:])
    result = ecs(module.main, {"cluster": CLUSTER})
    assert len(result["container_instances"]) == 150
    assert result["container_instances"][149]["ec2_instance_id"] == f"mi-{149:017x}"


def test_empty_cluster_makes_no_describe_call(ecs):
    expect_list(ecs, [])
    result = ecs(module.main, {"cluster": CLUSTER})
    assert result["container_instances"] == []


def test_instance_gone_between_list_and_describe_is_left_out(ecs):
    present = instance(1, "i-0abc")
    gone = f"{PREFIX}{9:032x}"
    expect_list(ecs, [present["containerInstanceArn"], gone])
    expect_describe(ecs, [present], failures=[{"arn": gone, "reason": "MISSING"}])
    result = ecs(module.main, {"cluster": CLUSTER})
    assert [item["ec2_instance_id"] for item in result["container_instances"]] == ["i-0abc"]
    assert not result.get("warnings")


def test_missing_cluster_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("list_container_instances", "ClusterNotFoundException", "Cluster not found.", http_status_code=400)
    result = ecs(module.main, {"cluster": CLUSTER})
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list container instances of cluster prod")
    assert result["error"]["code"] == "ClusterNotFoundException"


def test_throttling_is_retried(ecs):
    item = instance(1, "i-0abc")
    expect_list(ecs, [item["containerInstanceArn"]])
    ecs.stubber.add_client_error("describe_container_instances", "ThrottlingException", "Rate exceeded", http_status_code=400)
    expect_describe(ecs, [item])
    result = ecs(module.main, {"cluster": CLUSTER})
    assert len(result["container_instances"]) == 1


def test_access_denied_is_reported_clearly(ecs):
    ecs.stubber.add_client_error("list_container_instances", "AccessDeniedException", "not authorized", http_status_code=400)
    result = ecs(module.main, {"cluster": CLUSTER})
    assert result["failed"] is True
    assert result["error"]["code"] == "AccessDeniedException"


def test_bad_status_is_rejected(ecs):
    result = ecs(module.main, {"cluster": CLUSTER, "status": "RUNNING"})
    assert result["failed"] is True
    assert "value of status must be one of" in result["msg"]
