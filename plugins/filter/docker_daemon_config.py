# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: docker_daemon_config
short_description: The daemon.json of the docker_engine role, from its modelled settings and the free-form options
version_added: 0.1.0
description:
  - Builds the content of C(/etc/docker/daemon.json) that the C(hybridcloud.aws.docker_engine) role writes.
  - Each modelled setting is a daemon.json key; a setting that is not set (V(null), an empty string, list or mapping)
    leaves its key out, so dockerd keeps its own default. V(false) and V(0) are settings and are kept.
  - The O(options) (the role's C(docker_engine_daemon_options)) are laid over the result key by key, as the
    C(combine) filter does without recursion, so an option replaces a modelled setting of the same key whole.
positional: options
options:
  _input:
    description: The modelled settings, daemon.json key to value (C(log-driver), C(live-restore), C(log-opts) and so on).
    type: dict
    required: true
  options:
    description: Further daemon.json keys, over the modelled settings.
    type: dict
    default: {}
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Write daemon.json
  ansible.builtin.copy:
    content: >-
      {{ {'log-driver': 'local', 'live-restore': true, 'registry-mirrors': []}
         | hybridcloud.aws.docker_daemon_config({'bip': '172.26.0.1/16'}) | to_nice_json }}
    dest: /etc/docker/daemon.json
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The daemon.json content, key to value.
  type: dict
"""


def _unset(value):
    return value is None or (isinstance(value, (str, list, tuple, dict)) and len(value) == 0)


def docker_daemon_config(settings, options=None):
    if not isinstance(settings, dict) or not isinstance(options or {}, dict):
        raise AnsibleFilterError("docker_daemon_config: the settings and the options must be mappings")
    config = {key: value for key, value in settings.items() if not _unset(value)}
    config.update(options or {})
    return config


class FilterModule(object):
    def filters(self):
        return {"docker_daemon_config": docker_daemon_config}
