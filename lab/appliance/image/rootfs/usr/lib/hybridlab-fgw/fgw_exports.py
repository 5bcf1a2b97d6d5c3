"""NFS exports for nfs-ganesha, one per file share, and applying them to the running server.

Path   /export/<file share id>        the share's cache directory
Pseudo /<file share name>             what clients mount (NFSv4, and NFSv3 with Mount_Path_Pseudo)
CLIENT the share's ClientList CIDRs, RO or RW; everyone else is refused (Access_Type None)
Squash RootSquash -> Root_Squash, NoSquash -> No_Root_Squash, AllSquash -> All_Squash
"""

from __future__ import annotations

import os
import subprocess

from fgw_gateway import Share
from fgw_settings import EXPORT_ROOT, FIRST_EXPORT_ID, GANESHA_EXPORTS_FILE

SQUASH = {"RootSquash": "Root_Squash", "NoSquash": "No_Root_Squash", "AllSquash": "All_Squash"}
NOBODY = 65534
UNIT = "nfs-ganesha.service"


def share_directory(share: Share) -> str:
    return os.path.join(EXPORT_ROOT, share.share_id)


def _clients(client_list: list[str]) -> str:
    return ", ".join("*" if cidr in ("0.0.0.0/0", "::/0") else cidr for cidr in client_list)


def export_block(share: Share, export_id: int) -> str:
    defaults = share.settings.get("NFSFileShareDefaults") or {}
    # Squashed users become the share's owner, like the gateway's nfsnobody default.
    anonymous_uid = int(defaults.get("OwnerId", NOBODY))
    anonymous_gid = int(defaults.get("GroupId", NOBODY))
    return f"""EXPORT {{
    Export_Id = {export_id};
    Path = "{share_directory(share)}";
    Pseudo = "/{share.name}";
    Protocols = 3, 4;
    Transports = TCP;
    SecType = sys;
    Access_Type = None;
    Squash = {SQUASH.get(share.squash, "Root_Squash")};
    Anonymous_Uid = {anonymous_uid};
    Anonymous_Gid = {anonymous_gid};
    CLIENT {{
        Clients = {_clients(share.client_list)};
        Access_Type = {"RO" if share.read_only else "RW"};
    }}
    FSAL {{
        Name = VFS;
    }}
}}
"""


def export_key(share: Share) -> str:
    return f"{share.arn} /{share.name}"


def export_ids(shares: list[Share], known: dict[str, int], next_id: int) -> tuple[dict[str, int], int]:
    """A share keeps its id while it exists under the same name; a new (or renamed) share gets a never
    used id, because a reload refuses to give a loaded id another Path or Pseudo path.
    Returns the ids (by export_key) and the next free id."""
    ids = {export_key(share): known[export_key(share)] for share in shares if export_key(share) in known}
    next_id = max([next_id, FIRST_EXPORT_ID, *(i + 1 for i in known.values())])
    for share in sorted(shares, key=export_key):
        if export_key(share) not in ids:
            ids[export_key(share)] = next_id
            next_id += 1
    return ids, next_id


def render(shares: list[Share], ids: dict[str, int]) -> str:
    header = "# Written by the hybridlab file gateway sync daemon: one export per NFS file share.\n"
    ordered = sorted(shares, key=lambda share: ids[export_key(share)])
    return header + "".join(export_block(share, ids[export_key(share)]) for share in ordered)


def prepare_directory(share: Share) -> None:
    directory = share_directory(share)
    if os.path.isdir(directory):
        return
    defaults = share.settings.get("NFSFileShareDefaults") or {}
    os.makedirs(directory)
    os.chown(directory, int(defaults.get("OwnerId", NOBODY)), int(defaults.get("GroupId", NOBODY)))
    os.chmod(directory, int(str(defaults.get("DirectoryMode", "0777")), 8))


def _ganesha_pid() -> str:
    answer = subprocess.run(["systemctl", "show", "--property=MainPID", "--value", UNIT], capture_output=True, text=True, check=False)
    return answer.stdout.strip()


class Ganesha:
    """Applies export files to the running nfs-ganesha.

    A reload (SIGHUP) adds, changes and removes exports, except in one case measured with ganesha 4.3:
    a ganesha that started without any export refuses NFSv3 mounts (MNT3ERR_ACCES) of exports added by
    later reloads until it restarts. So the first non-empty export list a ganesha process sees is
    applied with a restart (quick: no grace period), every later change with a reload.
    """

    def __init__(self) -> None:
        self.primed_pid = ""

    def apply(self, text: str, has_exports: bool) -> bool:
        """Write the exports file when it changed and make ganesha serve it; True when it changed."""
        try:
            with open(GANESHA_EXPORTS_FILE) as handle:
                changed = handle.read() != text
        except FileNotFoundError:
            changed = True
        if changed:
            temporary = GANESHA_EXPORTS_FILE + ".tmp"
            with open(temporary, "w") as handle:
                handle.write(text)
            os.replace(temporary, GANESHA_EXPORTS_FILE)
        if has_exports and _ganesha_pid() != self.primed_pid:
            subprocess.run(["systemctl", "restart", UNIT], check=False, capture_output=True)
            self.primed_pid = _ganesha_pid()
        elif changed:
            subprocess.run(["systemctl", "reload", UNIT], check=False, capture_output=True)
        return changed
