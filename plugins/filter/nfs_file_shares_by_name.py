# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nfs_file_shares_by_name
short_description: Share name to ARN and NFS path from the registered results of a file share loop
version_added: 0.1.0
description:
  - Takes the C(results) of a looped M(hybridcloud.aws.storagegateway_nfs_file_share) task whose items carry a
    C(name) and returns, by that name, the share's C(file_share_arn) as C(arn) and its C(nfs_path).
  - Every result is kept; values a result does not return (check mode before a share is created) are null.
  - The role C(hybridcloud.aws.file_gateway) hands its shares on with it.
options:
  _input:
    description: The C(results) of the registered loop.
    type: list
    elements: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Remember the shares
  ansible.builtin.set_fact:
    my_shares: "{{ my_share_results.results | hybridcloud.aws.nfs_file_shares_by_name }}"
"""

RETURN = r"""
_value:
  description: Share name to a mapping with C(arn) and C(nfs_path); empty for no results.
  type: dict
  sample: {"backups": {"arn": "arn:aws:storagegateway:eu-west-1:123456789012:share/share-1A2B3C4D",
           "nfs_path": "10.20.0.15:/backups"}}
"""


def nfs_file_shares_by_name(results):
    """{item name: {'arn': file_share_arn, 'nfs_path': nfs_path}} for every result."""
    return {result["item"]["name"]: {"arn": result.get("file_share_arn"), "nfs_path": result.get("nfs_path")} for result in results or []}


class FilterModule:
    def filters(self):
        return {"nfs_file_shares_by_name": nfs_file_shares_by_name}
