"""AWS Backup StartRestoreJob with an IdempotencyToken: a start repeated with the token of an earlier job answers
that job and restores nothing more (AWS: "Retrying a successful request with the same idempotency token results in a
success message with no action taken"); another token is another job."""

from __future__ import annotations

PRIMARY, DR = "us-east-1", "us-west-2"
ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"


def test_a_repeated_start_with_the_same_token_is_the_same_job(client, primary_database):
    database = primary_database
    s3 = client("s3", PRIMARY)
    s3.create_bucket(Bucket="lab-share")
    s3.put_object(Bucket="lab-share", Key="canary", Body=b"1")
    backup = client("backup", PRIMARY)
    backup.create_backup_vault(BackupVaultName="lab-vault")
    db_point = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn=database["DBInstanceArn"], IamRoleArn=ROLE)["RecoveryPointArn"]
    bucket_point = backup.start_backup_job(BackupVaultName="lab-vault", ResourceArn="arn:aws:s3:::lab-share", IamRoleArn=ROLE)["RecoveryPointArn"]

    def restore(point, metadata, token=None):
        extra = {"IdempotencyToken": token} if token else {}
        return backup.start_restore_job(RecoveryPointArn=point, Metadata=metadata, IamRoleArn=ROLE, **extra)["RestoreJobId"]

    first = restore(db_point, {"DBInstanceIdentifier": "lab-db-restored"}, "t-1")
    assert restore(db_point, {"DBInstanceIdentifier": "lab-db-restored"}, "t-1") == first
    assert backup.describe_restore_job(RestoreJobId=first)["Status"] == "COMPLETED"
    # Another token is another job: a second instance.
    second = restore(db_point, {"DBInstanceIdentifier": "lab-db-restored-2"}, "t-3")
    assert second != first
    restored = [db["DBInstanceIdentifier"] for db in client("rds", PRIMARY).describe_db_instances()["DBInstances"]]
    assert sorted(restored) == ["lab-db", "lab-db-restored", "lab-db-restored-2"]

    bucket_job = restore(bucket_point, {"DestinationBucketName": "lab-share-restored", "NewBucket": "true"}, "t-2")
    assert restore(bucket_point, {"DestinationBucketName": "lab-share-restored", "NewBucket": "true"}, "t-2") == bucket_job
    assert "_token" not in backup.describe_restore_job(RestoreJobId=bucket_job)
