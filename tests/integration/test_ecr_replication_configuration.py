"""hybridcloud.aws.ecr_replication_configuration against the emulator: check mode writes nothing, the configuration is
read back with DescribeRegistry, a pushed image appears in the destination region, the second run is a no-op, absent
removes the rules."""

import json

ACCOUNT = "123456789012"
RULES = [{"destinations": [{"region": "us-west-2", "registry_id": ACCOUNT}], "repository_filters": [{"filter": "app/"}]}]
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7, "digest": "sha256:" + "1" * 64},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 9, "digest": "sha256:" + "2" * 64}],
    }
)


def replication_task(**options):
    return [{"name": "replication", "hybridcloud.aws.ecr_replication_configuration": options}]


def test_check_mode_then_apply_then_no_op_and_images_replicate(playbook, aws):
    ecr = aws("ecr")
    ecr.create_repository(repositoryName="app/web")
    ecr.create_repository(repositoryName="tools/debug")

    planned = playbook(replication_task(rules=RULES), check=True, diff=True)
    assert planned.failed == 0, planned.output
    assert planned.task("replication")["changed"] is True
    assert planned.mutating_calls == []
    assert ecr.describe_registry()["replicationConfiguration"]["rules"] == []

    first = playbook(replication_task(rules=RULES))
    assert first.failed == 0, first.output
    assert [call["operation"] for call in first.mutating_calls] == ["PutReplicationConfiguration"]
    assert ecr.describe_registry()["replicationConfiguration"] == {
        "rules": [{"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": "app/", "filterType": "PREFIX_MATCH"}]}]
    }

    for run in (playbook(replication_task(rules=RULES)), playbook(replication_task(rules=RULES), check=True)):
        assert (run.failed, run.changed, run.mutating_calls) == (0, 0, [])

    pushed = ecr.put_image(repositoryName="app/web", imageManifest=MANIFEST, imageTag="1.0")["image"]
    ecr.put_image(repositoryName="tools/debug", imageManifest=MANIFEST, imageTag="1.0")
    west = aws("ecr", region="us-west-2")
    assert [r["repositoryName"] for r in west.describe_repositories()["repositories"]] == ["app/web"]
    assert west.describe_images(repositoryName="app/web")["imageDetails"][0]["imageDigest"] == pushed["imageId"]["imageDigest"]


def test_absent_removes_the_rules(playbook, aws):
    assert playbook(replication_task(rules=RULES)).failed == 0
    removed = playbook(replication_task(state="absent"), diff=True)
    assert removed.failed == 0, removed.output
    assert removed.task("replication")["result"]["diff"]["before"]["rules"][0]["destinations"][0]["region"] == "us-west-2"
    assert aws("ecr").describe_registry()["replicationConfiguration"]["rules"] == []
    again = playbook(replication_task(state="absent"))
    assert (again.changed, again.mutating_calls) == (0, [])


def test_the_source_registry_as_destination_is_refused_by_ecr(playbook, aws):
    result = playbook(replication_task(rules=[{"destinations": [{"region": "us-east-1", "registry_id": ACCOUNT}]}]))
    assert result.failed == 1
    assert "cannot be the same as the source registry" in result.output
    assert aws("ecr").describe_registry()["replicationConfiguration"]["rules"] == []
