"""VPC flow logs to an S3 bucket with a key prefix (moto: an S3 LogDestination of arn:aws:s3:::bucket/prefix/ is looked
up as a bucket named "bucket/prefix/", so CreateFlowLogs answers it as Unsuccessful).

AWS documents LogDestination for S3 as the bucket's ARN, optionally followed by a folder (arn:aws:s3:::bucket/folder/)
and checks that the bucket exists. Here CreateFlowLogs checks the bucket part only and stores the full ARN as the flow
log's LogDestination; a second flow log of the same resource to the same full destination is still refused with
FlowLogAlreadyExists, as moto does for destinations without a prefix.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import FlowLogAlreadyExists
from moto.ec2.models import ec2_backends

from awsemu.extensions._moto_classes import use_backend_class
from awsemu.extensions.ec2_vpn import LabEC2Backend


class LabEC2FlowLogsBackend(LabEC2Backend):
    """The lab's EC2 backend (ec2_vpn), with flow logs to an S3 folder."""

    def create_flow_logs(self, *args: Any, **kwargs: Any) -> Any:
        destination_type = kwargs.get("log_destination_type")
        destination = kwargs.get("log_destination")
        arn_prefix, _, path = (destination or "").partition(":::")
        bucket, slash, _folder = path.partition("/")
        if destination_type != "s3" or not slash:
            return super().create_flow_logs(*args, **kwargs)
        for resource_id in kwargs.get("resource_ids") or []:
            if any((log.resource_id, log.log_destination) == (resource_id, destination) for log in self.describe_flow_logs()):
                raise FlowLogAlreadyExists()
        # moto's duplicate check compares the bucket-only ARN with the stored full ones: it never matches, the loop
        # above did it instead.
        flow_logs, unsuccessful = super().create_flow_logs(*args, **dict(kwargs, log_destination=f"{arn_prefix}:::{bucket}"))
        for flow_log in flow_logs:
            flow_log.log_destination = destination
        return flow_logs, [(resource_id, code, message.replace(f"{bucket} does not", f"{path} does not")) for resource_id, code, message in unsuccessful]


def install() -> None:
    use_backend_class(ec2_backends, LabEC2FlowLogsBackend)
