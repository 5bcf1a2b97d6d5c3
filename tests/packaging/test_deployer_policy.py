"""docs/iam/deployer-policy-*.json, the IAM policies a team attaches to the principal that runs the collection: well
formed, each within AWS's size limit of a managed policy, and the mapping from API calls to IAM actions that
tests/lab/test_site.py checks them with (every call the controller made in the lab's converge must be allowed) finds
what a policy lacks."""

from __future__ import annotations

import json
import re

from support.iam_actions import MANAGED_POLICY_MAX_CHARACTERS, POLICY_FILES, allows, deployer_policy, iam_action, missing_actions

POLICY = deployer_policy()
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z*]+$")


def test_policy_is_a_well_formed_identity_policy() -> None:
    assert POLICY["Version"] == "2012-10-17"
    sids = [statement["Sid"] for statement in POLICY["Statement"]]
    assert len(sids) == len(set(sids))
    for statement in POLICY["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        assert actions == sorted(set(actions)), f"{statement['Sid']}: actions sorted, each once"
        assert all(ACTION.match(action) for action in actions), statement["Sid"]
        assert not any(action.split(":")[1] == "*" for action in actions), "no service-wide wildcard"


def test_each_policy_file_fits_in_a_managed_policy() -> None:
    """`aws iam create-policy` refuses a document over 6,144 characters (whitespace not counted)."""
    assert len(POLICY_FILES) >= 2
    for path in POLICY_FILES:
        document = json.loads(path.read_text())
        assert document["Version"] == "2012-10-17", path.name
        assert len(re.sub(r"\s", "", json.dumps(document))) <= MANAGED_POLICY_MAX_CHARACTERS, path.name


def test_pass_role_only_to_the_services_the_roles_are_made_for() -> None:
    (statement,) = [s for s in POLICY["Statement"] if "iam:PassRole" in s["Action"]]
    assert statement["Action"] == ["iam:PassRole"]
    assert "ssm.amazonaws.com" in statement["Condition"]["StringEquals"]["iam:PassedToService"]


def test_api_calls_map_to_their_iam_actions() -> None:
    assert iam_action("ec2", "CreateVpc") == "ec2:CreateVpc"
    assert iam_action("elb", "CreateLoadBalancer") == "elasticloadbalancing:CreateLoadBalancer"
    assert iam_action("applicationautoscaling", "PutScalingPolicy") == "application-autoscaling:PutScalingPolicy"
    assert iam_action("s3", "HeadBucket") == "s3:ListBucket"
    assert iam_action("s3", "PutBucketEncryption") == "s3:PutEncryptionConfiguration"
    assert iam_action("sts", "GetCallerIdentity") is None


def test_a_missing_action_is_reported() -> None:
    calls = [("ec2", "CreateVpc"), ("ec2", "DescribeVpcs"), ("sts", "GetCallerIdentity"), ("s3", "HeadBucket")]
    assert missing_actions(POLICY, calls) == []
    narrowed = {"Statement": [{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:List*"], "Resource": "*"}]}
    assert missing_actions(narrowed, calls) == ["ec2:CreateVpc"]
    assert allows(narrowed, "ec2:describevpcs")
    assert not allows({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}, "ec2:CreateVpc")


def test_the_dr_replication_modules_calls_are_allowed() -> None:
    """ecr_replication_configuration and s3_bucket_replication (with container_registry's account read)."""
    calls = [
        ("ecr", "DescribeRegistry"),
        ("ecr", "PutReplicationConfiguration"),
        ("s3", "GetBucketReplication"),
        ("s3", "PutBucketReplication"),
        ("s3", "DeleteBucketReplication"),
        ("s3", "GetBucketVersioning"),
        ("sts", "GetCallerIdentity"),
    ]
    assert iam_action("s3", "DeleteBucketReplication") == "s3:PutReplicationConfiguration"
    assert missing_actions(POLICY, calls) == []


def test_the_file_share_replication_is_allowed() -> None:
    """The file_gateway role with a DR strategy: the replica bucket in the DR region with its configurations
    (amazon.aws.s3_bucket, s3_bucket_intelligent_tiering, community.aws.s3_lifecycle), the replication role
    (amazon.aws.iam_role, iam_policy), the replica's KMS key read, the source's replication configuration
    (s3_bucket_replication), and passing the replication role to S3 (PutBucketReplication needs iam:PassRole on it)."""
    calls = [
        ("s3", "CreateBucket"),
        ("s3", "PutBucketVersioning"),
        ("s3", "PutBucketEncryption"),
        ("s3", "PutPublicAccessBlock"),
        ("s3", "PutBucketOwnershipControls"),
        ("s3", "PutBucketPolicy"),
        ("s3", "PutBucketTagging"),
        ("s3", "PutBucketIntelligentTieringConfiguration"),
        ("s3", "PutBucketLifecycleConfiguration"),
        ("s3", "GetBucketReplication"),
        ("s3", "PutBucketReplication"),
        ("s3", "ListBuckets"),
        ("iam", "GetRole"),
        ("iam", "CreateRole"),
        ("iam", "TagRole"),
        ("iam", "UpdateAssumeRolePolicy"),
        ("iam", "GetRolePolicy"),
        ("iam", "PutRolePolicy"),
        ("kms", "DescribeKey"),
    ]
    assert missing_actions(POLICY, calls) == []
    (pass_role,) = [s for s in POLICY["Statement"] if "iam:PassRole" in s["Action"]]
    assert "s3.amazonaws.com" in pass_role["Condition"]["StringEquals"]["iam:PassedToService"]


def test_the_backup_vault_guards_calls_are_allowed_and_their_removal_is_not() -> None:
    """The backup role's vault lock and deny-delete policy (backup_vault_lock, backup_vault_policy) and the audit's
    policy read are allowed; removing a lock or a policy is the break-glass principal's, not the deployer's."""
    calls = [
        ("backup", "DescribeBackupVault"),
        ("backup", "PutBackupVaultLockConfiguration"),
        ("backup", "GetBackupVaultAccessPolicy"),
        ("backup", "PutBackupVaultAccessPolicy"),
    ]
    assert missing_actions(POLICY, calls) == []
    removals = [("backup", "DeleteBackupVaultLockConfiguration"), ("backup", "DeleteBackupVaultAccessPolicy"), ("backup", "DeleteRecoveryPoint")]
    assert missing_actions(POLICY, removals) == [f"backup:{operation}" for _, operation in sorted(removals)]


def test_the_internal_dns_roles_calls_are_allowed() -> None:
    """The internal_dns role: the private zone (amazon.aws.route53_zone, route53_info), the alarms
    (amazon.aws.cloudwatch_metric_alarm), the health checks (route53_alarm_health_check, updates and deletes included)
    and the records (route53_record_sets)."""
    calls = [
        ("route53", "ListHostedZones"),
        ("route53", "ListHostedZonesByName"),
        ("route53", "GetHostedZone"),
        ("route53", "CreateHostedZone"),
        ("route53", "AssociateVPCWithHostedZone"),
        ("route53", "UpdateHostedZoneComment"),
        ("route53", "ListTagsForResource"),
        ("route53", "ListTagsForResources"),
        ("route53", "ChangeTagsForResource"),
        ("route53", "ListHealthChecks"),
        ("route53", "CreateHealthCheck"),
        ("route53", "UpdateHealthCheck"),
        ("route53", "DeleteHealthCheck"),
        ("route53", "ListResourceRecordSets"),
        ("route53", "ChangeResourceRecordSets"),
        ("cloudwatch", "DescribeAlarms"),
        ("cloudwatch", "PutMetricAlarm"),
    ]
    assert missing_actions(POLICY, calls) == []
