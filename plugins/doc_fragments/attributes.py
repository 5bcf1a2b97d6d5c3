# -*- coding: utf-8 -*-

# Copyright: hybridcloud.aws maintainers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The standard attributes; each module states its own support for check_mode and diff_mode.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the target.
  diff_mode:
    description: Returns details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
"""

    # For the modules that call the AWS API (use with the standard fragment).
    AWS_API = r"""
options: {}
attributes:
  platform:
    platforms: posix
    details:
      - 'Calls only the AWS API, from wherever it runs (usually the controller or an execution environment, with
        C(hosts: localhost) or C(delegate_to: localhost)); needs boto3 and botocore there, nothing on managed hosts.'
  action_group:
    description: Use C(group/hybridcloud.aws.aws) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - hybridcloud.aws.aws
"""

    # For the modules that only read (use with the standard fragment).
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
"""
