#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ecs_agent_config
version_added: 0.1.0
short_description: Manage the settings of the ECS agent's configuration files on a host
description:
  - Sets and removes settings, key by key, in the environment-style configuration files of the Amazon ECS
    container agent and of ecs-init on the host the task runs on (an EC2 instance or an ECS Anywhere server),
    that is C(/etc/ecs/ecs.config) for the agent (C(ECS_CLUSTER), C(ECS_INSTANCE_ATTRIBUTES), C(ECS_LOGLEVEL), ...) and
    C(/var/lib/ecs/ecs.config) for ecs-init (C(AWS_DEFAULT_REGION), C(ECS_EXTERNAL), C(ECS_BACKEND_HOST)).
  - Lines of other keys, comments and blank lines are kept as they are. A managed key keeps its place in the file;
    new keys are appended. When a managed key appears several times, the later lines are removed.
  - Values are written unquoted (C(KEY=value)), because the agent reads the file as a Docker env-file, where quotes
    would become part of the value.
  - Values of the keys the module knows are validated, for example the cluster name syntax of C(ECS_CLUSTER), the
    region format of C(AWS_DEFAULT_REGION), booleans, C(ECS_LOGLEVEL) levels and the JSON of C(ECS_INSTANCE_ATTRIBUTES).
    JSON and boolean values are compared by meaning, so JSON with or without spaces, or C(TRUE) and C(true), are the same value.
  - Secret values (C(ECS_ENGINE_AUTH_DATA), C(AWS_SECRET_ACCESS_KEY), C(AWS_SESSION_TOKEN) and whatever is given in
    O(secret_settings)) are never shown; they appear as C(********) in the diff and the results.
  - The file is written atomically and gets mode C(0600) unless O(mode) says otherwise, since it may hold secrets.
  - Runs on the managed host and needs no AWS credentials. AWS's ecs-anywhere-install.sh appends these lines
    instead of editing them, so running it twice duplicates settings; no upstream module edits these files.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  path:
    description:
      - The configuration file. Missing parent directories are created (mode C(0755)).
    type: path
    default: /etc/ecs/ecs.config
  settings:
    description:
      - Keys and values to set. Booleans are written C(true)/C(false); lists and dictionaries as compact JSON.
      - Secret keys (C(ECS_ENGINE_AUTH_DATA), C(AWS_SECRET_ACCESS_KEY), C(AWS_SESSION_TOKEN)) are refused here;
        give them in O(secret_settings).
    type: dict
    default: {}
  secret_settings:
    description:
      - Keys and values to set whose values must never be shown, for example C(ECS_ENGINE_AUTH_DATA) with private
        registry credentials. Same value rules as O(settings).
      - Only for secrets, since Ansible hides every one of these values wherever it appears in the task's output.
    type: dict
    default: {}
  absent_keys:
    description:
      - Keys to remove from the file.
    type: list
    elements: str
    default: []
  mode:
    description:
      - Permissions of the file, as for M(ansible.builtin.file).
    type: raw
    default: "0600"
  owner:
    description:
      - Owner of the file; unchanged when not set.
    type: str
  group:
    description:
      - Group of the file; unchanged when not set.
    type: str
  backup:
    description:
      - Keep a timestamped copy of the file before changing it.
    type: bool
    default: false
notes:
  - Supports C(check_mode) and C(diff).
  - The agent reads its configuration when it starts; restart the C(ecs) service after a change.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The values of O(secret_settings) appear as C(********).
  platform:
    platforms: posix
    details:
      - Edits files on the managed host; needs no AWS SDK. Tested on Debian 12 (bookworm) hosts only.
extends_documentation_fragment:
  - hybridcloud.aws.attributes
"""

EXAMPLES = r"""
- name: Join the on-premises host to the cluster with its location attribute
  hybridcloud.aws.ecs_agent_config:
    settings:
      ECS_CLUSTER: prod
      ECS_INSTANCE_ATTRIBUTES:
        location: onprem
        site: dc1
      ECS_LOGLEVEL: info
      ECS_AVAILABLE_LOGGING_DRIVERS: [json-file, awslogs]
  notify: Restart ecs

