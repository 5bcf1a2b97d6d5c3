"""Lets the unit tests run unchanged on every ansible-core the collection claims: the pinned 2.21 (.venv) and the
lowest claimed, 2.17 (.venv-core217). ansible.module_utils.testing.patch_module_args and the controller flag exist from
ansible-core 2.19 on; before it, this module provides patch_module_args under the same import path."""

import contextlib
import json
import sys
import types
from unittest import mock

import ansible.module_utils.basic as module_basic

try:  # ansible-core 2.19 and later
    import ansible.module_utils._internal as ansible_internal
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.17 and 2.18
    ansible_internal = None

    @contextlib.contextmanager
    def patch_module_args(args):
        """Hands a module its arguments the way AnsibleModule reads them before 2.19."""
        with mock.patch.object(module_basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()):
            yield

    testing = types.ModuleType("ansible.module_utils.testing", "patch_module_args for ansible-core < 2.19 (tests only)")
    testing.patch_module_args = patch_module_args
    sys.modules.setdefault("ansible.module_utils.testing", testing)


def warning_messages(result):
    """The messages of a module result's warnings: structured from ansible-core 2.19 on, plain strings before."""
    return [warning if isinstance(warning, str) else warning["event"]["msg"] for warning in result.get("warnings", [])]


__all__ = ["ansible_internal", "patch_module_args", "warning_messages"]
