#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: backup_restore_job
version_added: 0.2.0
short_description: Start an AWS Backup restore job and wait for it
description:
  - Starts a restore job of a recovery point (StartRestoreJob) in the module's region, which creates a new resource
    from it, optionally waits until the job is C(COMPLETED), C(FAILED) or C(ABORTED) (DescribeRestoreJob), and tags
    the resource it created (RDS DB instances and S3 buckets).
  - The start carries an idempotency token (I(idempotency_token), by default made of the recovery point, the metadata
    and the resource type); a start retried after a lost answer, or the same task run again while AWS still knows the
    token, does not restore twice; AWS answers with the first job.
  - The module always reports a change, except in check mode, where it makes no call. It does not look for a resource
    of the name in I(metadata); the caller does (a restore into an existing name fails).
  - A job that ends C(FAILED) or C(ABORTED) fails the task, with the job in RV(restore_job).
  - No upstream module starts a restore job (M(amazon.aws.backup_restore_job_info) only reads them), hence this
    module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  recovery_point_arn:
    description:
      - ARN of the recovery point, in the module's region.
    required: true
    type: str
  metadata:
    description:
      - The restore metadata, a map of strings (see the AWS Backup developer guide for each resource type), for
        example C(DBInstanceIdentifier) for RDS, C(DestinationBucketName) and C(NewBucket) for S3. Values are sent as
        strings.
    required: true
    type: dict
  iam_role_arn:
    description:
      - The role AWS Backup assumes to create the resource (the caller needs C(iam:PassRole) for it).
    type: str
  resource_type:
    description:
      - The recovery point's resource type, such as C(RDS) or C(S3).
    type: str
  idempotency_token:
    description:
      - The token that makes retried starts one job. Default, a hash of I(recovery_point_arn), I(metadata) and
        I(resource_type).
    type: str
  copy_source_tags:
    description:
      - Have AWS Backup copy the tags of the backed-up resource to the restored one (backups made by AWS Backup only).
      - Not sent when not given.
    type: bool
  tags:
    description:
      - Tags added to the created resource once the job has completed (I(wait=true)), for an RDS DB instance
        (AddTagsToResource) or an S3 bucket (PutBucketTagging, keeping its other tags). Other resource types are not
        tagged and give a warning.
    type: dict
  wait:
    description:
      - Wait for the job to end. Without waiting, RV(restore_job) is the job as it was just after the start and
        I(tags) are not put.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the job.
    type: int
    default: 3600
notes:
  - Supports C(check_mode), where it makes no call and RV(restore_job) is empty.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Restore the database's latest recovery point in the DR region into a scratch instance
  hybridcloud.aws.backup_restore_job:
    region: eu-west-1
    recovery_point_arn: "{{ latest.recovery_point_arn }}"
    resource_type: RDS
    iam_role_arn: arn:aws:iam::123456789012:role/hybridcloud-backup
    metadata:
      DBInstanceIdentifier: hcdrill-20261203-postgres
      DBInstanceClass: db.t4g.micro
    tags:
      hybridcloud:dr-drill: "20261203"
  register: restore

- name: Restore a bucket's recovery point into a new bucket, without waiting
  hybridcloud.aws.backup_restore_job:
    recovery_point_arn: "{{ bucket_point.recovery_point_arn }}"
    resource_type: S3
    iam_role_arn: arn:aws:iam::123456789012:role/hybridcloud-backup
    metadata:
      DestinationBucketName: hcdrill-20261203-files
      NewBucket: "true"
    wait: false
"""

RETURN = r"""
restore_job_id:
  description: The job's id; null in check mode.
  returned: always
  type: str
  sample: 52BEE289-0000-4000-8000-47DCAA2E7ACD
restore_job:
  description: The job as DescribeRestoreJob answers it, in snake_case, dates as ISO 8601 texts; empty in check mode.
  returned: always
  type: dict
  contains:
    status:
      description: C(PENDING), C(RUNNING), C(COMPLETED), C(ABORTED) or C(FAILED).
      type: str
      sample: COMPLETED
    created_resource_arn:
      description: ARN of the resource the job created.
      type: str
      sample: arn:aws:rds:eu-west-1:123456789012:db:hcdrill-20261203-postgres
    creation_date:
      description: When the job was created.
      type: str
      sample: "2026-12-03T17:00:01+00:00"
    completion_date:
      description: When the job ended.
      type: str
      sample: "2026-12-03T17:09:41+00:00"
    status_message:
      description: Why a job failed.
      type: str
      sample: The destination bucket hcdrill-20261203-files does not exist.
idempotency_token:
  description: The token the start carried.
  returned: always
  type: str
  sample: 3f1c0e9a6b7d4c2e8f1a0b9c8d7e6f5a
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran (polling every 15 seconds). Each poll is also written, as it
      happens, to the log of the host that runs the module (syslog or the journal), one line per poll that names
      what it waits for, the poll's number, the seconds since the wait began and the state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: restore job 52BEE289-0000-4000-8000-47DCAA2E7ACD to end
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 570.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 39
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status of the job, with the percentage done when AWS Backup gives one.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: PENDING, seconds: 0.0, polls: 2}, {state: RUNNING, seconds: 30.0, polls: 36}, {state: COMPLETED, seconds: 570.0, polls: 1}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import describe_restore_job
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import idempotency_token
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import snake
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import start_restore_job
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import tag_bucket
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import tag_rds
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup_restore import wait_for_restore_job
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits


def tag_created(module, job, tags):
    arn = job.get("CreatedResourceArn") or ""
    if ":rds:" in arn:
        tag_rds(module.client("rds"), arn, tags)
    elif arn.startswith("arn:") and ":s3:::" in arn:
        tag_bucket(module.client("s3"), arn.split(":::", 1)[1], tags)
    else:
        module.warn(f"The restored resource {arn or '(none)'} is not an RDS DB instance or an S3 bucket: not tagged")


def main():
    argument_spec = dict(
        recovery_point_arn=dict(type="str", required=True),
        metadata=dict(type="dict", required=True),
        iam_role_arn=dict(type="str"),
        resource_type=dict(type="str"),
        idempotency_token=dict(type="str", no_log=False),
        copy_source_tags=dict(type="bool"),
        tags=dict(type="dict"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    metadata = {str(key): str(value) for key, value in params["metadata"].items()}
    token = params["idempotency_token"] or idempotency_token(params["recovery_point_arn"], metadata, params["resource_type"])
    if params["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1, got {params['wait_timeout']}")
    if module.check_mode:
        module.exit_json(changed=True, restore_job_id=None, restore_job={}, idempotency_token=token)

    client = module.client("backup")
    waits = Waits(module.log)
    try:
        job_id = start_restore_job(
            client,
            params["recovery_point_arn"],
            metadata,
            iam_role_arn=params["iam_role_arn"],
            resource_type=params["resource_type"],
            token=token,
            copy_source_tags=params["copy_source_tags"],
        )
        job = wait_for_restore_job(client, job_id, params["wait_timeout"], progress=waits) if params["wait"] else describe_restore_job(client, job_id)
        if params["wait"] and job.get("Status") == "COMPLETED" and params["tags"]:
            tag_created(module, job, {str(key): str(value) for key, value in params["tags"].items()})
    except AnsibleBackupError as e:
        waits.fail(module, e)

    result = dict(changed=True, restore_job_id=job_id, restore_job=snake(job), idempotency_token=token, **waits.returned())
    if job.get("Status") in ("FAILED", "ABORTED"):
        module.fail_json(msg=f"Restore job {job_id} {job['Status']}: {job.get('StatusMessage') or 'no message'}", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
