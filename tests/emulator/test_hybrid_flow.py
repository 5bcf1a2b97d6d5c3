"""One on-prem site end to end, as the collection builds it: an SSM managed instance that joins ECS as an external
container instance running an EXTERNAL service, and a file gateway appliance that exports an S3 bucket over NFS."""

from __future__ import annotations

import json

from support.managed_instances import create_activation, register_managed_instance

APPLIANCE = "10.254.0.210"
SGW_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "storagegateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def test_hybrid_site_flow(client, emulator_endpoint, lab_api):
    ssm, ecs, sgw = client("ssm"), client("ecs"), client("storagegateway")

    # 1. The host joins SSM with a hybrid activation, as the SSM agent does.
    activation = create_activation(client, limit=1)
    instance_id = register_managed_instance(emulator_endpoint, activation)
    assert ssm.describe_activations()["ActivationList"][0]["RegistrationsCount"] == 1

    # 2. Its ECS agent registers it as an external container instance.
    ecs.create_cluster(clusterName="lab-hybrid")
    ecs.register_container_instance(
        cluster="lab-hybrid",
        instanceIdentityDocument=json.dumps({"instanceId": instance_id}),
        attributes=[{"name": "ecs.os-type", "value": "linux"}, {"name": "location", "value": "onprem"}],
        totalResources=[{"name": "CPU", "type": "INTEGER", "integerValue": 2048}, {"name": "MEMORY", "type": "INTEGER", "integerValue": 3800}],
    )

    # 3. An EXTERNAL service is placed on on-prem capacity.
    ecs.register_task_definition(
        family="lab-app",
        requiresCompatibilities=["EXTERNAL"],
        networkMode="bridge",
        containerDefinitions=[{"name": "app", "image": "nginx:1.25", "memory": 128}],
    )
    ecs.create_service(
        cluster="lab-hybrid",
        serviceName="lab-app",
        taskDefinition="lab-app",
        desiredCount=1,
        launchType="EXTERNAL",
        placementConstraints=[{"type": "memberOf", "expression": "attribute:location == onprem"}],
    )

    # 4. The file gateway appliance hands out an activation key; the gateway is activated with it.
    status, issued = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": APPLIANCE, "region": "us-east-1"})
    assert status == 200
    gateway_arn = sgw.activate_gateway(
        ActivationKey=issued["activation_key"], GatewayName="lab-fgw", GatewayTimezone="GMT", GatewayRegion="us-east-1", GatewayType="FILE_S3"
    )["GatewayARN"]

    # 5. An NFS file share exports an existing bucket to the on-prem network.
    client("s3").create_bucket(Bucket="lab-hybrid-data")
    role = client("iam").create_role(RoleName="LabFileGatewayRole", AssumeRolePolicyDocument=json.dumps(SGW_TRUST))["Role"]["Arn"]
    share_arn = sgw.create_nfs_file_share(
        ClientToken="lab-hybrid-share",
        GatewayARN=gateway_arn,
        Role=role,
        LocationARN="arn:aws:s3:::lab-hybrid-data",
        ClientList=["10.254.0.192/26"],
        Squash="RootSquash",
    )["FileShareARN"]

    # Everything reads back as the on-prem roles will read it.
    [managed] = ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"]
    assert managed["ActivationId"] == activation["ActivationId"]

    [arn] = ecs.list_container_instances(cluster="lab-hybrid", filter="attribute:ecs.os-type == linux and attribute:location == onprem")[
        "containerInstanceArns"
    ]
    [instance] = ecs.describe_container_instances(cluster="lab-hybrid", containerInstances=[arn])["containerInstances"]
    assert (instance["ec2InstanceId"], instance["status"], instance["agentConnected"]) == (instance_id, "ACTIVE", True)
    assert "ecs.capability.external" in {a["name"] for a in instance["attributes"]}

    [service] = ecs.describe_services(cluster="lab-hybrid", services=["lab-app"])["services"]
    assert (service["launchType"], service["desiredCount"], service["status"]) == ("EXTERNAL", 1, "ACTIVE")
    task_definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    assert "EXTERNAL" in task_definition["compatibilities"]

    gateway = sgw.describe_gateway_information(GatewayARN=gateway_arn)
    address = gateway["GatewayNetworkInterfaces"][0]["Ipv4Address"]
    [share] = sgw.describe_nfs_file_shares(FileShareARNList=[share_arn])["NFSFileShareInfoList"]
    assert f"{address}:{share['Path']}" == f"{APPLIANCE}:/lab-hybrid-data"
    assert (share["ClientList"], share["Squash"], share["FileShareStatus"]) == (["10.254.0.192/26"], "RootSquash", "AVAILABLE")

    status, exported = lab_api("GET", f"/_lab/storagegateway/gateways/{gateway['GatewayId']}/shares")
    assert status == 200
    assert [(s["path"], s["bucket"]) for s in exported["shares"]] == [("/lab-hybrid-data", "lab-hybrid-data")]