- name: Tell ecs-init that this host is an ECS Anywhere instance
  hybridcloud.aws.ecs_agent_config:
    path: /var/lib/ecs/ecs.config
    settings:
      AWS_DEFAULT_REGION: eu-west-1
      ECS_EXTERNAL: true

- name: Private registry credentials, never shown
  hybridcloud.aws.ecs_agent_config:
    settings:
      ECS_ENGINE_AUTH_TYPE: dockercfg
    secret_settings:
      ECS_ENGINE_AUTH_DATA:
        registry.example.com:
          auth: "{{ registry_auth }}"
          email: ops@example.com
    absent_keys: [ECS_LOGFILE]
    backup: true
"""

RETURN = r"""
path:
  description: The configuration file.
  returned: always
  type: str
  sample: /etc/ecs/ecs.config
settings:
  description: Every key set in the file after the change, secret values masked.
  returned: always
  type: dict
  sample: {"ECS_CLUSTER": "prod", "ECS_INSTANCE_ATTRIBUTES": "{\"location\":\"onprem\"}", "ECS_ENGINE_AUTH_DATA": "********"}
changed_keys:
  description: Keys whose value was set, changed or removed, sorted.
  returned: always
  type: list
  elements: str
  sample: ["ECS_CLUSTER", "ECS_LOGLEVEL"]
previous_values:
  description:
    - The keys of RV(changed_keys) that had a value before the change, with that value (secret values masked).
    - A previous C(ECS_CLUSTER) or C(AWS_DEFAULT_REGION) tells a move to another cluster or region, after which the agent
      refuses to start until its saved state is removed.
  returned: always
  type: dict
  sample: {"ECS_CLUSTER": "old"}
backup_file:
  description: The copy of the file made before the change.
  returned: when O(backup=true) and the file changed
  type: str
  sample: /etc/ecs/ecs.config.12345.2026-05-04@10:11:12~
