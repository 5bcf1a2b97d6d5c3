# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""amazon.aws helpers that import boto3, imported when first called rather than when this collection's code is.

Why: the collection's filter plugins import its module_utils for their decisions, and Ansible loads every filter
file of a collection whenever a task uses one of its filters, in each worker process (ansible-core's Jinja2Loader
goes through the whole plugins/filter package; a worker's imports die with it). amazon.aws's module_utils.botocore
and module_utils.transformation import boto3 at the top, which costs about 0.25 s of CPU: imported at the top of
these module_utils, every task that uses one of the collection's filters paid it. A module still imports boto3
itself (AnsibleAWSModule), so deferring the import costs a module nothing. tests/unit/plugins/filter/
test_filter_imports.py keeps the filter plugins free of boto3.

For the same reason the filter files import the collection's module_utils (and amazon.aws's, and one another) inside
the filter functions, not at the top: a worker imports only what the filters its task calls need. Loading the 65 filter
files with their module_utils imported at the top cost 0.088 s of CPU per worker with a bytecode cache (0.2 s compiling
from source), against about 0.03 s (0.07 s) without; test_filter_imports.py checks that loading them imports none.

Each function behaves exactly as amazon.aws's of the same name. Two of them are private to amazon.aws (galaxy.yml pins
>=11.3.0,<12.0.0) and reused so that a filter and the module that writes agree on what differs by construction; the
unit tests pin their outcomes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def is_boto3_error_code(code, e=None):
    """amazon.aws module_utils.botocore.is_boto3_error_code, for an `except` clause."""
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code as upstream

    return upstream(code, e)


def is_boto3_error_message(msg, e=None):
    """amazon.aws module_utils.botocore.is_boto3_error_message, for an `except` clause."""
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message as upstream

    return upstream(msg, e)


def normalize_boto3_result(result):
    """amazon.aws module_utils.botocore.normalize_boto3_result (datetimes as ISO 8601 strings)."""
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result as upstream

    return upstream(result)


def scrub_none_parameters(parameters, descend_into_lists=True):
    """amazon.aws module_utils.transformation.scrub_none_parameters (keys whose value is None dropped)."""
    from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters as upstream

    return upstream(parameters, descend_into_lists=descend_into_lists)


def group_listeners(current, wanted):
    """amazon.aws module_utils.elbv2._group_listeners: elb_application_lb's own comparison of listeners."""
    from ansible_collections.amazon.aws.plugins.module_utils.elbv2 import _group_listeners as upstream

    return upstream(current, wanted)


def group_rules(current, wanted):
    """amazon.aws module_utils.elbv2._group_rules: elb_application_lb's own comparison of a listener's rules."""
    from ansible_collections.amazon.aws.plugins.module_utils.elbv2 import _group_rules as upstream

    return upstream(current, wanted)


def convert_parameter(param, value):
    """amazon.aws.rds_instance_param_group's convert_parameter: a wanted value as the string RDS stores (10M, true -> 1)."""
    from ansible_collections.amazon.aws.plugins.modules.rds_instance_param_group import convert_parameter as upstream

    return upstream(param, value)
