"""The file gateway's sync daemon: keeps ganesha's exports equal to the emulator's NFS file shares and
writes files back to S3. Run by hybridlab-fgw-sync.service."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fgw_exports
import fgw_state
import lab_aws
from fgw_gateway import Gateways, Share
from fgw_settings import ADDRESS, DEFAULT_REGIONS, ENDPOINT, EXPORT_ROOT, FILES_POLL_SECONDS, SHARES_POLL_SECONDS
from fgw_writeback import Writeback

log = logging.getLogger("hybridlab-fgw")
RECENT_UPLOADS = 50


def _regions() -> list[str]:
    return list(dict.fromkeys([*DEFAULT_REGIONS, *fgw_state.regions()]))


def _prune_directories(shares: list[Share]) -> None:
    """Remove the cache of file shares that were deleted (the gateway drops their cache too)."""
    wanted = {share.share_id for share in shares}
    for name in os.listdir(EXPORT_ROOT):
        if name.startswith("share-") and name not in wanted:
            shutil.rmtree(os.path.join(EXPORT_ROOT, name), ignore_errors=True)
            log.info("removed the cache of deleted file share %s", name)


class Sync:
    def __init__(self) -> None:
        credentials = lab_aws.Credentials.from_env()
        self.gateways = Gateways(credentials)
        self.ganesha = fgw_exports.Ganesha()
        self.state = fgw_state.load_sync_state()
        self.writeback = Writeback(credentials, self.state["uploaded"])
        self.shares: list[Share] = []
        self.status: dict = {"address": ADDRESS, "endpoint": ENDPOINT, "shares": [], "uploads": [], "last_error": None}
        self._saved = ""

    def refresh_shares(self) -> None:
        try:
            shares = self.gateways.shares(_regions())
        except (lab_aws.AwsError, OSError) as error:
            if self.status["last_error"] != str(error):  # log each new problem once, not every poll
                log.warning("cannot list the file shares: %s", error)
            self.status["last_error"] = str(error)
            return
        self.status["last_error"] = None
        ids, self.state["next_export_id"] = fgw_exports.export_ids(shares, self.state["export_ids"], self.state.get("next_export_id", 0))
        for share in shares:
            fgw_exports.prepare_directory(share)
        if self.ganesha.apply(fgw_exports.render(shares, ids), has_exports=bool(shares)):
            log.info("exports now: %s", ", ".join(f"/{s.name} ({s.share_id})" for s in shares) or "none")
            _prune_directories(shares)
        self.shares = shares
        self.state["export_ids"] = ids
        self.writeback.forget({share.arn for share in shares})
        self.status["shares"] = [{"arn": s.arn, "name": s.name, "path": fgw_exports.share_directory(s), "bucket": s.bucket, "prefix": s.prefix} for s in shares]

    def write_back(self) -> None:
        uploads = self.writeback.scan(self.shares)
        if uploads:
            self.status["uploads"] = (self.status["uploads"] + uploads)[-RECENT_UPLOADS:]

    def save(self) -> None:
        """Write state and status when they changed (the loop runs every second)."""
        self.state["uploaded"] = self.writeback.uploaded
        snapshot = json.dumps([self.state, self.status], sort_keys=True)
        if snapshot != self._saved:
            fgw_state.save_sync_state(self.state)
            fgw_state.write_status(self.status)
            self._saved = snapshot


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stdout)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    os.makedirs(EXPORT_ROOT, exist_ok=True)
    sync = Sync()
    log.info("file gateway sync for %s against %s", ADDRESS, ENDPOINT)
    next_refresh = 0.0
    while not stop.is_set():
        if time.monotonic() >= next_refresh:
            sync.refresh_shares()
            next_refresh = time.monotonic() + SHARES_POLL_SECONDS
        sync.write_back()
        sync.save()
        stop.wait(FILES_POLL_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
