"""hybridcloud.aws.container_registry against the emulator: ECR repositories (immutable tags, scan on push, lifecycle
policy, KMS, the role's tags) and Docker Hub credentials in Secrets Manager, each read back; check mode, idempotence,
retagging (bad input in test_bad_input_aws_network_data.py); with the DR strategy backup_restore, the registry's replication to the DR region."""

import json

import pytest

REPOSITORIES = [{"name": "orders"}, {"name": "team/api", "keep_last_images": 5, "untagged_expire_days": 2}]
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
TOKEN = "dckr_pat_lab-token-never-printed"
ROLE = [
    {"name": "registry", "ansible.builtin.include_role": {"name": "hybridcloud.aws.container_registry"}},
    {
        "name": "facts",
        "ansible.builtin.debug": {"msg": {"uris": "{{ container_registry_repository_uris }}", "credentials": "{{ container_registry_credentials_arn }}"}},
    },
]
# The modules that write; on a converged registry none of them may run.
WRITE_MODULES = {"community.aws.ecs_ecr", "hybridcloud.aws.resource_tags", "hybridcloud.aws.ecr_replication_configuration"}
# AWS calls of the no-op run of two repositories before the layer was read once (ecs_ecr's reads per repository and the
# tag reads: 19 measured; 22 with the DR replication's caller identity and registry reads).
NO_OP_CALLS_BEFORE = 19
NO_OP_CALLS_BEFORE_DR = 22
EXISTING = [
    {"name": "registry", "ansible.builtin.include_role": {"name": "hybridcloud.aws.container_registry", "tasks_from": "existing.yml"}},
    ROLE[1],
]


def assert_no_write_module_ran(result, expected=WRITE_MODULES):
    """Every task of a write module is there and was skipped; nothing was written."""
    write_tasks = [task for task in result.tasks if task["action"] in WRITE_MODULES]
    assert {task["action"] for task in write_tasks} == expected
    assert [task["name"] for task in write_tasks if not task["result"].get("skipped")] == []
    assert result.mutating_calls == []


@pytest.fixture
def ecr(aws):
    return aws("ecr")


@pytest.fixture
def kms_key_arn(aws):
    return aws("kms").create_key(Description="registry")["KeyMetadata"]["Arn"]


def run(playbook, check=False, **extra_vars):
    result = playbook(ROLE, check=check, extra_vars={"hybridcloud_tags": TAGS, **extra_vars})
    assert result.failed == 0, result.output
    return result


def repository_tags(ecr, repo):
    return {tag["Key"]: tag["Value"] for tag in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}


def lifecycle_rules(ecr, name):
    return json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])["rules"]


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, ecr):
    result = run(playbook, check=True, container_registry_repositories=REPOSITORIES)
    assert result.task("facts")["result"]["msg"] == {"uris": {}, "credentials": ""}
    assert ecr.describe_repositories()["repositories"] == []
    assert mutating_calls() == []


def test_ecr_repositories_are_hardened_and_second_run_is_a_no_op(playbook, mutating_calls, ecr, kms_key_arn):
    first = run(playbook, container_registry_repositories=REPOSITORIES, container_registry_kms_key_arn=kms_key_arn)
    assert first.changed > 0

    uris = first.task("facts")["result"]["msg"]["uris"]
    stored = {repo["repositoryName"]: repo for repo in ecr.describe_repositories()["repositories"]}
    assert uris == {name: stored[name]["repositoryUri"] for name in ("orders", "team/api")}
    for repo in stored.values():
        assert repo["imageTagMutability"] == "IMMUTABLE"
        assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repo["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": kms_key_arn}

    for repo in stored.values():
        assert repository_tags(ecr, repo) == TAGS

    untagged, keep = lifecycle_rules(ecr, "orders")
    assert untagged["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}
    assert keep["selection"] == {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30}
    assert [rule["action"]["type"] for rule in (untagged, keep)] == ["expire", "expire"]
    assert [rule["selection"]["countNumber"] for rule in lifecycle_rules(ecr, "team/api")] == [2, 5]

    calls_after_first = len(mutating_calls())
    second = run(playbook, container_registry_repositories=REPOSITORIES, container_registry_kms_key_arn=kms_key_arn)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    check = run(playbook, check=True, container_registry_repositories=REPOSITORIES, container_registry_kms_key_arn=kms_key_arn)
    assert check.changed == 0
    assert len(mutating_calls()) == calls_after_first
    # One read, no write module run, fewer AWS calls than before (all of them reads).
    for no_op in (second, check):
        assert_no_write_module_ran(no_op)
        assert len(no_op.api_calls) < NO_OP_CALLS_BEFORE, [call["operation"] for call in no_op.api_calls]
    assert second.task("facts")["result"]["msg"] == {"uris": uris, "credentials": ""}

    # A play that uses the registry without building it reads the same URIs through the same read, writing nothing.
    existing = playbook(EXISTING, extra_vars={"container_registry_repositories": REPOSITORIES})
    assert existing.failed == 0, existing.output
    assert existing.mutating_calls == []
    assert existing.task("facts")["result"]["msg"] == {"uris": uris, "credentials": ""}

    # Changed common tags: check mode plans them without a call, a real run sets them and removes the old ones.
    retagged = {"Project": "hybridcloud", "Owner": "platform"}
    settings = {"container_registry_repositories": REPOSITORIES, "container_registry_kms_key_arn": kms_key_arn}
    planned = playbook(ROLE, check=True, extra_vars={"hybridcloud_tags": retagged, **settings})
    assert (planned.failed, planned.changed) == (0, 1), planned.output
    assert len(mutating_calls()) == calls_after_first
    assert [repository_tags(ecr, repo) for repo in stored.values()] == [TAGS, TAGS]
    third = playbook(ROLE, extra_vars={"hybridcloud_tags": retagged, **settings})
    assert third.failed == 0, third.output
    assert {call["operation"] for call in third.mutating_calls} == {"TagResource", "UntagResource"}
    assert [repository_tags(ecr, repo) for repo in stored.values()] == [retagged, retagged]


def test_existing_names_repositories_not_there_yet_in_aws_fixed_form(playbook, ecr):
    # In the DR region ECR creates a replica with the first replicated image: a play using it gets the fixed-form URI.
    ecr.create_repository(repositoryName="orders")
    result = playbook(EXISTING, extra_vars={"container_registry_repositories": REPOSITORIES})
    assert result.failed == 0, result.output
    assert result.task("facts")["result"]["msg"]["uris"] == {
        "orders": ecr.describe_repositories(repositoryNames=["orders"])["repositories"][0]["repositoryUri"],
        "team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
    }
    assert [call["operation"] for call in result.api_calls].count("DescribeRepositories") <= 2
    assert result.mutating_calls == []


def test_dockerhub_credentials_live_only_in_secrets_manager(playbook, mutating_calls, aws, kms_key_arn):
    settings = {
        "container_registry_provider": "dockerhub",
        "container_registry_dockerhub_credentials": {"username": "corp-bot", "token": TOKEN},
        "container_registry_dockerhub_namespace": "corp",
        "container_registry_repositories": [{"name": "orders"}],
        "container_registry_kms_key_arn": kms_key_arn,
    }
    first = run(playbook, **settings)
    facts = first.task("facts")["result"]["msg"]
    assert facts["uris"] == {"orders": "docker.io/corp/orders"}

    secrets = aws("secretsmanager")
    described = secrets.describe_secret(SecretId=facts["credentials"])
    assert described["Name"] == "hybridcloud/dockerhub"
    assert described["KmsKeyId"] == kms_key_arn
    assert {tag["Key"]: tag["Value"] for tag in described["Tags"]} == TAGS
    assert json.loads(secrets.get_secret_value(SecretId=facts["credentials"])["SecretString"]) == {"username": "corp-bot", "password": TOKEN}
    assert TOKEN not in first.output
    assert aws("ecr").describe_repositories()["repositories"] == []

    calls_after_first = len(mutating_calls())
    second = run(playbook, **settings)
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_first
    assert TOKEN not in second.output


DR = {"hybridcloud_dr_strategy": "backup_restore", "hybridcloud_dr_region": "us-west-2", "aws_region": "us-east-1"}
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7, "digest": "sha256:" + "1" * 64},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 9, "digest": "sha256:" + "2" * 64}],
    }
)


