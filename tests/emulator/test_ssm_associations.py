"""SSM State Manager associations: create/describe/update/delete/list, the checks AWS makes, tags, and which nodes
(EC2 and hybrid mi- instances) an association's targets select."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
PROJECT = [{"Key": "tag:Project", "Values": ["hybridcloud"]}]
PATCH_SCAN = {
    "AssociationName": "patch-scan",
    "Name": "AWS-RunPatchBaseline",
    "Parameters": {"Operation": ["Scan"]},
    "Targets": PROJECT,
    "ScheduleExpression": "cron(0 2 ? * * *)",
}


@pytest.fixture
def ssm(client):
    return client("ssm")


def error_code(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return raised.value.response["Error"]["Code"]


def register_managed_instance(client, emulator_endpoint: str, tags: dict[str, str]) -> str:
    """An mi- instance as the SSM agent registers it, tagged through its activation."""
    client("iam").create_role(RoleName="LabSSMRole", AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    activation = client("ssm").create_activation(IamRole="LabSSMRole", Tags=[{"Key": key, "Value": value} for key, value in tags.items()])
    payload = {"ActivationId": activation["ActivationId"], "ActivationCode": activation["ActivationCode"], "PublicKey": "lab-key", "PublicKeyType": "Rsa"}
    headers = {"X-Amz-Target": "AmazonSSM.RegisterManagedInstance", "Content-Type": "application/x-amz-json-1.1"}
    request = urllib.request.Request(emulator_endpoint + "/", data=json.dumps(payload).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())["InstanceId"]


def run_instance(client, tags: dict[str, str]) -> str:
    ec2 = client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    spec = [{"ResourceType": "instance", "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}]
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=spec)["Instances"][0]["InstanceId"]


def test_create_and_describe_round_trip_with_aws_defaults(ssm):
    created = ssm.create_association(**PATCH_SCAN, Tags=[{"Key": "team", "Value": "platform"}])["AssociationDescription"]
    association_id = created["AssociationId"]
    described = ssm.describe_association(AssociationId=association_id)["AssociationDescription"]
    assert described["AssociationName"] == "patch-scan"
    assert (described["Name"], described["Parameters"], described["Targets"]) == ("AWS-RunPatchBaseline", {"Operation": ["Scan"]}, PROJECT)
    assert (described["DocumentVersion"], described["SyncCompliance"], described["ApplyOnlyAtCronInterval"]) == ("$DEFAULT", "AUTO", False)
    assert described["AssociationVersion"] == "1"
    assert described["Overview"]["Status"] == "Pending"
    assert described["Status"]["Name"] == "Pending"
    tags = ssm.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)["TagList"]
    assert tags == [{"Key": "team", "Value": "platform"}]
    ssm.add_tags_to_resource(ResourceType="Association", ResourceId=association_id, Tags=[{"Key": "env", "Value": "lab"}])
    ssm.remove_tags_from_resource(ResourceType="Association", ResourceId=association_id, TagKeys=["team"])
    assert ssm.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)["TagList"] == [{"Key": "env", "Value": "lab"}]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"Name": "No-Such-Document"}, "InvalidDocument"),
        ({"DocumentVersion": "7"}, "InvalidDocumentVersion"),
        ({"Parameters": {"Operation": ["Scan"], "Colour": ["blue"]}}, "InvalidParameters"),
        ({"Parameters": {"Operation": ["Upgrade"]}}, "InvalidParameters"),
        ({"Parameters": {}}, "InvalidParameters"),
        ({"ScheduleExpression": "every night"}, "InvalidSchedule"),
        ({"ScheduleExpression": "rate(5 minutes)"}, "InvalidSchedule"),
        ({"ScheduleExpression": "rate(1 day)", "ApplyOnlyAtCronInterval": True}, "InvalidSchedule"),
        ({"Targets": [{"Key": "Colour", "Values": ["blue"]}]}, "InvalidTarget"),
        ({"Targets": []}, "InvalidTarget"),
        ({"OutputLocation": {"S3Location": {"OutputS3BucketName": "no-such-bucket"}}}, "InvalidOutputLocation"),
        ({"AssociationName": "has spaces"}, "ValidationException"),
        ({"MaxConcurrency": "0"}, "ValidationException"),
    ],
)
def test_create_is_checked_as_aws_checks_it(ssm, overrides, code):
    with pytest.raises(ClientError) as raised:
        ssm.create_association(**dict(PATCH_SCAN, **overrides))
    assert error_code(raised) == code
    assert ssm.list_associations()["Associations"] == []


def test_account_documents_and_output_buckets_that_exist_are_accepted(client, ssm):
    content = {"schemaVersion": "2.2", "description": "lab", "parameters": {"message": {"type": "String"}}, "mainSteps": []}
    ssm.create_document(Name="Lab-Echo", Content=json.dumps(content), DocumentType="Command", DocumentFormat="JSON")
    client("s3").create_bucket(Bucket="ssm-output")
    created = ssm.create_association(
        Name="Lab-Echo",
        Parameters={"message": ["hello"]},
        Targets=PROJECT,
        OutputLocation={"S3Location": {"OutputS3BucketName": "ssm-output", "OutputS3KeyPrefix": "echo/"}},
    )["AssociationDescription"]
    described = ssm.describe_association(AssociationId=created["AssociationId"])["AssociationDescription"]
    assert described["OutputLocation"]["S3Location"]["OutputS3KeyPrefix"] == "echo/"
    with pytest.raises(ClientError) as raised:
        ssm.create_association(Name="Lab-Echo", Targets=PROJECT)
    assert error_code(raised) == "InvalidParameters"  # message has no default


def test_update_clears_omitted_fields_adds_a_version_and_keeps_old_versions(ssm):
    created = ssm.create_association(**PATCH_SCAN, MaxConcurrency="25%", ComplianceSeverity="HIGH")["AssociationDescription"]
    association_id = created["AssociationId"]
    updated = ssm.update_association(AssociationId=association_id, ScheduleExpression="rate(1 day)", Parameters={"Operation": ["Scan"]})
    described = updated["AssociationDescription"]
    assert described["AssociationVersion"] == "2"
    assert described["ScheduleExpression"] == "rate(1 day)"
    assert (described["AssociationName"], described["Targets"]) == ("patch-scan", PROJECT)
    assert "MaxConcurrency" not in described and "ComplianceSeverity" not in described
    first = ssm.describe_association(AssociationId=association_id, AssociationVersion="1")["AssociationDescription"]
    assert (first["MaxConcurrency"], first["ScheduleExpression"]) == ("25%", "cron(0 2 ? * * *)")

    with pytest.raises(ClientError) as raised:
        ssm.update_association(AssociationId=association_id, AssociationVersion="1", Parameters={"Operation": ["Scan"]})
    assert error_code(raised) == "InvalidAssociationVersion"
    with pytest.raises(ClientError) as raised:
        ssm.update_association(AssociationId=association_id, Parameters={"Operation": ["Reboot"]})
    assert error_code(raised) == "InvalidParameters"
    assert ssm.describe_association(AssociationId=association_id)["AssociationDescription"]["AssociationVersion"] == "2"


def test_names_are_not_unique_and_list_filters_and_pages(ssm):
    first = ssm.create_association(**PATCH_SCAN)["AssociationDescription"]["AssociationId"]
    second = ssm.create_association(**PATCH_SCAN)["AssociationDescription"]["AssociationId"]
    ssm.create_association(AssociationName="inventory", Name="AWS-GatherSoftwareInventory", Targets=PROJECT, ScheduleExpression="rate(12 hours)")

    def listed(**kwargs):
        return [association["AssociationId"] for association in ssm.list_associations(**kwargs)["Associations"]]

    assert listed(AssociationFilterList=[{"key": "AssociationName", "value": "patch-scan"}]) == [first, second]
    assert len(listed(AssociationFilterList=[{"key": "Name", "value": "AWS-GatherSoftwareInventory"}])) == 1
    assert listed(AssociationFilterList=[{"key": "AssociationId", "value": second}]) == [second]
    page = ssm.list_associations(MaxResults=2)
    assert len(page["Associations"]) == 2
    assert len(ssm.list_associations(MaxResults=2, NextToken=page["NextToken"])["Associations"]) == 1
    summary = ssm.list_associations()["Associations"][0]
    assert {"AssociationId", "AssociationName", "Name", "Targets", "ScheduleExpression", "Overview"} <= set(summary)
    assert "Parameters" not in summary
    with pytest.raises(ClientError) as raised:
        ssm.list_associations(AssociationFilterList=[{"key": "Colour", "value": "blue"}])
    assert raised.value.response["Error"]["Code"] in ("InvalidFilterKey", "ValidationException")


def test_delete_removes_the_association_and_its_tags(ssm):
    association_id = ssm.create_association(**PATCH_SCAN, Tags=[{"Key": "team", "Value": "platform"}])["AssociationDescription"]["AssociationId"]
    ssm.delete_association(AssociationId=association_id)
    assert ssm.list_associations()["Associations"] == []
    for call in (
        lambda: ssm.describe_association(AssociationId=association_id),
        lambda: ssm.delete_association(AssociationId=association_id),
        lambda: ssm.update_association(AssociationId=association_id, Parameters={"Operation": ["Scan"]}),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert error_code(raised) == "AssociationDoesNotExist"
    with pytest.raises(ClientError) as raised:
        ssm.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)
    assert error_code(raised) == "InvalidResourceId"


def test_tag_targets_select_ec2_and_hybrid_nodes_alike(client, ssm, emulator_endpoint):
    onprem = register_managed_instance(client, emulator_endpoint, {"Project": "hybridcloud"})
    ec2 = run_instance(client, {"Project": "hybridcloud"})
    other = run_instance(client, {"Project": "elsewhere"})
    scan = ssm.create_association(**PATCH_SCAN)["AssociationDescription"]
    assert scan["Overview"]["AssociationStatusAggregatedCount"] == {"Pending": 2}
    only_ec2 = ssm.create_association(Name="AWS-UpdateSSMAgent", Targets=[{"Key": "InstanceIds", "Values": [ec2]}])["AssociationDescription"]

    def effective(instance_id):
        answer = ssm.describe_effective_instance_associations(InstanceId=instance_id)["Associations"]
        return sorted(association["AssociationId"] for association in answer)

    assert effective(onprem) == [scan["AssociationId"]]
    assert effective(ec2) == sorted([scan["AssociationId"], only_ec2["AssociationId"]])
    assert effective(other) == []
    content = json.loads(ssm.describe_effective_instance_associations(InstanceId=onprem)["Associations"][0]["Content"])
    assert "Operation" in content["parameters"]
    # Keys combine with AND: a second tag the nodes lack selects none of them.
    both = ssm.create_association(Name="AWS-UpdateSSMAgent", Targets=[*PROJECT, {"Key": "tag:Environment", "Values": ["prod"]}])
    assert both["AssociationDescription"]["Overview"]["AssociationStatusAggregatedCount"] == {}
    with pytest.raises(ClientError) as raised:
        ssm.describe_effective_instance_associations(InstanceId="mi-0123456789abcdef0")
    assert error_code(raised) == "InvalidInstanceId"


def test_reset_forgets_associations(ssm, lab_api):
    ssm.create_association(**PATCH_SCAN)
    assert lab_api("POST", "/_lab/reset")[0] == 200
    assert ssm.list_associations()["Associations"] == []
