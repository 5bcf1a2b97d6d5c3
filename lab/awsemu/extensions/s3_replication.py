"""S3 replication that really copies (moto stores the configuration and copies nothing).

An object written to a bucket whose replication configuration (PutBucketReplication; versioning required, as moto
already checks) has an Enabled rule matching its key is marked ReplicationStatus PENDING (the x-amz-replication-status
header of HeadObject/GetObject) and queued. A background worker copies it to each matching rule's destination bucket
(Destination.Bucket, an ARN; Destination.StorageClass when given): the copy has the same key, version id, body,
content type and user metadata, and ReplicationStatus REPLICA; the source turns COMPLETED, or FAILED when the
destination bucket does not exist or is not versioned. Replicas are not replicated again (two-way replication between
two buckets, for failback, does not loop). Rules match by prefix (Prefix, Filter.Prefix, Filter.And.Prefix); a tag
filter makes a rule match no object (not emulated). Delete markers are not replicated.

The worker (one daemon thread, a queue bounded at MAX_QUEUE objects; beyond that the object is FAILED) copies an
object once it is `delay_seconds` old. While the source bucket's or the destination's region is down (region_outage)
the object stays PENDING, and is copied after the region is back: what is PENDING when a region is lost for good is
what replication loses (the RPO of the bucket).

GetBucketReplication answers the configuration as it was put, every member of botocore's ReplicationConfiguration
shape (moto answers each rule with Filter Prefix "" and DeleteMarkerReplication Disabled whatever was put, and drops
SourceSelectionCriteria and the destination's encryption), so that a client comparing what it put with what it reads
sees what AWS would answer.

    GET  /_lab/s3/replication  -> {"delay_seconds", "paused", "pending", "completed", "failed"}
    POST /_lab/s3/replication  {"delay_seconds": 0.5, "paused": false} (either key) -> the same view
A reset empties the queue and restores the defaults (delay DEFAULT_DELAY seconds, not paused).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape
from moto.core.responses import ActionResult
from moto.core.utils import get_service_model
from moto.s3.exceptions import ReplicationConfigurationNotFoundError
from moto.s3 import urls as s3_urls
from moto.s3.models import FakeKey, S3Backend, s3_backends

from awsemu import control
from awsemu.extensions import region_outage
from awsemu.extensions._moto_classes import use_backend_class, use_response_class
from awsemu.extensions.s3_policy_conditions import LabS3Backend
from awsemu.extensions.s3_tiering import LabS3Response

DEFAULT_DELAY = 1.0
MAX_QUEUE = 10_000
POLL_SECONDS = 0.05
_installed = False
_writing_replica = threading.local()


@dataclass
class _Item:
    backend: S3Backend
    key: FakeKey
    source_region: str
    destinations: list[tuple[str, str | None]]  # (bucket name, storage class)
    queued: float = field(default_factory=time.monotonic)


class Replicator:
    def __init__(self) -> None:
        self._queue: deque[_Item] = deque()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        with self._condition:
            self._queue.clear()
            self.delay_seconds = DEFAULT_DELAY
            self.paused = False
            self.completed = 0
            self.failed = 0

    def view(self) -> dict[str, Any]:
        with self._condition:
            return {
                "delay_seconds": self.delay_seconds,
                "paused": self.paused,
                "pending": len(self._queue),
                "completed": self.completed,
                "failed": self.failed,
            }

    def configure(self, delay_seconds: float | None, paused: bool | None) -> None:
        with self._condition:
            if delay_seconds is not None:
                self.delay_seconds = delay_seconds
            if paused is not None:
                self.paused = paused
            self._condition.notify()

    def enqueue(self, item: _Item) -> None:
        with self._condition:
            if len(self._queue) >= MAX_QUEUE:
                mark(item.key, "FAILED")
                self.failed += 1
                return
            mark(item.key, "PENDING")
            self._queue.append(item)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="awsemu-s3-replication", daemon=True)
                self._thread.start()
            self._condition.notify()

    def _ready(self) -> list[_Item]:
        """Take the items due now whose regions answer (called under the condition's lock)."""
        if self.paused:
            return []
        now, due, waiting = time.monotonic(), [], deque()
        for item in self._queue:
            regions = [item.source_region, *(_bucket_region(item.backend, name) for name, _ in item.destinations)]
            if now - item.queued >= self.delay_seconds and not any(region_outage.is_down(region) for region in regions):
                due.append(item)
            else:
                waiting.append(item)
        self._queue = waiting
        return due

    def _run(self) -> None:
        while True:
            with self._condition:
                due = self._ready()
                if not due:
                    self._condition.wait(POLL_SECONDS)
                    continue
            for item in due:
                ok = all(_copy(item.backend, item.key, bucket, storage) for bucket, storage in item.destinations)
                mark(item.key, "COMPLETED" if ok else "FAILED")
                with self._condition:
                    if ok:
                        self.completed += 1
                    else:
                        self.failed += 1


REPLICATOR = Replicator()


def _bucket_region(backend: S3Backend, name: str) -> str | None:
    bucket = backend.buckets.get(name)
    return bucket.region_name if bucket is not None else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def rule_prefix(rule: dict[str, Any]) -> str | None:
    """The key prefix a replication rule selects ("" for every key); None when it filters on tags (never matches)."""
    selector = rule.get("Filter")
    if selector is None:
        return rule.get("Prefix") or ""
    selector = selector or {}
    if "Tag" in selector or "Tag" in (selector.get("And") or {}):
        return None
    if "And" in selector:
        return (selector["And"] or {}).get("Prefix") or ""
    return selector.get("Prefix") or ""


def destinations_for(replication: dict[str, Any] | None, key_name: str) -> list[tuple[str, str | None]]:
    """(destination bucket, storage class) of every Enabled rule that selects the key, each bucket once."""
    found: dict[str, str | None] = {}
    for rule in _as_list((replication or {}).get("Rule")):
        prefix = rule_prefix(rule)
        if rule.get("Status") != "Enabled" or prefix is None or not key_name.startswith(prefix):
            continue
        destination = rule.get("Destination") or {}
        bucket = str(destination.get("Bucket", "")).split(":::")[-1]
        if bucket:
            found.setdefault(bucket, destination.get("StorageClass"))
    return list(found.items())


def _copy(backend: S3Backend, key: FakeKey, bucket_name: str, storage: str | None) -> bool:
    bucket = backend.buckets.get(bucket_name)
    if bucket is None or not bucket.is_versioned:
        return False
    _writing_replica.active = True
    try:
        replica = backend.put_object(bucket_name, key.name, key.value, storage=storage or key.storage_class)
    finally:
        _writing_replica.active = False
    replica.set_metadata(dict(key.metadata))
    replica._version_id = key.version_id  # replicas keep the source's version id
    mark(replica, "REPLICA")
    return True


class ReplicationStatusKey(FakeKey):
    """An object replication touched (queued, copied or a replica): its answers carry x-amz-replication-status."""

    @property
    def response_dict(self) -> dict[str, Any]:  # type: ignore[override]
        answer = super().response_dict
        status = getattr(self, "lab_replication_status", None)
        if status:
            answer["x-amz-replication-status"] = status
        return answer


def mark(key: FakeKey, status: str) -> None:
    key.__class__ = ReplicationStatusKey
    key.lab_replication_status = status  # type: ignore[attr-defined]


class LabS3ReplicationBackend(LabS3Backend):
    def put_object(self, bucket_name: str, key_name: str, *args: Any, **kwargs: Any) -> FakeKey:
        key = super().put_object(bucket_name, key_name, *args, **kwargs)
        if getattr(_writing_replica, "active", False):
            return key
        bucket = self.get_bucket(bucket_name)
        destinations = destinations_for(getattr(bucket, "replication", None), key_name)
        if destinations:
            REPLICATOR.enqueue(_Item(self, key, bucket.region_name, destinations))
        return key


# GetBucketReplication ----------------------------------------------------------------------------------------------
def from_xml(value: Any, shape: Shape) -> Any:
    """A value parsed by xmltodict (as moto stores PutBucketReplication's body) in the API's shape (member names,
    lists, integers and booleans), following the botocore model's XML serialization names."""
    if shape.type_name == "structure":
        value = value or {}
        answer = {}
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            key = member.serialization.get("name", name)
            if key in value:
                answer[name] = from_xml(value[key], member)
        return answer
    if shape.type_name == "list":
        item_shape = shape.member  # type: ignore[attr-defined]
        if not shape.serialization.get("flattened"):
            value = (value or {}).get(item_shape.serialization.get("name", "member"))
        return [from_xml(item, item_shape) for item in _as_list(value)]
    if shape.type_name in ("integer", "long"):
        return int(value)
    if shape.type_name == "boolean":
        return str(value).lower() == "true"
    return "" if value is None else value


class LabS3ReplicationResponse(LabS3Response):
    def get_bucket_replication(self) -> Any:
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        shape = get_service_model("s3").shape_for("ReplicationConfiguration")
        return self.serialized(ActionResult({"ReplicationConfiguration": from_xml(replication, shape)}))


# Control plane --------------------------------------------------------------------------------------------------
def _get_settings(_body: Any) -> dict[str, Any]:
    return REPLICATOR.view()


def _set_settings(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not body or set(body) - {"delay_seconds", "paused"}:
        raise control.LabError(400, 'expected {"delay_seconds": <seconds >= 0>, "paused": true|false} (either key)')
    delay, paused = body.get("delay_seconds"), body.get("paused")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
        raise control.LabError(400, "delay_seconds must be a number >= 0")
    if paused is not None and not isinstance(paused, bool):
        raise control.LabError(400, "paused must be true or false")
    REPLICATOR.configure(delay, paused)
    return REPLICATOR.view()


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent (the control routes)
    use_backend_class(s3_backends, LabS3ReplicationBackend)
    use_response_class(s3_urls, LabS3ReplicationResponse)
    if _installed:
        return
    control.route("GET", "/_lab/s3/replication", _get_settings)
    control.route("POST", "/_lab/s3/replication", _set_settings)
    control.on_reset(REPLICATOR.reset)
    _installed = True