def test_backup_restore_replicates_the_repositories_to_the_dr_region(playbook, mutating_calls, aws, ecr):
    ecr.create_repository(repositoryName="unrelated")
    planned = run(playbook, check=True, container_registry_repositories=REPOSITORIES, **DR)
    assert planned.task("hybridcloud.aws.container_registry : Replicate the repositories to the DR region")["changed"] is True
    assert planned.mutating_calls == []
    assert ecr.describe_registry()["replicationConfiguration"]["rules"] == []

    first = run(playbook, container_registry_repositories=REPOSITORIES, **DR)
    assert "PutReplicationConfiguration" in [call["operation"] for call in first.mutating_calls]
    assert ecr.describe_registry()["replicationConfiguration"] == {
        "rules": [
            {
                "destinations": [{"region": "us-west-2", "registryId": "123456789012"}],
                "repositoryFilters": [{"filter": "orders", "filterType": "PREFIX_MATCH"}, {"filter": "team/api", "filterType": "PREFIX_MATCH"}],
            }
        ]
    }
    second = run(playbook, container_registry_repositories=REPOSITORIES, **DR)
    assert (second.changed, second.mutating_calls) == (0, [])
    assert_no_write_module_ran(second)
    assert len(second.api_calls) < NO_OP_CALLS_BEFORE_DR, [call["operation"] for call in second.api_calls]

    # A lifecycle policy changed by hand on one repository: only that repository's ecs_ecr item runs, and puts it back.
    ecr.put_lifecycle_policy(repositoryName="orders", lifecyclePolicyText=json.dumps({"rules": lifecycle_rules(ecr, "orders")[:1]}))
    repaired = run(playbook, container_registry_repositories=REPOSITORIES, **DR)
    ecs_ecr = repaired.task("hybridcloud.aws.container_registry : Ensure the ECR repositories (immutable tags, scan on push, lifecycle policy, encryption)")
    assert [item["item"]["key"] for item in ecs_ecr["result"]["results"]] == ["orders"]
    assert [call["operation"] for call in repaired.mutating_calls] == ["PutLifecyclePolicy"]
    assert [rule["selection"]["countNumber"] for rule in lifecycle_rules(ecr, "orders")] == [7, 30]

    # An image pushed in the primary region reaches the DR region; a repository outside the role's does not.
    ecr.put_image(repositoryName="orders", imageManifest=MANIFEST, imageTag="1.0")
    ecr.put_image(repositoryName="unrelated", imageManifest=MANIFEST, imageTag="1.0")
    west = aws("ecr", region="us-west-2")
    assert [repo["repositoryName"] for repo in west.describe_repositories()["repositories"]] == ["orders"]
    assert [image["imageTags"] for image in west.describe_images(repositoryName="orders")["imageDetails"]] == [["1.0"]]

    # Strategy none leaves the configuration as it is.
    untouched = run(playbook, container_registry_repositories=REPOSITORIES, **dict(DR, hybridcloud_dr_strategy="none"))
    assert untouched.mutating_calls == []
    assert ecr.describe_registry()["replicationConfiguration"]["rules"][0]["destinations"][0]["region"] == "us-west-2"
