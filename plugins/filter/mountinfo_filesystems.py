# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: mountinfo_filesystems
short_description: Mount point to file system types from the text of /proc/self/mountinfo
version_added: 0.1.0
description:
  - Reads the lines of C(/proc/self/mountinfo) (see proc_pid_mountinfo(5)) and returns, by mount point (the fifth
    field, as the kernel escapes it), the file system type of every mount there (the field after the V(-)
    separator), in the order of the lines, so the lowest mount first.
  - The role C(hybridcloud.aws.file_gateway_mount) tells with it whether a share is mounted, and whether by NFS or
    by its systemd automount point (V(autofs)).
  - Blank lines are skipped; a line without the separator field fails, naming the line.
options:
  _input:
    description: The text of the file.
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Read what is mounted
  ansible.builtin.slurp:
    src: /proc/self/mountinfo
  register: my_mountinfo

- name: Note the mount points
  ansible.builtin.set_fact:
    my_mounts: "{{ my_mountinfo.content | b64decode | hybridcloud.aws.mountinfo_filesystems }}"
"""

RETURN = r"""
_value:
  description: Mount point to the list of file system types mounted there, lowest first; empty for no lines.
  type: dict
  sample: {"/": ["ext4"], "/srv/backups": ["autofs", "nfs4"]}
"""


def mountinfo_filesystems(text):
    """{mount point: [fstype, ...]} in the order of the lines of /proc/self/mountinfo."""
    mounts = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split(" ")
        try:
            fstype = fields[fields.index("-") + 1]
            mount_point = fields[4]
        except (ValueError, IndexError):
            raise AnsibleFilterError(f"mountinfo_filesystems: line {number} is not a mountinfo line: {line!r}") from None
        mounts.setdefault(mount_point, []).append(fstype)
    return mounts


class FilterModule:
    def filters(self):
        return {"mountinfo_filesystems": mountinfo_filesystems}
