"""CreateFlowLogs to an S3 bucket with a key prefix (arn:aws:s3:::bucket/folder/), as AWS documents LogDestination:
the bucket part must exist, the full ARN is stored, and the same destination twice is refused."""

from __future__ import annotations

import botocore.exceptions
import pytest

BUCKET = "lab-flow-logs"


@pytest.fixture
def ec2(client):
    client("s3", "us-east-1").create_bucket(Bucket=BUCKET)
    return client("ec2", "us-east-1")


def create(ec2, vpc_id, destination):
    return ec2.create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3", LogDestination=destination)


def test_a_folder_of_an_existing_bucket_is_a_destination(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    answer = create(ec2, vpc_id, f"arn:aws:s3:::{BUCKET}/vpc/")
    assert answer["Unsuccessful"] == []
    (flow_log,) = ec2.describe_flow_logs(FlowLogIds=answer["FlowLogIds"])["FlowLogs"]
    assert (flow_log["LogDestinationType"], flow_log["LogDestination"]) == ("s3", f"arn:aws:s3:::{BUCKET}/vpc/")
    # Another folder of the same bucket is another destination; the same folder again is refused.
    assert create(ec2, vpc_id, f"arn:aws:s3:::{BUCKET}/audit/")["Unsuccessful"] == []
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        create(ec2, vpc_id, f"arn:aws:s3:::{BUCKET}/vpc/")
    assert refused.value.response["Error"]["Code"] == "FlowLogAlreadyExists"


def test_a_folder_of_a_missing_bucket_is_unsuccessful(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    answer = create(ec2, vpc_id, "arn:aws:s3:::no-such-lab-bucket/vpc/")
    assert answer["FlowLogIds"] == []
    (failure,) = answer["Unsuccessful"]
    assert failure["ResourceId"] == vpc_id
    assert "no-such-lab-bucket/vpc/ does not exist" in failure["Error"]["Message"]
