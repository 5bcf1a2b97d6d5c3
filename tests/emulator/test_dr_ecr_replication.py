"""ECR registry replication: several rules, images pushed to a selected repository appear in the destination region
(repository created there), DescribeImageReplicationStatus, and a destination region down catches up when back."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7, "digest": "sha256:" + "1" * 64},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 9, "digest": "sha256:" + "2" * 64}],
    }
)


@pytest.fixture
def registry(client):
    east = client("ecr", "us-east-1")
    for name in ("app/web", "tools/debug"):
        east.create_repository(repositoryName=name)
    configuration = {
        "rules": [
            {"destinations": [{"region": "us-west-2", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": "app/", "filterType": "PREFIX_MATCH"}]},
            {"destinations": [{"region": "eu-west-1", "registryId": ACCOUNT}], "repositoryFilters": [{"filter": "app/web", "filterType": "PREFIX_MATCH"}]},
        ]
    }
    east.put_replication_configuration(replicationConfiguration=configuration)
    assert east.describe_registry()["replicationConfiguration"] == configuration
    return east


def test_pushed_images_appear_in_the_destination_regions(client, registry):
    pushed = registry.put_image(repositoryName="app/web", imageManifest=MANIFEST, imageTag="1.0")["image"]
    registry.put_image(repositoryName="tools/debug", imageManifest=MANIFEST, imageTag="1.0")
    for region in ("us-west-2", "eu-west-1"):
        ecr = client("ecr", region)
        assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["app/web"]
        [image] = ecr.describe_images(repositoryName="app/web")["imageDetails"]
        assert (image["imageDigest"], image["imageTags"]) == (pushed["imageId"]["imageDigest"], ["1.0"])
        assert ecr.batch_get_image(repositoryName="app/web", imageIds=[{"imageTag": "1.0"}])["images"][0]["imageManifest"] == MANIFEST
    answer = registry.describe_image_replication_status(repositoryName="app/web", imageId={"imageTag": "1.0"})
    assert answer["replicationStatuses"] == [
        {"region": "eu-west-1", "registryId": ACCOUNT, "status": "COMPLETE"},
        {"region": "us-west-2", "registryId": ACCOUNT, "status": "COMPLETE"},
    ]
    with pytest.raises(ClientError) as raised:
        registry.describe_image_replication_status(repositoryName="app/web", imageId={"imageTag": "2.0"})
    assert raised.value.response["Error"]["Code"] == "ImageNotFoundException"


def test_a_destination_region_down_catches_up_when_back(client, lab_api, registry):
    assert lab_api("POST", "/_lab/regions/us-west-2/outage", {"down": True})[0] == 200
    registry.put_image(repositoryName="app/web", imageManifest=MANIFEST, imageTag="2.0")
    statuses = registry.describe_image_replication_status(repositoryName="app/web", imageId={"imageTag": "2.0"})["replicationStatuses"]
    assert {s["region"]: s["status"] for s in statuses} == {"eu-west-1": "COMPLETE", "us-west-2": "IN_PROGRESS"}
    assert lab_api("POST", "/_lab/regions/us-west-2/outage", {"down": False})[0] == 200
    assert [i["imageTags"] for i in client("ecr", "us-west-2").describe_images(repositoryName="app/web")["imageDetails"]] == [["2.0"]]


def test_configuration_limits_and_same_registry_are_refused(registry):
    same = {"rules": [{"destinations": [{"region": "us-east-1", "registryId": ACCOUNT}]}]}
    too_many = {"rules": [{"destinations": [{"region": f"us-west-{n % 2 + 1}", "registryId": ACCOUNT}]} for n in range(11)]}
    for configuration in (same, too_many):
        with pytest.raises(ClientError) as raised:
            registry.put_replication_configuration(replicationConfiguration=configuration)
        assert raised.value.response["Error"]["Code"] == "InvalidParameterException"