"""

import json
import os
import re
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

MASK = "********"
SECRET_KEYS = frozenset(["ECS_ENGINE_AUTH_DATA", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")

CLUSTER_NAME = r"[A-Za-z0-9_-]{1,255}"
CLUSTER = re.compile(rf"^(?:{CLUSTER_NAME}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{{12}}:cluster/{CLUSTER_NAME})$")
REGION = re.compile(r"^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$")
DURATION = re.compile(r"^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")
ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_./\\-]{1,128}$")
ATTRIBUTE_VALUE = re.compile(r"^[A-Za-z0-9_.@/\\: -]{1,128}$")
LOG_LEVELS = ["debug", "info", "warn", "error", "crit"]

BOOLEAN_KEYS = (
    "ECS_EXTERNAL",
    "ECS_ENABLE_TASK_IAM_ROLE",
    "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST",
    "ECS_ENABLE_GPU_SUPPORT",
    "ECS_DISABLE_PRIVILEGED",
    "ECS_ENABLE_CONTAINER_METADATA",
    "ECS_ENABLE_SPOT_INSTANCE_DRAINING",
    "ECS_DISABLE_IMAGE_CLEANUP",
    "ECS_ENABLE_TASK_ENI",
    "ECS_AWSVPC_BLOCK_IMDS",
    "ECS_SELINUX_CAPABLE",
    "ECS_APPARMOR_CAPABLE",
    "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE",
    "ECS_ENABLE_TASK_CPU_MEM_LIMIT",
    "ECS_ENABLE_UNTRACKED_IMAGE_CLEANUP",
    "ECS_UPDATES_ENABLED",
    "ECS_DISABLE_METRICS",
    "ECS_WARM_POOLS_CHECK",
)
DURATION_KEYS = (
    "ECS_CONTAINER_STOP_TIMEOUT",
    "ECS_CONTAINER_START_TIMEOUT",
    "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION",
    "ECS_IMAGE_CLEANUP_INTERVAL",
    "ECS_IMAGE_MINIMUM_CLEANUP_AGE",
)


# ---------------------------------------------------------------- value rules: each returns an error text or None


def _check_pattern(pattern, expected):
    return lambda text: None if pattern.match(text) else f"must be {expected}"


def _check_choice(choices):
    return lambda text: None if text in choices else f"must be one of {', '.join(choices)}"


def _check_bool(text):
    return None if text.lower() in ("true", "false") else "must be true or false"


def _check_uint(text):
    return None if text.isdigit() else "must be a whole number of at least 0"


def _check_absolute_path(text):
    return None if text.startswith("/") else "must be an absolute path"


def _check_url(text):
    match = re.match(r"^(https?)://([^/\s:]+)(:\d+)?(/\S*)?$", text)
    return None if match else "must be an http:// or https:// URL with a host name"


def _parse_json(text, kind):
    try:
        value = json.loads(text)
    except ValueError:
        return None, f"must be valid JSON ({kind})"
    return value, None


def _check_string_map(text, names=None, values=None):
    mapping, error = _parse_json(text, "an object of strings")
    if error:
        return error
    if not isinstance(mapping, dict) or not all(isinstance(item, str) for pair in mapping.items() for item in pair):
        return "must be a JSON object whose keys and values are strings"
    for name, value in mapping.items():
        if names and not names.match(name):
            return f"has an invalid name {name!r} (1-128 letters, digits, hyphens, underscores, periods, slashes)"
        if values and not values.match(value):
            return f"has an invalid value for {name!r} (1-128 letters, digits, spaces, hyphens, underscores, periods, @, slashes, colons)"
    return None


def _check_list(text, item_type, item_text):
    items, error = _parse_json(text, f"a list of {item_text}")
    if error:
        return error
    if not isinstance(items, list) or not all(isinstance(item, item_type) and not isinstance(item, bool) for item in items):
        return f"must be a JSON list of {item_text}"
    return None


def _check_ports(text):
    error = _check_list(text, int, "port numbers")
    if error is None and not all(0 <= port <= 65535 for port in json.loads(text)):
        return "must hold port numbers between 0 and 65535"
    return error


def _check_json_object(text):
    value, error = _parse_json(text, "an object")
    return error or (None if isinstance(value, dict) else "must be a JSON object")


JSON_KEYS = frozenset(
    [
        "ECS_INSTANCE_ATTRIBUTES",
        "ECS_CONTAINER_INSTANCE_TAGS",
        "ECS_AVAILABLE_LOGGING_DRIVERS",
        "ECS_RESERVED_PORTS",
        "ECS_RESERVED_PORTS_UDP",
        "ECS_ENGINE_AUTH_DATA",
    ]
)
RULES = {
    "ECS_CLUSTER": _check_pattern(CLUSTER, "a cluster name (1-255 letters, digits, hyphens, underscores) or a cluster ARN"),
    "AWS_DEFAULT_REGION": _check_pattern(REGION, "an AWS region such as eu-west-1"),
    "AWS_REGION": _check_pattern(REGION, "an AWS region such as eu-west-1"),
    "ECS_LOGLEVEL": _check_choice(LOG_LEVELS),
    "ECS_LOGLEVEL_ON_INSTANCE": _check_choice([*LOG_LEVELS, "none"]),
    "ECS_LOG_ROLLOVER_TYPE": _check_choice(["size", "hourly"]),
    "ECS_ENGINE_AUTH_TYPE": _check_choice(["docker", "dockercfg"]),
    "ECS_IMAGE_PULL_BEHAVIOR": _check_choice(["default", "always", "once", "prefer-cached"]),
    "ECS_LOGFILE": _check_absolute_path,
    "ECS_DATADIR": _check_absolute_path,
    "ECS_BACKEND_HOST": _check_url,
    "ECS_RESERVED_MEMORY": _check_uint,
    "ECS_NUM_IMAGES_DELETE_PER_CYCLE": _check_uint,
    "ECS_LOG_MAX_FILE_SIZE_MB": _check_uint,
    "ECS_LOG_MAX_ROLL_COUNT": _check_uint,
    "ECS_INSTANCE_ATTRIBUTES": lambda text: _check_string_map(text, ATTRIBUTE_NAME, ATTRIBUTE_VALUE),
    "ECS_CONTAINER_INSTANCE_TAGS": _check_string_map,
    "ECS_AVAILABLE_LOGGING_DRIVERS": lambda text: _check_list(text, str, "logging driver names"),
    "ECS_RESERVED_PORTS": _check_ports,
    "ECS_RESERVED_PORTS_UDP": _check_ports,
    "ECS_ENGINE_AUTH_DATA": _check_json_object,
}
RULES.update(dict.fromkeys(BOOLEAN_KEYS, _check_bool))
RULES.update(dict.fromkeys(DURATION_KEYS, _check_pattern(DURATION, "a duration such as 30s, 5m or 1h30m")))


# ---------------------------------------------------------------- values


def to_text_value(value):
    """The file's text for a value given in a task."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def comparable(key, text):
    """What a value means, so that equivalent spellings compare equal."""
    if key in JSON_KEYS:
        try:
            return json.loads(text)
        except ValueError:
            return text
    if key in BOOLEAN_KEYS and text.lower() in ("true", "false"):
        return text.lower()
    return text


