# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nfs_mount_plan
short_description: The file gateway shares of a host with every default filled in, their fstab entry and unit name
version_added: 0.1.0
description:
  - Resolves the entries of C(file_gateway_mount_shares) of the role C(hybridcloud.aws.file_gateway_mount) into
    what its tasks mount.
  - A leading V(/) of the share name is dropped; the fstab source is V(GATEWAY:/NAME).
  - The mount options are the O(base_options), V(ro) for a read-only share, the O(extra_options) and the share's
    own C(options), in that order, each kept at its first occurrence (compared without regard to case, as the
    C(unique) filter compares) and joined with commas.
  - The systemd unit name is the mount point without its leading V(/), with V(-) escaped as V(\\x2d) and V(/) turned
    into V(-) (what C(systemd-escape --path) gives for the characters the role allows in a mount point).
  - C(read_only) is read as the C(bool) filter reads it.
positional: gateway_address, base_options, extra_options, state
options:
  _input:
    description:
      - The shares, each with C(name) and C(path) and optionally C(owner), C(group), C(mode), C(read_only),
        C(state) and C(options).
    type: list
    elements: dict
    required: true
  gateway_address:
    description: The address of the file gateway the shares are mounted from.
    type: str
    required: true
  base_options:
    description: The mount options of every share.
    type: list
    elements: str
    default: []
  extra_options:
    description: Further mount options of every share, after V(ro).
    type: list
    elements: str
    default: []
  state:
    description: The state of a share that names none.
    type: str
    default: mounted
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Resolve the shares
  ansible.builtin.set_fact:
    my_mounts: >-
      {{ my_shares | hybridcloud.aws.nfs_mount_plan('10.20.0.15', ['nfsvers=4.1', 'nolock', 'hard'], [], 'mounted') }}
"""

RETURN = r"""
_value:
  description: One mapping per share, in the order given.
  type: list
  elements: dict
  contains:
    name:
      description: The share name without a leading V(/).
      type: str
    path:
      description: The mount point.
      type: str
    owner:
      description: The owner of the mount point, V(root) unless the share names one.
      type: raw
    group:
      description: The group of the mount point, V(root) unless the share names one.
      type: raw
    mode:
      description: The mode of the mount point, V(0755) unless the share names one.
      type: raw
    read_only:
      description: Whether the share is mounted read-only.
      type: bool
    state:
      description: The share's state, or O(state).
      type: str
    src:
      description: The fstab source, V(GATEWAY:/NAME).
      type: str
    opts:
      description: The mount options, joined with commas.
      type: str
    unit:
      description: The name of the systemd mount unit, without the V(.mount) suffix.
      type: str
  sample:
    - name: backups
      path: /srv/backups
      owner: root
      group: root
      mode: "0755"
      read_only: false
      state: mounted
      src: "10.20.0.15:/backups"
      opts: "nfsvers=4.1,nolock,hard"
      unit: srv-backups
"""

_TRUE = frozenset(("yes", "on", "true", "1"))
_FALSE = frozenset(("no", "off", "false", "0"))


def _to_bool(value):
    """As ansible.builtin.bool reads a value (without its deprecation warning for values it does not know)."""
    if isinstance(value, str):
        value = value.lower()
    elif isinstance(value, int):
        value = str(value).lower()
    try:
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value == 1
    except TypeError:
        return False


def _unique(options):
    """First occurrence of each option, strings compared in lower case (the unique filter's default)."""
    seen = set()
    kept = []
    for option in options:
        key = option.lower() if isinstance(option, str) else option
        if key not in seen:
            seen.add(key)
            kept.append(option)
    return kept


def _unit_name(path):
    return path[1:].replace("-", "\\x2d").replace("/", "-")


def nfs_mount_plan(shares, gateway_address, base_options=None, extra_options=None, state="mounted"):
    """The shares resolved into name, path, owner, group, mode, read_only, state, src, opts and unit."""
    resolved = []
    for share in shares or []:
        read_only = _to_bool(share.get("read_only", False))
        name = share["name"][1:] if share["name"].startswith("/") else share["name"]
        options = list(base_options or []) + (["ro"] if read_only else []) + list(extra_options or []) + list(share.get("options", []))
        resolved.append(
            {
                "name": name,
                "path": share["path"],
                "owner": share.get("owner", "root"),
                "group": share.get("group", "root"),
                "mode": share.get("mode", "0755"),
                "read_only": read_only,
                "state": share.get("state", state),
                "src": f"{gateway_address}:/{name}",
                "opts": ",".join(str(option) for option in _unique(options)),
                "unit": _unit_name(share["path"]),
            }
        )
    return resolved


class FilterModule:
    def filters(self):
        return {"nfs_mount_plan": nfs_mount_plan}
