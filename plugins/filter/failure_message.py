# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: failure_message
short_description: The reason a task hidden by no_log failed, with its secrets masked
version_added: 0.1.0
description:
  - A task whose arguments or result carry a secret runs with C(no_log), which also hides why it failed, so AWS's own
    error message never reaches the user. The role's C(rescue) passes the failed result (C(ansible_failed_result))
    through this filter and fails with what it returns.
  - Returns the module's C(msg), followed by AWS's error code when the result has one and the message does not already
    name it. Every given secret value is replaced by C(********) wherever it occurs, because some AWS errors and
    parameter validation errors echo the request's values.
  - Secret values shorter than four characters are not masked (they would match ordinary text); empty and missing
    values are ignored.
positional: secrets
options:
  _input:
    description: The failed task result (C(ansible_failed_result) in a C(rescue)).
    type: dict
    required: true
  secrets:
    description: The secret values the task handled (keys, passwords, tokens); empty entries are ignored.
    type: list
    elements: str
    default: []
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Ensure the private virtual interface
  block:
    - name: Ensure the private virtual interface
      community.aws.directconnect_virtual_interface:
        name: my-vif
        authentication_key: "{{ my_bgp_key }}"
      no_log: true
  rescue:
    - name: Report why it failed, without the key
      ansible.builtin.fail:
        msg: "{{ ansible_failed_result | hybridcloud.aws.failure_message([my_bgp_key]) }}"
"""

RETURN = r"""
_value:
  description: The failure's message with every secret masked.
  type: str
"""

MASK = "********"
MINIMUM_SECRET_LENGTH = 4


def failure_message(result, secrets=None):
    if not isinstance(result, dict):
        raise AnsibleFilterError(f"failure_message expects a task result (a dict), got {type(result).__name__}")
    message = str(result.get("msg") or "the module gave no reason")
    code = (result.get("error") or {}).get("code") if isinstance(result.get("error"), dict) else None
    if code and code not in message:
        message = f"{message} (AWS error code {code})"
    # Longest first: a secret that contains another is masked whole.
    values = sorted({str(value) for value in secrets or [] if value is not None and len(str(value)) >= MINIMUM_SECRET_LENGTH}, key=len, reverse=True)
    for value in values:
        message = message.replace(value, MASK)
    return message


class FilterModule:
    def filters(self):
        return {"failure_message": failure_message}
