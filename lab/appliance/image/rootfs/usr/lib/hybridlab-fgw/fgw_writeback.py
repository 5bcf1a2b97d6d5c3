"""Write-back of the cache: files written into a share are uploaded to its bucket/prefix (S3 PutObject).

Like the gateway, the upload is asynchronous: a file is sent once it has stopped changing for
SETTLE_SECONDS, and sent again whenever it changes later. The object carries the file's metadata the
way the gateway stores it (x-amz-meta-file-owner/-group/-permissions/-mtime). Deleting a file does not
delete its object (the lab appliance only writes back).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
import time

import lab_aws
from fgw_exports import share_directory
from fgw_gateway import Share
from fgw_settings import ENDPOINT, SETTLE_SECONDS

STORAGE_CLASSES = {
    "S3_STANDARD": "STANDARD",
    "S3_INTELLIGENT_TIERING": "INTELLIGENT_TIERING",
    "S3_STANDARD_IA": "STANDARD_IA",
    "S3_ONEZONE_IA": "ONEZONE_IA",
}
ENCRYPTION = {"SseS3": "AES256", "SseKms": "aws:kms", "DsseKms": "aws:kms:dsse"}
# NFS clients rename files they delete while open to .nfsXXXX; those are never real content.
SKIPPED_PREFIXES = (".nfs",)

log = logging.getLogger("hybridlab-fgw")


def object_headers(share: Share, path: str, status: os.stat_result) -> dict[str, str]:
    settings = share.settings
    headers = {
        "x-amz-storage-class": STORAGE_CLASSES.get(settings.get("DefaultStorageClass", "S3_STANDARD"), "STANDARD"),
        "x-amz-acl": settings.get("ObjectACL") or "private",
        "x-amz-meta-user-agent": "aws-storage-gateway",
        "x-amz-meta-file-owner": str(status.st_uid),
        "x-amz-meta-file-group": str(status.st_gid),
        "x-amz-meta-file-permissions": f"{stat.S_IMODE(status.st_mode):04o}",
        "x-amz-meta-file-mtime": f"{status.st_mtime_ns}ns",
    }
    encryption = "SseKms" if settings.get("KMSEncrypted") and settings.get("EncryptionType", "SseS3") == "SseS3" else settings.get("EncryptionType", "SseS3")
    headers["x-amz-server-side-encryption"] = ENCRYPTION.get(encryption, "AES256")
    if encryption != "SseS3" and settings.get("KMSKey"):
        headers["x-amz-server-side-encryption-aws-kms-key-id"] = settings["KMSKey"]
    if settings.get("GuessMIMETypeEnabled", True):
        headers["Content-Type"] = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if settings.get("RequesterPays"):
        headers["x-amz-request-payer"] = "requester"
    return headers


def _files(directory: str):
    for parent, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(names):
            if not name.startswith(SKIPPED_PREFIXES):
                yield os.path.join(parent, name)


class Writeback:
    def __init__(self, credentials: lab_aws.Credentials, uploaded: dict[str, list]):
        self.credentials = credentials
        self.uploaded = uploaded  # "<share arn> <relative path>" -> [size, mtime_ns] last written back
        self.seen: dict[str, list] = {}  # the same, as found by the previous scan

    def scan(self, shares: list[Share]) -> list[dict]:
        """Upload what settled since the last scan; return one record per upload (for the status)."""
        done, now, seen = [], time.time(), {}
        for share in shares:
            if share.read_only:
                continue
            root = share_directory(share)
            for path in _files(root):
                try:
                    status = os.lstat(path)
                except FileNotFoundError:
                    continue
                if not stat.S_ISREG(status.st_mode):
                    continue
                relative = os.path.relpath(path, root)
                entry = f"{share.arn} {relative}"
                signature = [status.st_size, status.st_mtime_ns]
                seen[entry] = signature
                settled = self.seen.get(entry) == signature and now - status.st_mtime >= SETTLE_SECONDS
                if settled and self.uploaded.get(entry) != signature:
                    record = self._upload(share, path, relative, status)
                    if record:
                        self.uploaded[entry] = signature
                        done.append(record)
        self.seen = seen
        return done

    def forget(self, share_arns: set[str]) -> None:
        """Drop the records of shares that no longer exist."""
        self.uploaded = {entry: value for entry, value in self.uploaded.items() if entry.split(" ", 1)[0] in share_arns}

    def _upload(self, share: Share, path: str, relative: str, status: os.stat_result) -> dict | None:
        key = share.prefix + relative.replace(os.sep, "/")
        try:
            with open(path, "rb") as handle:
                body = handle.read()
            started = time.time()
            etag = lab_aws.put_object(
                ENDPOINT, share.bucket, key, body, region=share.bucket_region, credentials=self.credentials, headers=object_headers(share, path, status)
            )
        except (OSError, lab_aws.AwsError) as error:
            log.error("write-back of %s to s3://%s/%s failed: %s", path, share.bucket, key, error)
            return None
        log.info("wrote back %s to s3://%s/%s (%d bytes)", path, share.bucket, key, len(body))
        return {
            "share": share.arn,
            "bucket": share.bucket,
            "key": key,
            "size": len(body),
            "etag": etag,
            "written_at": status.st_mtime,
            "uploaded_at": time.time(),
            "upload_seconds": round(time.time() - started, 3),
        }
