# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nfs_export_problem
short_description: Why a file gateway does not serve a host the shares it wants, as one message (empty when it does)
version_added: 0.1.0
description:
  - Reads the verdict of the C(hybridcloud.aws.file_gateway_mount) role's preflight script (C(nfs_export_check.py),
    which asks the gateway with C(showmount -e)) and says what stops the mounts, before fstab or a mount point
    changes.
  - When the gateway did not list its exports, the message names the gateway, the time limit, the error and every
    share that was not checked.
  - Otherwise every share that is not exported to this host is named, V(not exported at all) or V(exported to other
    clients only), with the client address the gateway sees, followed by what the gateway exports to whom.
  - A share exported to clients by host name or netgroup (V(exported-unverified)) is not a problem.
positional: shares, timeout
options:
  _input:
    description:
      - The script's output, parsed. C(gateway), C(client_address), C(exports) (path to its clients), C(shares)
        (share name to V(exported), V(exported-unverified), V(not-for-this-host) or V(missing)) and C(error)
        (null, or why the gateway did not answer).
    type: dict
    required: true
  shares:
    description: The names of the shares the host wants, for the message when they could not be checked.
    type: list
    elements: str
    default: []
  timeout:
    description: The time limit the script had, in seconds, for the message.
    type: int
    default: 0
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Stop unless the gateway exports every share to this host
  ansible.builtin.assert:
    that: my_problem | length == 0
    fail_msg: "{{ my_problem }}"
  vars:
    my_problem: "{{ my_check.stdout | from_json | hybridcloud.aws.nfs_export_problem(['shared'], 10) }}"
"""

RETURN = r"""
_value:
  description: The message, or an empty string when the gateway exports every share to this host.
  type: str
"""

SERVED = ("exported", "exported-unverified")


def nfs_export_problem(check, shares=None, timeout=0):
    gateway = check.get("gateway", "")
    if check.get("error") is not None:
        return "The file gateway {0} did not list its exports (showmount -e, {1} s): {2}. Shares not checked: {3}.".format(
            gateway, timeout, check["error"], ", ".join(shares or [])
        )
    refused = [(share, status) for share, status in (check.get("shares") or {}).items() if status not in SERVED]
    if not refused:
        return ""
    named = ", ".join(
        "/{0} ({1})".format(share, "not exported at all" if status == "missing" else "exported to other clients only") for share, status in refused
    )
    exports = "; ".join("{0} to {1}".format(path, ",".join(clients)) for path, clients in (check.get("exports") or {}).items()) or "nothing"
    return "The file gateway {0} does not export {1} to this host ({2}). It exports: {3}.".format(gateway, named, check.get("client_address", ""), exports)


class FilterModule(object):
    def filters(self):
        return {"nfs_export_problem": nfs_export_problem}
