"""SSM hybrid activations, agent registration and heartbeats, managed-instance inventory, tags and SendCommand."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EC2_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture
def ssm(client):
    return client("ssm")


@pytest.fixture
def ssm_role(client):
    client("iam").create_role(RoleName="LabSSMRole", AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    return "LabSSMRole"


@pytest.fixture
def agent(emulator_endpoint):
    """agent(operation, payload, signed_as=None, region="us-east-1") -> (HTTP status, JSON answer), as the SSM agent sends it."""

    def call(operation, payload, signed_as=None, region="us-east-1"):
        headers = {"X-Amz-Target": f"AmazonSSM.{operation}", "Content-Type": "application/x-amz-json-1.1"}
        request = AWSRequest(method="POST", url=emulator_endpoint + "/", data=json.dumps(payload).encode(), headers=headers)
        if signed_as:
            SigV4Auth(Credentials(*signed_as), "ssm", region).add_auth(request)
        prepared = request.prepare()
        http_request = urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST")
        try:
            with urllib.request.urlopen(http_request, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    return call


def register(agent, activation, code=None):
    return agent(
        "RegisterManagedInstance",
        {
            "ActivationId": activation["ActivationId"],
            "ActivationCode": code or activation["ActivationCode"],
            "PublicKey": "MIIBIjANBgkq-lab-public-key",
            "PublicKeyType": "Rsa",
            "Fingerprint": "lab-fingerprint",
        },
    )


def heartbeat(agent, instance_id, **fields):
    payload = {
        "InstanceId": instance_id,
        "AgentVersion": "3.3.0.0",
        "AgentStatus": "Active",
        "PlatformName": "Debian GNU/Linux",
        "PlatformType": "Linux",
        "PlatformVersion": "12",
        "IPAddress": "10.254.0.200",
        "ComputerName": "onprem-1",
        **fields,
    }
    return agent("UpdateInstanceInformation", payload, signed_as=("AKIDANYAGENTKEY00001", "any-secret"))


def error_code(raised):
    return raised.value.response["Error"]["Code"]


# CreateActivation / DescribeActivations / DeleteActivation ---------------------------------------------------------
def test_create_activation_is_stored_with_aws_defaults(ssm, ssm_role):
    before = datetime.now(timezone.utc)
    created = ssm.create_activation(
        IamRole=ssm_role, Description="lab hosts", DefaultInstanceName="onprem", RegistrationLimit=5, Tags=[{"Key": "env", "Value": "lab"}]
    )
    assert re.fullmatch(r"[0-9a-f-]{36}", created["ActivationId"])
    assert len(created["ActivationCode"]) == 20

    [activation] = ssm.describe_activations()["ActivationList"]
    assert activation["ActivationId"] == created["ActivationId"]
    assert "ActivationCode" not in activation
    assert activation["IamRole"] == ssm_role
    assert activation["Description"] == "lab hosts"
    assert activation["DefaultInstanceName"] == "onprem"
    assert activation["RegistrationLimit"] == 5
    assert activation["RegistrationsCount"] == 0
    assert activation["Expired"] is False
    assert activation["Tags"] == [{"Key": "env", "Value": "lab"}]
    assert before - timedelta(seconds=5) <= activation["CreatedDate"] <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert abs((activation["ExpirationDate"] - activation["CreatedDate"]) - timedelta(hours=24)) < timedelta(seconds=5)


def test_create_activation_defaults_to_one_registration_and_keeps_an_explicit_expiry(ssm, ssm_role):
    expiry = (datetime.now(timezone.utc) + timedelta(days=30) - timedelta(minutes=1)).replace(microsecond=0)
    ssm.create_activation(IamRole=ssm_role, ExpirationDate=expiry)
    [activation] = ssm.describe_activations()["ActivationList"]
    assert activation["RegistrationLimit"] == 1
    assert activation["ExpirationDate"] == expiry


def test_create_activation_accepts_a_role_with_its_path(client, ssm):
    client("iam").create_role(RoleName="PathRole", Path="/service-role/", AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm.create_activation(IamRole="service-role/PathRole")
    assert ssm.describe_activations()["ActivationList"][0]["IamRole"] == "service-role/PathRole"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"IamRole": "NoSuchRole"}, "Nonexistent role"),
        ({"IamRole": "Ec2OnlyRole"}, "missing ssm service principal"),
        ({"IamRole": "LabSSMRole", "RegistrationLimit": 1001}, "registrationLimit"),
        ({"IamRole": "LabSSMRole", "ExpirationDate": datetime.now(timezone.utc) + timedelta(days=31)}, "30 days"),
        ({"IamRole": "LabSSMRole", "ExpirationDate": datetime.now(timezone.utc) - timedelta(hours=1)}, "future"),
        ({"IamRole": "LabSSMRole", "Description": "d" * 257}, "description"),
    ],
)
def test_create_activation_validates_as_aws(client, ssm, ssm_role, kwargs, message):
    client("iam").create_role(RoleName="Ec2OnlyRole", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    with pytest.raises(ClientError) as raised:
        ssm.create_activation(**kwargs)
    assert error_code(raised) == "ValidationException"
    assert message in raised.value.response["Error"]["Message"]
    assert ssm.describe_activations()["ActivationList"] == []


def test_describe_activations_filters_and_paginates(client, ssm, ssm_role):
    client("iam").create_role(RoleName="OtherSSMRole", AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ids = [ssm.create_activation(IamRole=ssm_role, DefaultInstanceName=f"host-{n}")["ActivationId"] for n in range(3)]
    other = ssm.create_activation(IamRole="OtherSSMRole", DefaultInstanceName="host-0")["ActivationId"]

    def listed(**kwargs):
        return [a["ActivationId"] for a in ssm.describe_activations(**kwargs)["ActivationList"]]

    assert listed(Filters=[{"FilterKey": "ActivationIds", "FilterValues": [ids[1], other]}]) == [ids[1], other]
    assert listed(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": ["host-0"]}]) == [ids[0], other]
    assert listed(Filters=[{"FilterKey": "IamRole", "FilterValues": ["OtherSSMRole"]}]) == [other]
    assert listed(Filters=[{"FilterKey": "IamRole", "FilterValues": ["OtherSSMRole"]}, {"FilterKey": "DefaultInstanceName", "FilterValues": ["host-1"]}]) == []

    first = ssm.describe_activations(MaxResults=3)
    assert len(first["ActivationList"]) == 3
    second = ssm.describe_activations(MaxResults=3, NextToken=first["NextToken"])
    assert [a["ActivationId"] for a in second["ActivationList"]] == [other]
    assert "NextToken" not in second
    pages = ssm.get_paginator("describe_activations").paginate(PaginationConfig={"PageSize": 2})
    assert [a["ActivationId"] for page in pages for a in page["ActivationList"]] == [*ids, other]

    with pytest.raises(ClientError) as raised:
        ssm.describe_activations(NextToken="garbage")
    assert error_code(raised) == "InvalidNextToken"
    with pytest.raises(ClientError) as raised:
        ssm.describe_activations(Filters=[{"FilterKey": "Nope", "FilterValues": ["x"]}])
    assert error_code(raised) == "InvalidFilter"


def test_delete_activation_removes_it_and_refuses_unknown_ids(ssm, ssm_role):
    kept = ssm.create_activation(IamRole=ssm_role)["ActivationId"]
    gone = ssm.create_activation(IamRole=ssm_role)["ActivationId"]
    ssm.delete_activation(ActivationId=gone)
    assert [a["ActivationId"] for a in ssm.describe_activations()["ActivationList"]] == [kept]

    with pytest.raises(ClientError) as raised:
        ssm.delete_activation(ActivationId="00000000-0000-0000-0000-000000000000")
    assert error_code(raised) == "InvalidActivationId"
    with pytest.raises(ClientError) as raised:
        ssm.delete_activation(ActivationId=gone)
    assert error_code(raised) == "InvalidActivation"


def test_activations_are_per_region(client, ssm, ssm_role):
    ssm.create_activation(IamRole=ssm_role)
    assert client("ssm", region="eu-west-1").describe_activations()["ActivationList"] == []


# RegisterManagedInstance ----------------------------------------------------------------------------------------
def test_agent_registration_creates_a_managed_instance(ssm, ssm_role, agent, lab_api):
    activation = ssm.create_activation(IamRole=ssm_role, DefaultInstanceName="onprem", RegistrationLimit=2, Tags=[{"Key": "env", "Value": "lab"}])
    status, answer = register(agent, activation)
    assert status == 200
    instance_id = answer["InstanceId"]
    assert re.fullmatch(r"mi-[0-9a-f]{17}", instance_id)

    assert ssm.describe_activations()["ActivationList"][0]["RegistrationsCount"] == 1
    [info] = ssm.describe_instance_information()["InstanceInformationList"]
    assert info["InstanceId"] == instance_id
    assert info["ActivationId"] == activation["ActivationId"]
    assert info["IamRole"] == ssm_role
    assert info["Name"] == "onprem"
    assert info["ResourceType"] == "ManagedInstance"
    assert info["PingStatus"] == "ConnectionLost"  # registered, but the agent has not reported in yet
    assert isinstance(info["RegistrationDate"], datetime)
    # Activation tags are applied to the instances it registers.
    assert ssm.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=instance_id)["TagList"] == [{"Key": "env", "Value": "lab"}]
    log = lab_api("GET", "/_lab/requests")[1]["requests"]
    assert {"service": "ssm", "operation": "RegisterManagedInstance", "status": 200, "mutating": True} in [
        {k: r[k] for k in ("service", "operation", "status", "mutating")} for r in log
    ]


def test_registration_is_refused_for_bad_codes_ids_deleted_expired_and_exhausted_activations(ssm, ssm_role, agent, lab_api):
    activation = ssm.create_activation(IamRole=ssm_role, RegistrationLimit=1)
    assert register(agent, activation, code="WRONGWRONGWRONGWRONG")[1]["__type"] == "InvalidActivation"
    assert register(agent, {**activation, "ActivationId": "00000000-0000-0000-0000-000000000000"})[1]["__type"] == "InvalidActivationId"

    assert register(agent, activation)[0] == 200
    status, answer = register(agent, activation)
    assert (status, answer["__type"]) == (400, "InvalidActivation")
    assert "registration limit" in answer["Message"]  # moto serializes JSON errors with "Message"

    expiring = ssm.create_activation(IamRole=ssm_role)
    assert lab_api("POST", f"/_lab/ssm/activations/{expiring['ActivationId']}/expire")[0] == 200
    assert register(agent, expiring)[1]["__type"] == "ActivationExpired"
    expired = ssm.describe_activations(Filters=[{"FilterKey": "ActivationIds", "FilterValues": [expiring["ActivationId"]]}])["ActivationList"][0]
    assert expired["Expired"] is True

    deleted = ssm.create_activation(IamRole=ssm_role)
    ssm.delete_activation(ActivationId=deleted["ActivationId"])
    assert register(agent, deleted)[1]["__type"] == "InvalidActivation"
    assert len(ssm.describe_instance_information()["InstanceInformationList"]) == 1


# Heartbeats and PingStatus --------------------------------------------------------------------------------------
def test_heartbeat_makes_the_instance_online_until_the_ping_timeout(ssm, ssm_role, agent, lab_api):
    instance_id = register(agent, ssm.create_activation(IamRole=ssm_role))[1]["InstanceId"]
    assert heartbeat(agent, instance_id) == (200, {})

    [info] = ssm.describe_instance_information()["InstanceInformationList"]
    assert info["PingStatus"] == "Online"
    assert info["AgentVersion"] == "3.3.0.0"
    assert (info["PlatformType"], info["PlatformName"], info["PlatformVersion"]) == ("Linux", "Debian GNU/Linux", "12")
    assert (info["IPAddress"], info["ComputerName"]) == ("10.254.0.200", "onprem-1")
    assert isinstance(info["LastPingDateTime"], datetime)

    assert lab_api("POST", "/_lab/ssm/settings", json={"ping_timeout": 0.3}) == (200, {"ping_timeout": 0.3})
    time.sleep(0.4)
    assert ssm.describe_instance_information()["InstanceInformationList"][0]["PingStatus"] == "ConnectionLost"
    heartbeat(agent, instance_id, AgentVersion="3.3.1.0")
    [info] = ssm.describe_instance_information()["InstanceInformationList"]
    assert (info["PingStatus"], info["AgentVersion"]) == ("Online", "3.3.1.0")


def test_reset_restores_the_default_ping_timeout(lab_api):
    lab_api("POST", "/_lab/ssm/settings", json={"ping_timeout": 5})
    lab_api("POST", "/_lab/reset")
    assert lab_api("GET", "/_lab/ssm/settings") == (200, {"ping_timeout": 300.0})
    assert lab_api("POST", "/_lab/ssm/settings", json={"ping_timeout": -1})[0] == 400


def test_heartbeats_need_a_signature_and_an_existing_managed_instance(ssm, ssm_role, agent):
    instance_id = register(agent, ssm.create_activation(IamRole=ssm_role))[1]["InstanceId"]
    status, answer = agent("UpdateInstanceInformation", {"InstanceId": instance_id, "AgentStatus": "Active"})
    assert (status, answer["__type"]) == (403, "MissingAuthenticationTokenException")
    status, answer = heartbeat(agent, "mi-0123456789abcdef0")
    assert (status, answer["__type"]) == (400, "InvalidInstanceId")
    # Any credentials and any region in the signature are accepted for a registered instance.
    payload = {"InstanceId": instance_id, "AgentStatus": "Active", "AgentVersion": "9"}
    assert agent("UpdateInstanceInformation", payload, signed_as=("AKIDOTHER00000000001", "x"), region="eu-west-1") == (200, {})
    assert ssm.describe_instance_information()["InstanceInformationList"][0]["PingStatus"] == "Online"


# DescribeInstanceInformation filters ----------------------------------------------------------------------------
def test_describe_instance_information_filters_and_paginates(ssm, ssm_role, agent):
    first = ssm.create_activation(IamRole=ssm_role, RegistrationLimit=10)
    second = ssm.create_activation(IamRole=ssm_role, RegistrationLimit=10)
    first_ids = [register(agent, first)[1]["InstanceId"] for _ in range(4)]
    second_ids = [register(agent, second)[1]["InstanceId"] for _ in range(2)]
    online = first_ids[0]
    heartbeat(agent, online)
    ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=second_ids[0], Tags=[{"Key": "role", "Value": "ecs"}])

    def ids(**kwargs):
        return sorted(i["InstanceId"] for i in ssm.describe_instance_information(**kwargs)["InstanceInformationList"])

    assert ids(Filters=[{"Key": "PingStatus", "Values": ["Online"]}]) == [online]
    assert ids(InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": ["ConnectionLost"]}]) == sorted(first_ids[1:] + second_ids)
    assert ids(Filters=[{"Key": "ActivationIds", "Values": [second["ActivationId"]]}]) == sorted(second_ids)
    assert ids(Filters=[{"Key": "InstanceIds", "Values": [first_ids[2], "mi-00000000000000000"]}]) == [first_ids[2]]
    assert ids(Filters=[{"Key": "ResourceType", "Values": ["EC2Instance"]}]) == []
    assert ids(Filters=[{"Key": "tag:role", "Values": ["ecs"]}]) == [second_ids[0]]
    assert ids(Filters=[{"Key": "tag-key", "Values": ["role"]}]) == [second_ids[0]]
    assert ids(Filters=[{"Key": "PlatformTypes", "Values": ["Linux"]}, {"Key": "ResourceType", "Values": ["ManagedInstance"]}]) == [online]

    page = ssm.describe_instance_information(MaxResults=5)
    rest = ssm.describe_instance_information(MaxResults=5, NextToken=page["NextToken"])
    assert len(page["InstanceInformationList"]) == 5
    assert sorted(i["InstanceId"] for i in page["InstanceInformationList"] + rest["InstanceInformationList"]) == sorted(first_ids + second_ids)
    assert "NextToken" not in rest


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"Filters": [{"Key": "Colour", "Values": ["x"]}]}, "InvalidFilterKey"),
        ({"InstanceInformationFilterList": [{"key": "tag:role", "valueSet": ["x"]}]}, "InvalidFilterKey"),
        ({"Filters": [{"Key": "PingStatus", "Values": ["Sleeping"]}]}, "InvalidInstanceInformationFilterValue"),
        (
            {"Filters": [{"Key": "PingStatus", "Values": ["Online"]}], "InstanceInformationFilterList": [{"key": "PingStatus", "valueSet": ["Online"]}]},
            "ValidationException",
        ),
        ({"MaxResults": 51}, "ValidationException"),
        ({"NextToken": "bad"}, "InvalidNextToken"),
    ],
)
def test_describe_instance_information_rejects_bad_requests(ssm, kwargs, code):
    with pytest.raises(ClientError) as raised:
        ssm.describe_instance_information(**kwargs)
    assert error_code(raised) == code


# Tags and deregistration ----------------------------------------------------------------------------------------
def test_managed_instance_tags_round_trip(ssm, ssm_role, agent):
    instance_id = register(agent, ssm.create_activation(IamRole=ssm_role))[1]["InstanceId"]
    ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=instance_id, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=instance_id, Tags=[{"Key": "a", "Value": "3"}])
    ssm.remove_tags_from_resource(ResourceType="ManagedInstance", ResourceId=instance_id, TagKeys=["b"])
    assert ssm.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=instance_id)["TagList"] == [{"Key": "a", "Value": "3"}]

    with pytest.raises(ClientError) as raised:
        ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId="mi-00000000000000000", Tags=[{"Key": "a", "Value": "1"}])
    assert error_code(raised) == "InvalidResourceId"
    # As in AWS, an activation's tags are fixed at creation: Activation is not a taggable resource type.
    activation_id = ssm.describe_activations()["ActivationList"][0]["ActivationId"]
    with pytest.raises(ClientError) as raised:
        ssm.add_tags_to_resource(ResourceType="Activation", ResourceId=activation_id, Tags=[{"Key": "a", "Value": "1"}])
    assert error_code(raised) == "InvalidResourceType"
    # Other resource types keep moto's behaviour.
    ssm.put_parameter(Name="/lab/p", Value="v", Type="String")
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/lab/p", Tags=[{"Key": "k", "Value": "v"}])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/lab/p")["TagList"] == [{"Key": "k", "Value": "v"}]


def test_deregister_removes_the_instance_but_keeps_the_registration_count(ssm, ssm_role, agent):
    activation = ssm.create_activation(IamRole=ssm_role, RegistrationLimit=3, Tags=[{"Key": "env", "Value": "lab"}])
    instance_id = register(agent, activation)[1]["InstanceId"]
    ssm.deregister_managed_instance(InstanceId=instance_id)

    assert ssm.describe_instance_information()["InstanceInformationList"] == []
    assert ssm.describe_activations()["ActivationList"][0]["RegistrationsCount"] == 1
    with pytest.raises(ClientError) as raised:
        ssm.deregister_managed_instance(InstanceId=instance_id)
    assert error_code(raised) == "InvalidInstanceId"
    with pytest.raises(ClientError) as raised:
        ssm.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=instance_id)
    assert error_code(raised) == "InvalidResourceId"
    assert heartbeat(agent, instance_id)[1]["__type"] == "InvalidInstanceId"


# SendCommand ----------------------------------------------------------------------------------------------------
def test_send_command_reaches_only_instances_ssm_manages(client, ssm, ssm_role, agent):
    online = register(agent, ssm.create_activation(IamRole=ssm_role, RegistrationLimit=2))[1]["InstanceId"]
    heartbeat(agent, online)

    command = ssm.send_command(InstanceIds=[online], DocumentName="AWS-RunShellScript", Parameters={"commands": ["true"]})["Command"]
    assert [c["CommandId"] for c in ssm.list_commands(InstanceId=online)["Commands"]] == [command["CommandId"]]

    ec2 = client("ec2")
    image_id = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2_id = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert ssm.send_command(InstanceIds=[ec2_id], DocumentName="AWS-RunShellScript", Parameters={"commands": ["true"]})["Command"]["InstanceIds"] == [ec2_id]

    silent = register(agent, ssm.create_activation(IamRole=ssm_role))[1]["InstanceId"]  # never reported in: ConnectionLost
    for bad in (["mi-00000000000000000"], ["i-0123456789abcdef0"], [online, "mi-00000000000000000"], [silent]):
        with pytest.raises(ClientError) as raised:
            ssm.send_command(InstanceIds=bad, DocumentName="AWS-RunShellScript", Parameters={"commands": ["true"]})
        assert error_code(raised) == "InvalidInstanceId"
    assert len(ssm.list_commands()["Commands"]) == 2
