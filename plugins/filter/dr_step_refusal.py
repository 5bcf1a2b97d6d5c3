# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: dr_step_refusal
short_description: Why a disaster recovery failover or failback must not run
version_added: 0.2.0
description:
  - Takes the plan of P(hybridcloud.aws.dr_plan#filter) and returns why the step must not run, or an empty string when
    it may. playbooks/dr/failover.yml and failback.yml check it before any AWS call.
  - A strategy that keeps no standby in the DR region (V(none), V(backup_restore)) refuses both steps.
  - Otherwise the typed confirmation must be the name of the region the step makes the serving one (the DR region for
    a failover, the primary region for a failback).
positional: step, confirmation
options:
  _input:
    description: The plan (the answer of P(hybridcloud.aws.dr_plan#filter)).
    type: dict
    required: true
  step:
    description: The step.
    type: str
    choices: [failover, failback]
    required: true
  confirmation:
    description: The region name the operator typed; null or empty when none was given.
    type: str
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Refuse a failover that is not confirmed (no AWS call)
  ansible.builtin.assert:
    that: refusal | length == 0
    fail_msg: "{{ refusal }}"
  vars:
    refusal: "{{ plan | hybridcloud.aws.dr_step_refusal('failover', hybridcloud_dr_failover_confirm | default('')) }}"
"""

RETURN = r"""
_value:
  description: Why the step must not run; an empty string when it may.
  type: str
  sample: "A failover makes us-west-2 the serving region: confirm it with -e hybridcloud_dr_failover_confirm=us-west-2 (given: nothing)"
"""


def step_refusal(plan, step, confirmation=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_plan import step_refusal as upstream

    return upstream(plan, step, confirmation)


class FilterModule:
    def filters(self):
        return {"dr_step_refusal": step_refusal}