def validate(key, value, secret):
    """An error message for a wanted key and value, or None. Secret values are never quoted."""
    if not KEY_PATTERN.match(key):
        return f"{key!r} is not a valid key name (letters, digits and underscores, not starting with a digit)"
    if value is None:
        return f"{key} has no value; list it in absent_keys to remove it"
    text = to_text_value(value)
    if "\n" in text or "\r" in text or "\0" in text:
        return f"the value of {key} must be a single line"
    error = RULES[key](text) if key in RULES else None
    if error:
        shown = "" if secret else f", got {text!r}"
        return f"{key} {error}{shown}"
    return None


# ---------------------------------------------------------------- the file


def parse(lines):
    """[(key or None, line)] for the file's lines; key is None for comments, blank and unparsable lines."""
    parsed = []
    for line in lines:
        match = ASSIGNMENT.match(line.rstrip("\r\n"))
        parsed.append((match.group(1) if match else None, line))
    return parsed


def current_values(parsed):
    """{key: value} as the agent sees it: the last assignment of a key wins."""
    values = {}
    for key, line in parsed:
        if key:
            values[key] = ASSIGNMENT.match(line.rstrip("\r\n")).group(2)
    return values


def render(parsed, wanted, absent):
    """The new lines and the keys that changed.

    wanted: {key: text}; absent: keys to drop. Lines of other keys are kept untouched."""
    before = current_values(parsed)
    changed = {key for key, text in wanted.items() if key not in before or comparable(key, before[key]) != comparable(key, text)}
    changed |= {key for key in absent if key in before}
    occurrences = {}
    for key, _line in parsed:
        if key:
            occurrences[key] = occurrences.get(key, 0) + 1
    changed |= {key for key in wanted if occurrences.get(key, 0) > 1}

    lines, seen = [], set()
    for key, line in parsed:
        if key in absent or (key in wanted and key in seen):
            continue
        if key in wanted:
            seen.add(key)
        lines.append(f"{key}={wanted[key]}\n" if key in wanted and key in changed else line)
    missing = [key for key in wanted if key not in seen]
    if missing and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.extend(f"{key}={wanted[key]}\n" for key in missing)
    return lines, changed


def masked_text(lines, secret_keys, changed):
    """The file's text with every secret value replaced by the mask (marked when it changed)."""
    shown = []
    for key, line in parse(lines):
        shown.append(f"{key}={MASK}{' (changed)' if key in changed else ''}\n" if key in secret_keys else line)
    return "".join(shown)


def read_lines(module, path):
    if os.path.isdir(path):
        module.fail_json(msg=f"{path} is a directory")
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readlines()
    except (OSError, UnicodeDecodeError) as e:
        module.fail_json(msg=f"Cannot read {path}: {to_native(e)}")


