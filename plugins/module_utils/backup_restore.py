# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup recovery points and restore jobs: list a vault's recovery points, start a restore job (with an
idempotency token, so that a retried start does not restore twice), wait for it, and tag what it created (RDS DB
instances and S3 buckets). API calls retried with AWSRetry, errors raised as AnsibleBackupError."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import json

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import BackupErrorHandler
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import BackupVaultErrorHandler
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import retry
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting

TERMINAL_STATUSES = ("COMPLETED", "FAILED", "ABORTED")
POLL_SECONDS = 15


def _iso(value):
    return value.isoformat() if isinstance(value, (datetime.datetime, datetime.date)) else value


def snake(answer):
    """An API answer in snake_case, dates as ISO 8601 texts, user-given maps (Lifecycle, CreatedBy) kept."""
    answer = {key: _iso(value) for key, value in answer.items() if key != "ResponseMetadata"}
    return camel_dict_to_snake_dict(answer)


@BackupVaultErrorHandler.list_error_handler("list the recovery points of backup vault {vault_name}")
@retry
def _list_recovery_points(client, vault_name, **filters):
    paginator = client.get_paginator("list_recovery_points_by_backup_vault")
    return paginator.paginate(BackupVaultName=vault_name, **filters).build_full_result()["RecoveryPoints"]


def list_recovery_points(client, vault_name, resource_arn=None, resource_type=None):
    """The vault's recovery points (snake_case), newest first; None when the vault does not exist (or the caller may
    not read it: AWS answers AccessDeniedException for a vault that does not exist)."""
    filters = {}
    if resource_arn:
        filters["ByResourceArn"] = resource_arn
    if resource_type:
        filters["ByResourceType"] = resource_type
    points = _list_recovery_points(client, vault_name, **filters)
    if points is None:
        return None
    points = sorted(points, key=lambda point: (point.get("CreationDate") or datetime.datetime.min, point["RecoveryPointArn"]), reverse=True)
    return [snake(point) for point in points]


def idempotency_token(recovery_point_arn, metadata, resource_type=None):
    """A token for StartRestoreJob made of what is restored where: the same restore asked again is the same job."""
    text = json.dumps({"point": recovery_point_arn, "metadata": metadata, "type": resource_type}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@BackupErrorHandler.common_error_handler("start a restore job of recovery point {recovery_point_arn}")
@retry
def start_restore_job(client, recovery_point_arn, metadata, *, iam_role_arn=None, resource_type=None, token=None, copy_source_tags=None):
    params = {"RecoveryPointArn": recovery_point_arn, "Metadata": metadata}
    if iam_role_arn:
        params["IamRoleArn"] = iam_role_arn
    if resource_type:
        params["ResourceType"] = resource_type
    if token:
        params["IdempotencyToken"] = token
    if copy_source_tags is not None:
        params["CopySourceTagsToRestoredResource"] = copy_source_tags
    return client.start_restore_job(**params)["RestoreJobId"]


@BackupErrorHandler.common_error_handler("describe restore job {restore_job_id}")
@retry
def describe_restore_job(client, restore_job_id):
    answer = client.describe_restore_job(RestoreJobId=restore_job_id)
    answer.pop("ResponseMetadata", None)
    return answer


def restore_job_state(job):
    """What a wait saw of a job: its status, with the percentage done when AWS Backup gives one."""
    percent = job.get("PercentDone")
    return f"{job.get('Status')} ({percent}% done)" if percent not in (None, "") else str(job.get("Status"))


def wait_for_restore_job(client, restore_job_id, timeout, delay=POLL_SECONDS, *, progress=None):
    """Polls the job until it is COMPLETED, FAILED or ABORTED; returns the last answer. Raises on timeout.
    progress: a waiting.Waits that records the wait. (botocore has no AWS Backup waiters.)"""
    return waiting.wait_until(
        lambda: describe_restore_job(client, restore_job_id),
        lambda job: job.get("Status") in TERMINAL_STATUSES,
        timeout,
        delay=delay,
        error=AnsibleBackupError,
        timed_out=lambda job: "Timeout after {0} s waiting for restore job {1} (status {2}, {3}% done)".format(
            timeout, restore_job_id, job.get("Status"), job.get("PercentDone")
        ),
        progress=progress,
        what=f"restore job {restore_job_id} to end",
        state=restore_job_state,
    )


@BackupErrorHandler.common_error_handler("tag RDS resource {resource_arn}")
@retry
def tag_rds(client, resource_arn, tags):
    client.add_tags_to_resource(ResourceName=resource_arn, Tags=[{"Key": key, "Value": value} for key, value in sorted(tags.items())])


class BucketTagsErrorHandler(BackupErrorHandler):
    """GetBucketTagging answers NoSuchTagSet for a bucket without tags."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchTagSet")


@BucketTagsErrorHandler.list_error_handler("read the tags of bucket {bucket}", default_value=[])
@retry
def _bucket_tags(client, bucket):
    return client.get_bucket_tagging(Bucket=bucket)["TagSet"]


@BackupErrorHandler.common_error_handler("tag bucket {bucket}")
@retry
def _put_bucket_tags(client, bucket, tag_set):
    client.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_set})


def tag_bucket(client, bucket, tags):
    """Adds tags to a bucket's tag set (PutBucketTagging replaces the whole set: the current tags are kept)."""
    merged = {tag["Key"]: tag["Value"] for tag in _bucket_tags(client, bucket)}
    merged.update(tags)
    _put_bucket_tags(client, bucket, [{"Key": key, "Value": value} for key, value in sorted(merged.items())])
