# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: hybrid_connectivity_link_id
short_description: The Direct Connect connection or LAG the role C(hybridcloud.aws.hybrid_connectivity) puts its virtual interface on
version_added: 0.1.0
description:
  - Chooses, by how the role gets its link (O(create)), the id of the connection or link aggregation group (LAG) the
    private virtual interface rides on.
  - V(none) - the link given by id, as the writes hand it on.
  - V(connection) - the connection M(community.aws.directconnect_connection) answered (under C(connection)) when it
    ran, else the one the read found.
  - V(lag) - the LAG M(community.aws.directconnect_link_aggregation_group) answered (at the top level) when it ran,
    else the one the read found.
  - A write task that did not run (nothing differed, or check mode, where those modules are skipped) registers no id;
    the id the read found counts then. Empty when there is neither.
positional: create, new_connection, new_lag
options:
  _input:
    description:
      - What C(hybridcloud.aws.hybrid_connectivity_writes) decided; its C(dx_connection_id) is the link read or given.
    type: dict
    required: true
  create:
    description: How the role gets its link, as C(hybrid_connectivity_dx_create).
    type: str
    choices: [none, connection, lag]
    required: true
  new_connection:
    description: What the task running M(community.aws.directconnect_connection) registered; may be a skipped result.
    type: dict
    default: {}
  new_lag:
    description:
      - What the task running M(community.aws.directconnect_link_aggregation_group) registered; may be a skipped result.
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Request a new Direct Connect connection
  community.aws.directconnect_connection:
    state: present
    name: my-port
    location: EqDC2
    bandwidth: 1Gbps
  register: my_new_connection
  when: my_writes.connection | length > 0

- name: Choose the link the virtual interface rides on
  ansible.builtin.set_fact:
    my_link_id: "{{ my_writes | hybridcloud.aws.hybrid_connectivity_link_id('connection', my_new_connection) }}"
"""

RETURN = r"""
_value:
  description: The connection (V(dxcon-)) or LAG (V(dxlag-)) id; empty when there is none.
  type: str
  sample: dxlag-fgab1234
"""


def _answer(value, *path):
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value or ""


def hybrid_connectivity_link_id(writes, create, new_connection=None, new_lag=None):
    """The link id: the one a write task ordered in this run, else the one the writes hand on (read or given)."""
    found = _answer(writes, "dx_connection_id")
    if create == "none":
        return found
    if create == "connection":
        return _answer(new_connection, "connection", "connection_id") or found
    if create == "lag":
        return _answer(new_lag, "lag_id") or found
    raise AnsibleFilterError(f"hybrid_connectivity_link_id: create must be none, connection or lag (got {create!r})")


class FilterModule:
    def filters(self):
        return {"hybrid_connectivity_link_id": hybrid_connectivity_link_id}
