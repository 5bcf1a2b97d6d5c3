"""ECR registry replication (moto stores the configuration, allows one rule and replicates nothing).

- PutReplicationConfiguration takes up to 10 rules with at most 25 distinct destinations in all and 100 repository
  filters per rule (PREFIX_MATCH), as ECR documents; a destination that is the source registry itself is refused
  (moto's InvalidParameterException, kept). DescribeRegistry answers it (moto).
- An image pushed (PutImage) to a repository that a rule selects (no filter: every repository; else a filter that
  prefixes the repository's name) is replicated to each destination (region, registry id): the repository is created
  there when missing, as ECR does (default settings: MUTABLE tags, AES256), and the image lands with the same tag,
  manifest, media type and digest. The lab copies at push time (ECR itself takes seconds to minutes); a destination
  whose region is down (region_outage) gets the image when its region is back, and reports IN_PROGRESS meanwhile.
- DescribeImageReplicationStatus (moto: not implemented) answers each destination's status: COMPLETE or IN_PROGRESS.
  Replicated images are not replicated again.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.ecr.exceptions import ImageNotFoundException, InvalidParameterException, RepositoryNotFoundException
from moto.ecr import urls as ecr_urls
from moto.ecr.models import ECRBackend, Image, ecr_backends
from moto.ecr.responses import ECRResponse

from awsemu import control, snapshots
from awsemu.extensions import region_outage
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

MAX_RULES, MAX_DESTINATIONS, MAX_FILTERS = 10, 25, 100
_replicating = threading.local()
_lock = threading.Lock()
# (source account, source region, repository, digest) -> {(destination region, registry id): status}
_status: dict[tuple[str, str, str, str], dict[tuple[str, str], str]] = {}
# destination region -> the copies that wait for it: (source backend, image, destination registry id)
_waiting: dict[str, list[tuple[ECRBackend, Image, str]]] = {}


def destinations_for(replication_config: dict[str, Any] | None, repository_name: str) -> list[tuple[str, str]]:
    """(region, registry id) of every destination of every rule that selects the repository, each once."""
    found: dict[tuple[str, str], None] = {}
    for rule in (replication_config or {}).get("rules") or []:
        filters = rule.get("repositoryFilters") or []
        if filters and not any(repository_name.startswith(f.get("filter", "")) for f in filters if f.get("filterType") == "PREFIX_MATCH"):
            continue
        for destination in rule.get("destinations") or []:
            found[(destination["region"], destination["registryId"])] = None
    return list(found)


def _copy(source: ECRBackend, image: Image, region: str, registry_id: str) -> None:
    target = ecr_backends[registry_id][region]
    repository = image.repository_name
    if repository not in target.repositories:
        target.create_repository(repository, None, {"encryptionType": "AES256"}, {"scanOnPush": False}, "MUTABLE", [])
    _replicating.active = True
    try:
        if not any(
            existing.get_image_digest() == image.get_image_digest() and image.image_tag in existing.image_tags
            for existing in target.repositories[repository].images
        ):
            target.put_image(repository, image.image_manifest, image.image_tag, image.image_manifest_media_type, image.get_image_digest())
    finally:
        _replicating.active = False
    with _lock:
        _status[(source.account_id, source.region_name, repository, image.get_image_digest())][(region, registry_id)] = "COMPLETE"


def replicate(source: ECRBackend, image: Image) -> None:
    destinations = destinations_for(source.replication_config, image.repository_name)
    key = (source.account_id, source.region_name, image.repository_name, image.get_image_digest())
    for region, registry_id in destinations:
        with _lock:
            _status.setdefault(key, {})[(region, registry_id)] = "IN_PROGRESS"
        if region_outage.is_down(region):
            with _lock:
                _waiting.setdefault(region, []).append((source, image, registry_id))
        else:
            _copy(source, image, region, registry_id)


def _region_back(region: str) -> None:
    with _lock:
        waiting = _waiting.pop(region, [])
    for source, image, registry_id in waiting:
        _copy(source, image, region, registry_id)


def _reset() -> None:
    with _lock:
        _status.clear()
        _waiting.clear()


# Backend ---------------------------------------------------------------------------------------------------------
class LabECRBackend(ECRBackend):
    _url_module = property(lambda self: urls_of(ECRBackend))

    def put_replication_configuration(self, replication_config: dict[str, Any]) -> dict[str, Any]:
        rules = replication_config.get("rules") or []
        if len(rules) > MAX_RULES:
            raise InvalidParameterException(
                f"Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'rules must have at most {MAX_RULES} items'"
            )
        destinations = set()
        for rule in rules:
            if len(rule.get("repositoryFilters") or []) > MAX_FILTERS:
                raise InvalidParameterException(
                    f"Invalid parameter at 'repositoryFilters' failed to satisfy constraint: 'must have at most {MAX_FILTERS} items'"
                )
            for destination in rule.get("destinations") or []:
                if destination["region"] == self.region_name and destination["registryId"] == self.account_id:
                    raise InvalidParameterException(
                        "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: "
                        "'Replication destination cannot be the same as the source registry'"
                    )
                destinations.add((destination["region"], destination["registryId"]))
        if len(destinations) > MAX_DESTINATIONS:
            raise InvalidParameterException(
                f"Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'at most {MAX_DESTINATIONS} unique destinations'"
            )
        self.replication_config = replication_config
        return {"replicationConfiguration": replication_config}

    def put_image(self, *args: Any, **kwargs: Any) -> Image:
        image = super().put_image(*args, **kwargs)
        if not getattr(_replicating, "active", False):
            replicate(self, image)
        return image


# Responses ------------------------------------------------------------------------------------------------------
class LabECRResponse(ECRResponse):
    def describe_image_replication_status(self) -> str:
        backend = self.ecr_backend
        repository_name = self._get_param("repositoryName")
        image_id = self._get_param("imageId") or {}
        registry_id = self._get_param("registryId") or backend.account_id
        repository = backend.repositories.get(repository_name)
        if repository is None:
            raise RepositoryNotFoundException(repository_name, registry_id)
        image = next(
            (
                candidate
                for candidate in repository.images
                if (not image_id.get("imageDigest") or candidate.get_image_digest() == image_id["imageDigest"])
                and (not image_id.get("imageTag") or image_id["imageTag"] in candidate.image_tags)
            ),
            None,
        )
        if image is None or not image_id:
            raise ImageNotFoundException(json.dumps(image_id), repository_name, registry_id)
        with _lock:
            statuses = dict(_status.get((backend.account_id, backend.region_name, repository_name, image.get_image_digest()), {}))
        return json.dumps(
            {
                "repositoryName": repository_name,
                "imageId": {"imageDigest": image.get_image_digest(), **({"imageTag": image_id["imageTag"]} if image_id.get("imageTag") else {})},
                "replicationStatuses": [
                    {"region": region, "registryId": registry, "status": status} for (region, registry), status in sorted(statuses.items())
                ],
            }
        )


def install() -> None:
    """Swap in the lab's ECR backend and responses, and register the hooks (idempotent)."""
    use_backend_class(ecr_backends, LabECRBackend)
    use_response_class(ecr_urls, LabECRResponse)
    region_outage.on_region_back(_region_back)
    control.on_reset(_reset)
    snapshots.keep(_status, _waiting)
