"""Settings of the lab file gateway appliance (environment, from /etc/hybridlab-fgw/fgw.env via systemd)."""

from __future__ import annotations

import os

# The emulator as the appliance reaches it, over TLS as a gateway reaches AWS: the lab network's gateway address is the
# machine itself (the lab's CA in SSL_CERT_FILE).
ENDPOINT = os.environ.get("LAB_FGW_ENDPOINT", "https://10.254.0.193:4567")
# The address clients mount and the emulator records at activation.
ADDRESS = os.environ.get("LAB_FGW_ADDRESS", "10.254.0.201")
# Regions looked at even before any activation request named one.
DEFAULT_REGIONS = os.environ.get("LAB_FGW_REGIONS", "us-east-1").split()
SHARES_POLL_SECONDS = float(os.environ.get("LAB_FGW_SHARES_POLL_SECONDS", "3"))
FILES_POLL_SECONDS = float(os.environ.get("LAB_FGW_FILES_POLL_SECONDS", "1"))
# A file is written back once it has not changed for this long (the cache's write-back delay).
SETTLE_SECONDS = float(os.environ.get("LAB_FGW_SETTLE_SECONDS", "1"))

# The cache disk: one directory per file share; the appliance's own state next to them, never exported.
EXPORT_ROOT = os.environ.get("LAB_FGW_EXPORT_ROOT", "/export")
STATE_DIR = os.path.join(EXPORT_ROOT, ".hybridlab-fgw")
STATE_FILE = os.path.join(STATE_DIR, "sync-state.json")
REGIONS_FILE = os.path.join(STATE_DIR, "regions.json")
STATUS_FILE = os.path.join(STATE_DIR, "status.json")
GANESHA_EXPORTS_FILE = os.environ.get("LAB_FGW_GANESHA_EXPORTS", "/etc/ganesha/hybridlab-exports.conf")
FIRST_EXPORT_ID = 10
