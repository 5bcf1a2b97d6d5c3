"""ECS Anywhere: external container instances on SSM managed instances, EXTERNAL task definitions and services,
service settings moto drops, ListContainerInstances filters and deregistration."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from support.managed_instances import new_managed_instance

LINUX_AGENT_ATTRIBUTES = [
    {"name": "ecs.os-type", "value": "linux"},
    {"name": "ecs.cpu-architecture", "value": "x86_64"},
    {"name": "ecs.capability.docker-remote-api.1.17"},
]
RESOURCES = [{"name": "CPU", "type": "INTEGER", "integerValue": 2048}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 3800}]


@pytest.fixture
def ecs(client):
    ecs = client("ecs")
    ecs.create_cluster(clusterName="lab-hybrid")
    return ecs


@pytest.fixture
def managed_instance(client, emulator_endpoint):
    return new_managed_instance(client, emulator_endpoint)


def register(ecs, instance_id, *attributes, cluster="lab-hybrid", **extra):
    return ecs.register_container_instance(
        cluster=cluster,
        instanceIdentityDocument=json.dumps({"instanceId": instance_id}),
        attributes=[*LINUX_AGENT_ATTRIBUTES, *attributes],
        totalResources=RESOURCES,
        versionInfo={"agentVersion": "1.89.0", "agentHash": "lab", "dockerVersion": "DockerVersion: 20.10.24"},
        **extra,
    )["containerInstance"]


def external_task_definition(ecs, network_mode="bridge", family="lab-app"):
    return ecs.register_task_definition(
        family=family,
        requiresCompatibilities=["EXTERNAL"],
        networkMode=network_mode,
        containerDefinitions=[{"name": "app", "image": "nginx:1.25", "memory": 128, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}],
    )["taskDefinition"]


def error_code(raised):
    return raised.value.response["Error"]["Code"]


# registration -----------------------------------------------------------------------------------------------------
def test_managed_instance_registers_as_an_external_container_instance(ecs, managed_instance):
    created = register(ecs, managed_instance, {"name": "location", "value": "onprem"})
    [instance] = ecs.describe_container_instances(cluster="lab-hybrid", containerInstances=[created["containerInstanceArn"]])["containerInstances"]

    assert instance["containerInstanceArn"].startswith("arn:aws:ecs:us-east-1:123456789012:container-instance/lab-hybrid/")
    assert instance["ec2InstanceId"] == managed_instance
    assert (instance["status"], instance["agentConnected"]) == ("ACTIVE", True)
    assert (instance["runningTasksCount"], instance["pendingTasksCount"]) == (0, 0)
    attributes = {a["name"]: a.get("value") for a in instance["attributes"]}
    assert attributes["location"] == "onprem"
    assert attributes["ecs.os-type"] == "linux"
    assert "ecs.capability.external" in attributes
    assert "ecs.capability.docker-remote-api.1.17" in attributes
    assert [(r["name"], r["integerValue"]) for r in instance["registeredResources"]] == [("CPU", 2048), ("MEMORY", 3800)]
    assert instance["versionInfo"]["agentVersion"] == "1.89.0"
    assert ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"][0]["registeredContainerInstancesCount"] == 1


def test_registering_again_refreshes_the_same_container_instance(ecs, managed_instance):
    first = register(ecs, managed_instance, {"name": "location", "value": "onprem"})
    again = register(ecs, managed_instance, {"name": "location", "value": "edge"}, containerInstanceArn=first["containerInstanceArn"])
    assert again["containerInstanceArn"] == first["containerInstanceArn"]
    assert again["version"] > first["version"]
    assert {a["name"]: a.get("value") for a in again["attributes"]}["location"] == "edge"
    assert len(ecs.list_container_instances(cluster="lab-hybrid")["containerInstanceArns"]) == 1


def test_registration_refuses_unknown_instances_clusters_and_documents(client, ecs, managed_instance):
    with pytest.raises(ClientError) as raised:
        register(ecs, "mi-0123456789abcdef0")
    assert error_code(raised) == "InvalidParameterException"
    with pytest.raises(ClientError) as raised:
        register(ecs, managed_instance, cluster="no-such-cluster")
    assert error_code(raised) == "ClusterNotFoundException"
    with pytest.raises(ClientError) as raised:
        ecs.register_container_instance(cluster="lab-hybrid", attributes=LINUX_AGENT_ATTRIBUTES)
    assert error_code(raised) == "ClientException"

    client("ecs").create_cluster(clusterName="other")
    register(ecs, managed_instance)
    with pytest.raises(ClientError) as raised:
        register(ecs, managed_instance, cluster="other")
    assert error_code(raised) == "InvalidParameterException"
    assert ecs.list_container_instances(cluster="other")["containerInstanceArns"] == []


def test_managed_instances_belong_to_their_region(client, emulator_endpoint, managed_instance):
    eu = client("ecs", region="eu-west-1")
    eu.create_cluster(clusterName="lab-hybrid")
    with pytest.raises(ClientError) as raised:
        register(eu, managed_instance)
    assert error_code(raised) == "InvalidParameterException"
    register(eu, new_managed_instance(client, emulator_endpoint, region="eu-west-1"))


# task definitions ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["bridge", "host", "none"])
def test_external_task_definitions_keep_their_network_mode(ecs, mode):
    registered = external_task_definition(ecs, mode)
    described = ecs.describe_task_definition(taskDefinition="lab-app")["taskDefinition"]
    for task_definition in (registered, described):
        assert task_definition["requiresCompatibilities"] == ["EXTERNAL"]
        assert task_definition["compatibilities"] == ["EXTERNAL", "EC2"]
        assert task_definition["networkMode"] == mode


def test_awsvpc_is_refused_for_external_and_ec2_definitions_are_external_compatible(ecs):
    with pytest.raises(ClientError) as raised:
        external_task_definition(ecs, "awsvpc")
    assert error_code(raised) == "ClientException"
    plain = ecs.register_task_definition(family="plain", containerDefinitions=[{"name": "c", "image": "busybox", "memory": 64}])["taskDefinition"]
    assert (plain["compatibilities"], plain["networkMode"]) == (["EXTERNAL", "EC2"], "bridge")
    fargate = ecs.register_task_definition(
        family="fg",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "c", "image": "busybox"}],
    )["taskDefinition"]
    assert "EXTERNAL" not in fargate["compatibilities"]


# services -----------------------------------------------------------------------------------------------------------
def test_external_service_lifecycle_keeps_its_settings(ecs):
    external_task_definition(ecs)
    created = ecs.create_service(
        cluster="lab-hybrid",
        serviceName="lab-app",
        taskDefinition="lab-app",
        desiredCount=2,
        launchType="EXTERNAL",
        deploymentConfiguration={"maximumPercent": 100, "minimumHealthyPercent": 50},
        placementConstraints=[{"type": "memberOf", "expression": "attribute:location == onprem"}],
        placementStrategy=[{"type": "spread", "field": "instanceId"}],
        enableExecuteCommand=True,
    )["service"]
    assert created["launchType"] == "EXTERNAL"
    assert created["deployments"][0]["launchType"] == "EXTERNAL"

    [service] = ecs.describe_services(cluster="lab-hybrid", services=["lab-app"])["services"]
    assert (service["launchType"], service["desiredCount"], service["taskDefinition"].endswith("task-definition/lab-app:1")) == ("EXTERNAL", 2, True)
    assert service["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 100,
        "minimumHealthyPercent": 50,
    }
    assert service["placementConstraints"] == [{"type": "memberOf", "expression": "attribute:location == onprem"}]
    assert service["placementStrategy"] == [{"type": "spread", "field": "instanceId"}]
    assert service["enableExecuteCommand"] is True
    assert ecs.list_services(cluster="lab-hybrid", launchType="EXTERNAL")["serviceArns"] == [service["serviceArn"]]

    external_task_definition(ecs)
    ecs.update_service(
        cluster="lab-hybrid",
        service="lab-app",
        taskDefinition="lab-app:2",
        desiredCount=1,
        deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 0},
    )
    [service] = ecs.describe_services(cluster="lab-hybrid", services=["lab-app"])["services"]
    assert service["taskDefinition"].endswith("task-definition/lab-app:2")
    assert (service["desiredCount"], service["deploymentConfiguration"]["minimumHealthyPercent"]) == (1, 0)

    ecs.delete_service(cluster="lab-hybrid", service="lab-app", force=True)
    assert ecs.describe_services(cluster="lab-hybrid", services=["lab-app"])["services"][0]["status"] == "INACTIVE"


@pytest.mark.parametrize(
    "extra",
    [
        {"taskDefinition": "fg"},
        {
            "loadBalancers": [
                {
                    "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef",
                    "containerName": "app",
                    "containerPort": 80,
                }
            ]
        },
        {"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-00000000"]}}},
        {"capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]},
    ],
)
def test_external_service_rules(ecs, extra):
    external_task_definition(ecs)
    ecs.register_task_definition(
        family="fg",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "c", "image": "busybox"}],
    )
    with pytest.raises(ClientError) as raised:
        ecs.create_service(cluster="lab-hybrid", serviceName="bad", desiredCount=1, launchType="EXTERNAL", **{"taskDefinition": "lab-app", **extra})
    assert error_code(raised) == "InvalidParameterException"
    assert ecs.list_services(cluster="lab-hybrid")["serviceArns"] == []


def test_capacity_provider_strategy_is_checked_and_kept(ecs):
    ecs.create_capacity_provider(
        name="lab-asg-cp",
        autoScalingGroupProvider={"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/lab"},
    )
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "c", "image": "nginx", "memory": 128}])
    strategy = [{"capacityProvider": "lab-asg-cp", "weight": 1, "base": 1}]
    with pytest.raises(ClientError) as raised:
        ecs.create_service(cluster="lab-hybrid", serviceName="web", taskDefinition="web", desiredCount=1, capacityProviderStrategy=strategy)
    assert error_code(raised) == "InvalidParameterException"

    ecs.put_cluster_capacity_providers(cluster="lab-hybrid", capacityProviders=["lab-asg-cp"], defaultCapacityProviderStrategy=[])
    ecs.create_service(cluster="lab-hybrid", serviceName="web", taskDefinition="web", desiredCount=1, capacityProviderStrategy=strategy)
    [service] = ecs.describe_services(cluster="lab-hybrid", services=["web"])["services"]
    assert service["capacityProviderStrategy"] == strategy
    assert "launchType" not in service
    assert service["deployments"][0]["capacityProviderStrategy"] == strategy

    ecs.put_cluster_capacity_providers(
        cluster="lab-hybrid", capacityProviders=["lab-asg-cp"], defaultCapacityProviderStrategy=[{"capacityProvider": "lab-asg-cp", "weight": 2}]
    )
    ecs.create_service(cluster="lab-hybrid", serviceName="web-default", taskDefinition="web", desiredCount=1)
    [service] = ecs.describe_services(cluster="lab-hybrid", services=["web-default"])["services"]
    assert service["capacityProviderStrategy"] == [{"capacityProvider": "lab-asg-cp", "weight": 2, "base": 0}]


def test_describe_capacity_providers_lists_all_pages_and_tags_only_on_request(ecs):
    group_arn = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/lab"
    for number in range(11):
        ecs.create_capacity_provider(
            name=f"lab-cp-{number:02d}", autoScalingGroupProvider={"autoScalingGroupArn": group_arn}, tags=[{"key": "n", "value": str(number)}]
        )
    first = ecs.describe_capacity_providers()
    assert (len(first["capacityProviders"]), "tags" in first["capacityProviders"][0]) == (10, False)
    second = ecs.describe_capacity_providers(nextToken=first["nextToken"], include=["TAGS"])
    assert [provider["name"] for provider in second["capacityProviders"]] == ["lab-cp-10", "FARGATE", "FARGATE_SPOT"]
    assert "nextToken" not in second
    assert second["capacityProviders"][0]["tags"] == [{"key": "n", "value": "10"}]
    assert "autoScalingGroupProvider" not in second["capacityProviders"][1]

    named = ecs.describe_capacity_providers(capacityProviders=["lab-cp-03", "FARGATE_SPOT", "missing"], include=["TAGS"])
    assert [provider["name"] for provider in named["capacityProviders"]] == ["lab-cp-03", "FARGATE_SPOT"]
    assert [failure["reason"] for failure in named["failures"]] == ["MISSING"]
    with pytest.raises(ClientError) as raised:
        ecs.describe_capacity_providers(maxResults=11)
    assert error_code(raised) == "InvalidParameterException"


# listing, filters and deregistration ------------------------------------------------------------------------------
@pytest.fixture
def two_instances(client, emulator_endpoint, ecs):
    onprem = register(ecs, new_managed_instance(client, emulator_endpoint), {"name": "location", "value": "onprem"})
    edge = ecs.register_container_instance(
        cluster="lab-hybrid",
        instanceIdentityDocument=json.dumps({"instanceId": new_managed_instance(client, emulator_endpoint)}),
        attributes=[{"name": "ecs.os-type", "value": "windows"}, {"name": "location", "value": "edge"}],
    )["containerInstance"]
    return onprem["containerInstanceArn"], edge["containerInstanceArn"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("attribute:location == onprem", ["onprem"]),
        ("attribute:ecs.os-type == linux", ["onprem"]),
        ("attribute:ecs.os-type != linux", ["edge"]),
        ("attribute:location in [onprem, edge]", ["onprem", "edge"]),
        ("attribute:ecs.cpu-architecture exists", ["onprem"]),
        ("attribute:ecs.cpu-architecture !exists and attribute:ecs.capability.external exists", ["edge"]),
        ("not (attribute:location == onprem) || attribute:ecs.os-type equals linux", ["onprem", "edge"]),
        ("ec2InstanceId =~ mi-.* and agentConnected == true and runningTasksCount == 0", ["onprem", "edge"]),
        ("attribute:location == nowhere", []),
    ],
)
def test_list_container_instances_honours_filters(ecs, two_instances, expression, expected):
    arns = dict(zip(("onprem", "edge"), two_instances, strict=True))
    listed = ecs.list_container_instances(cluster="lab-hybrid", filter=expression)["containerInstanceArns"]
    assert sorted(listed) == sorted(arns[name] for name in expected)


def test_list_container_instances_by_status_and_paging(ecs, two_instances):
    onprem, edge = two_instances
    ecs.update_container_instances_state(cluster="lab-hybrid", containerInstances=[edge], status="DRAINING")
    assert ecs.list_container_instances(cluster="lab-hybrid", status="DRAINING")["containerInstanceArns"] == [edge]
    assert ecs.list_container_instances(cluster="lab-hybrid", status="ACTIVE", filter="attribute:location exists")["containerInstanceArns"] == [onprem]
    first = ecs.list_container_instances(cluster="lab-hybrid", maxResults=1)
    second = ecs.list_container_instances(cluster="lab-hybrid", maxResults=1, nextToken=first["nextToken"])
    assert sorted(first["containerInstanceArns"] + second["containerInstanceArns"]) == sorted(two_instances)
    assert "nextToken" not in second


@pytest.mark.parametrize("expression", ["attribute:location ==", "location == onprem", "attribute:a == b and", "attribute:a in [b", "attribute:a =~ '('"])
def test_invalid_filters_are_refused(ecs, two_instances, expression):
    with pytest.raises(ClientError) as raised:
        ecs.list_container_instances(cluster="lab-hybrid", filter=expression)
    assert error_code(raised) == "InvalidParameterException"


def test_deregistering_an_external_instance(ecs, two_instances):
    onprem, edge = two_instances
    gone = ecs.deregister_container_instance(cluster="lab-hybrid", containerInstance=onprem)["containerInstance"]
    assert gone["status"] == "INACTIVE"
    assert ecs.list_container_instances(cluster="lab-hybrid")["containerInstanceArns"] == [edge]
    described = ecs.describe_container_instances(cluster="lab-hybrid", containerInstances=[onprem])
    assert described["containerInstances"] == []
    assert described["failures"][0]["reason"] == "MISSING"
    assert ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"][0]["registeredContainerInstancesCount"] == 1
    with pytest.raises(ClientError) as raised:
        ecs.deregister_container_instance(cluster="lab-hybrid", containerInstance=onprem)
    assert error_code(raised) == "InvalidParameterException"


def test_describe_in_a_cluster_without_instances_reports_missing(ecs):
    described = ecs.describe_container_instances(cluster="lab-hybrid", containerInstances=["0123"])
    assert described["containerInstances"] == []
    assert described["failures"][0]["reason"] == "MISSING"


# clusters and tags ------------------------------------------------------------------------------------------------
def test_describe_clusters_lists_capacity_providers_always_and_settings_when_asked(ecs):
    [plain] = ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"]
    assert (plain["capacityProviders"], plain["defaultCapacityProviderStrategy"]) == ([], [])
    assert "settings" not in plain
    [detailed] = ecs.describe_clusters(clusters=["lab-hybrid"], include=["SETTINGS", "TAGS"])["clusters"]
    assert detailed["settings"] == [{"name": "containerInsights", "value": "disabled"}]
    assert detailed["tags"] == []


def test_update_cluster_settings_round_trips_and_refuses_unknown_values(ecs):
    answer = ecs.update_cluster_settings(cluster="lab-hybrid", settings=[{"name": "containerInsights", "value": "enhanced"}])["cluster"]
    assert answer["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    [cluster] = ecs.describe_clusters(clusters=["lab-hybrid"], include=["SETTINGS"])["clusters"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enhanced"}]

    for settings in ([{"name": "containerInsights", "value": "on"}], [{"name": "logging", "value": "enabled"}]):
        with pytest.raises(ClientError) as raised:
            ecs.update_cluster_settings(cluster="lab-hybrid", settings=settings)
        assert error_code(raised) == "InvalidParameterException"
    with pytest.raises(ClientError) as raised:
        ecs.update_cluster_settings(cluster="nowhere", settings=[{"name": "containerInsights", "value": "enabled"}])
    assert error_code(raised) == "ClusterNotFoundException"
    [cluster] = ecs.describe_clusters(clusters=["lab-hybrid"], include=["SETTINGS"])["clusters"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enhanced"}]


def test_put_cluster_capacity_providers_round_trips_and_checks_its_input(ecs):
    ecs.create_capacity_provider(
        name="lab-asg-cp",
        autoScalingGroupProvider={"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/lab"},
    )
    ecs.put_cluster_capacity_providers(
        cluster="lab-hybrid", capacityProviders=["lab-asg-cp", "FARGATE"], defaultCapacityProviderStrategy=[{"capacityProvider": "lab-asg-cp", "weight": 1}]
    )
    [cluster] = ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"]
    assert cluster["capacityProviders"] == ["lab-asg-cp", "FARGATE"]
    assert cluster["defaultCapacityProviderStrategy"] == [{"capacityProvider": "lab-asg-cp", "weight": 1, "base": 0}]

    for providers, strategy in ((["missing-cp"], []), (["FARGATE"], [{"capacityProvider": "lab-asg-cp", "weight": 1}])):
        with pytest.raises(ClientError) as raised:
            ecs.put_cluster_capacity_providers(cluster="lab-hybrid", capacityProviders=providers, defaultCapacityProviderStrategy=strategy)
        assert error_code(raised) == "InvalidParameterException"

    ecs.put_cluster_capacity_providers(cluster="lab-hybrid", capacityProviders=[], defaultCapacityProviderStrategy=[])
    [cluster] = ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"]
    assert (cluster["capacityProviders"], cluster["defaultCapacityProviderStrategy"]) == ([], [])


def test_list_tags_for_resource_answers_a_list_for_untagged_resources(ecs, managed_instance):
    cluster_arn = ecs.describe_clusters(clusters=["lab-hybrid"])["clusters"][0]["clusterArn"]
    definition_arn = ecs.register_task_definition(family="web", containerDefinitions=[{"name": "c", "image": "nginx", "memory": 128}])["taskDefinition"][
        "taskDefinitionArn"
    ]
    service_arn = ecs.create_service(cluster="lab-hybrid", serviceName="web", taskDefinition="web", desiredCount=0)["service"]["serviceArn"]
    provider_arn = ecs.create_capacity_provider(
        name="lab-asg-cp",
        autoScalingGroupProvider={"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/lab"},
    )["capacityProvider"]["capacityProviderArn"]
    instance_arn = register(ecs, managed_instance)["containerInstanceArn"]
    for arn in (cluster_arn, definition_arn, service_arn, provider_arn, instance_arn):
        assert ecs.list_tags_for_resource(resourceArn=arn)["tags"] == [], arn

    ecs.tag_resource(resourceArn=cluster_arn, tags=[{"key": "Project", "value": "hybridcloud"}])
    ecs.tag_resource(resourceArn=instance_arn, tags=[{"key": "location", "value": "onprem"}])
    assert ecs.list_tags_for_resource(resourceArn=cluster_arn)["tags"] == [{"key": "Project", "value": "hybridcloud"}]
    assert ecs.list_tags_for_resource(resourceArn=instance_arn)["tags"] == [{"key": "location", "value": "onprem"}]
    ecs.untag_resource(resourceArn=cluster_arn, tagKeys=["Project"])
    assert ecs.list_tags_for_resource(resourceArn=cluster_arn)["tags"] == []

    with pytest.raises(ClientError) as raised:
        ecs.list_tags_for_resource(resourceArn="arn:aws:ecs:us-east-1:123456789012:capacity-provider/missing")
    assert error_code(raised) == "ClientException"


def test_update_container_instances_state_answers_like_describe(client, emulator_endpoint):
    ecs = client("ecs")
    ecs.create_cluster(clusterName="drain")
    managed_instance_id = new_managed_instance(client, emulator_endpoint)
    registered = ecs.register_container_instance(
        cluster="drain",
        instanceIdentityDocument=json.dumps({"instanceId": managed_instance_id}),
        attributes=[{"name": "location", "value": "onprem"}],
    )["containerInstance"]
    answer = ecs.update_container_instances_state(cluster="drain", containerInstances=[registered["containerInstanceArn"]], status="DRAINING")
    [changed] = answer["containerInstances"]
    described = ecs.describe_container_instances(cluster="drain", containerInstances=[registered["containerInstanceArn"]])["containerInstances"][0]
    assert changed["status"] == described["status"] == "DRAINING"
    assert changed["attributes"] == described["attributes"]
    assert {"name": "location", "value": "onprem"} in changed["attributes"]