def apply_attributes(module, path, changed, diff):
    params = module.params
    changed = module.set_mode_if_different(path, params["mode"], changed, diff)
    changed = module.set_owner_if_different(path, params["owner"], changed, diff)
    return module.set_group_if_different(path, params["group"], changed, diff)


def write(module, path, existed, text, attribute_diff):
    """Write text to path atomically, with the wanted permissions in place before the content lands."""
    directory = os.path.dirname(path) or "."
    try:
        os.makedirs(directory, mode=0o755, exist_ok=True)
        if not existed:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        apply_attributes(module, path, False, attribute_diff)
        backup_file = module.backup_local(path) if existed and module.params["backup"] else None
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".ecs.config.")
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            output.write(text)
    except OSError as e:
        module.fail_json(msg=f"Cannot write {path}: {to_native(e)}")
    module.atomic_move(temporary, path)
    return backup_file


def check_options(module):
    params = module.params
    errors = []
    for key in params["settings"]:
        if key in SECRET_KEYS:
            errors.append(f"{key} holds a secret: give it in secret_settings, whose values are never shown")
    for key in set(params["settings"]) & set(params["secret_settings"]):
        errors.append(f"{key} is in both settings and secret_settings")
    for key in set(params["absent_keys"]) & (set(params["settings"]) | set(params["secret_settings"])):
        errors.append(f"{key} is both set and listed in absent_keys")
    for key in params["absent_keys"]:
        if not KEY_PATTERN.match(key):
            errors.append(f"{key!r} is not a valid key name (letters, digits and underscores, not starting with a digit)")
    for options, secret in (("settings", False), ("secret_settings", True)):
        for key, value in params[options].items():
            error = validate(key, value, secret or key in SECRET_KEYS)
            if error:
                errors.append(error)
    if errors:
        module.fail_json(msg="; ".join(errors))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", default="/etc/ecs/ecs.config"),
            settings=dict(type="dict", default={}),
            secret_settings=dict(type="dict", default={}, no_log=True),
            absent_keys=dict(type="list", elements="str", default=[], no_log=False),
            mode=dict(type="raw", default="0600"),
            owner=dict(type="str"),
            group=dict(type="str"),
            backup=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    check_options(module)
    params = module.params
    path = params["path"]
    secret_keys = SECRET_KEYS | set(params["secret_settings"])
    wanted = {key: to_text_value(value) for key, value in list(params["settings"].items()) + list(params["secret_settings"].items())}

    old_lines = read_lines(module, path)
    existed = old_lines is not None
    parsed = parse(old_lines or [])
    new_lines, changed_keys = render(parsed, wanted, set(params["absent_keys"]))
    content_changed = new_lines != (old_lines or [])

    attribute_diff = {"before": {}, "after": {}}
    backup_file = None
    if content_changed and not module.check_mode:
        backup_file = write(module, path, existed, "".join(new_lines), attribute_diff)
        attributes_changed = bool(attribute_diff["before"])
    elif existed:
        attributes_changed = apply_attributes(module, path, False, attribute_diff)
    else:
        attributes_changed = False

    result_settings = {key: MASK if key in secret_keys else value for key, value in current_values(parse(new_lines)).items()}
    content_diff = {
        "before_header": path,
        "after_header": path,
        "before": masked_text(old_lines or [], secret_keys, set()),
        "after": masked_text(new_lines, secret_keys, changed_keys),
    }
    before = current_values(parsed)
    result = dict(
        changed=content_changed or attributes_changed,
        path=path,
        settings=result_settings,
        changed_keys=sorted(changed_keys),
        previous_values={key: MASK if key in secret_keys else before[key] for key in sorted(changed_keys) if key in before},
        diff=[content_diff, attribute_diff] if attribute_diff["before"] else [content_diff],
    )
    if backup_file:
        result["backup_file"] = backup_file
    module.exit_json(**result)


if __name__ == "__main__":
    main()
