# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import ipaddress
import json
import posixpath
import re

from urllib.parse import urlsplit

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: onprem_input_problems
short_description: Every problem of the input of an on-premises role at once, before the role touches the host
version_added: 0.1.0
description:
  - Checks the variables of one of the on-premises roles C(hybridcloud.aws.docker_engine),
    C(hybridcloud.aws.ssm_agent), C(hybridcloud.aws.ecs_anywhere), C(hybridcloud.aws.file_gateway_mount) and
    C(hybridcloud.aws.verified_package) in one step and lists every problem as the variable's name, a colon, what is
    wrong and the value it got. The roles call it first, on the controller, so bad input fails before any host is
    contacted.
  - Values that end up in systemd units or configuration files (proxies, C(NO_PROXY) lists, repository lines, ECS
    agent settings, registry mirrors, mount options) must be one line without quotes, backslashes or control
    characters, so they cannot add lines to the file; URLs need an allowed scheme, a host and a port from 1 to 65535.
  - Signing keys are pinned by a fingerprint of 40 hexadecimal digits (64 for an OpenPGP v6 key; spaces are
    allowed and dropped). A key comes over https, from a file on the host (C(file://)) or from a file on the
    controller (an absolute path); plain C(http://) only with the role's explicit opt-in. A package file that is
    verified needs its SHA-256 (64 hexadecimal digits) or a signed C(SHA256SUMS) to read it from (fail closed).
  - Docker insecure registries are C(host[:port]) or a CIDR no broader than a minimum prefix (C(/0) never); registry
    mirrors are https unless allowed otherwise.
  - NFS mount points are absolute, normalised and not a system path of the deny lists; mount options are single
    options that do not undo the hardening options (C(nosuid), C(nodev)).
  - Secrets are never shown; passwords in proxy URLs are masked, secret ECS agent settings are not quoted.
positional: role
options:
  _input:
    description: The role's variables, name to value (a variable left out counts as not set).
    type: dict
    required: true
  role:
    description: Which role's rules apply.
    type: str
    choices: [docker_engine, ssm_agent, ecs_anywhere, file_gateway_mount, verified_package]
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Refuse input the role cannot apply safely (before the host is contacted)
  ansible.builtin.assert:
    that: docker_engine_input_problems | length == 0
    fail_msg: "{{ docker_engine_input_problems | join('; ') }}"
    quiet: true
  vars:
    docker_engine_input_problems: >-
      {{ {'docker_engine_insecure_registries': ['0.0.0.0/0'],
          'docker_engine_insecure_registries_min_prefix': 24} | hybridcloud.aws.onprem_input_problems('docker_engine') }}
"""

RETURN = r"""
_value:
  description: The problems, each naming the variable and the value (secrets masked); empty when the input is fine.
  type: list
  elements: str
  sample:
    - "docker_engine_insecure_registries: 10.0.0.0/8 is broader than /24 (docker_engine_insecure_registries_min_prefix)"
    - 'ssm_agent_http_proxy: must be one line without spaces, quotes, backslashes or control characters (got "http://p:3128\nExecStartPre=/bin/sh")'
"""

MASK = "********"
# What could end a value or add a line in a systemd unit, an env-style file, an apt source or fstab.
UNSAFE = re.compile(r"[\x00-\x20\x7f\"'\\`]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
FINGERPRINT = re.compile(r"^([0-9A-F]{40}|[0-9A-F]{64})$")
TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+~-]*$")
PACKAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_:=~*-]*$")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~_:-]*$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
USER = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}\$?$")
OWNER = re.compile(r"^([a-z_][a-z0-9_.-]{0,31}\$?|[0-9]+)$")
LOG_SIZE = re.compile(r"^[1-9][0-9]*[kmg]$")
MOUNT_OPTION = re.compile(r"^[A-Za-z0-9_.-]+(=[A-Za-z0-9_.:/@+-]+)?$")
SHARE_NAME = re.compile(r"^/?[A-Za-z0-9][A-Za-z0-9._-]*$")
MOUNT_PATH = re.compile(r"^(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$")
REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")
ECS_CLUSTER = re.compile(r"^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$")
ECS_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_./\\-]{1,128}$")
ECS_ATTRIBUTE_VALUE = re.compile(r"^[A-Za-z0-9_.@/\\: -]{1,128}$")
ECS_SECRET_KEYS = frozenset(["ECS_ENGINE_AUTH_DATA", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
PROXY_NAMES = frozenset(["http_proxy", "https_proxy", "all_proxy", "ftp_proxy"])
ONE_LINE = "must be one line without spaces, quotes, backslashes or control characters"

# Mount points that are refused, with everything below them (fnmatch patterns), and those refused only themselves.
DEFAULT_DENIED_PATHS = (
    "/etc", "/usr", "/bin", "/sbin", "/lib*", "/boot", "/dev", "/proc", "/sys", "/run", "/root",
    "/var/lib", "/var/log", "/var/cache", "/var/spool", "/var/tmp", "/tmp",
)  # fmt: skip
DEFAULT_DENIED_EXACT_PATHS = ("/", "/var", "/home", "/mnt", "/media", "/opt", "/srv")
HARDENING_OPPOSITES = {"nosuid": "suid", "nodev": "dev", "noexec": "exec"}


# ---------------------------------------------------------------------------------------------------- showing values


def mask_url(text):
    """The URL with the password of its user information replaced by ********."""
    if not isinstance(text, str):
        return text
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:)[^/@]*@", lambda match: match.group(1) + MASK + "@", text)


def shown(value, secret=False):
    """The value as a message quotes it: JSON, so a newline shows as \\n; secrets masked."""
    if secret:
        return MASK
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return repr(value)


class Problems(list):
    """Collects 'VARIABLE: what is wrong (got VALUE)'."""

    def add(self, name, text, value=None, secret=False, show=True):
        self.append(f"{name}: {text} (got {shown(value, secret)})" if show else f"{name}: {text}")


# ---------------------------------------------------------------------------------------------------- single values


def is_empty(value):
    return value is None or value in ("", [], {})


def host_problem(host):
    """Why a host (DNS name, IPv4 or IPv6 address) is not one, or None."""
    if not isinstance(host, str) or not host:
        return "has no host"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253 or not all(LABEL.match(label) for label in name.split(".")):
        return f"has an invalid host {host!r}"
    if re.match(r"^[0-9.]+$", name):
        return f"has an invalid IP address {host!r}"
    return None


def host_port_problem(text):
    """Why 'host[:port]' (IPv6 in brackets) is not one, or None."""
    match = re.match(r"^\[([0-9A-Fa-f:.]+)\](?::([0-9]+))?$", text) or re.match(r"^([^:\[\]]+)(?::([0-9]+))?$", text)
    if not match:
        return "must be host[:port] (an IPv6 address in brackets)"
    host, port = match.groups()
    if text.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"has an invalid IPv6 address {host!r}"
    else:
        problem = host_problem(host)
        if problem:
            return problem
    if port is not None and not 1 <= int(port) <= 65535:
        return f"has port {port} outside 1-65535"
    return None


def url_problem(value, schemes, *, credentials=False, path=True):
    """Why value is not a one-line URL with one of the schemes, a valid host and port, or None."""
    if not isinstance(value, str):
        return "must be a URL string"
    if UNSAFE.search(value):
        return ONE_LINE
    try:
        parts = urlsplit(value)
    except ValueError as error:
        return f"is not a valid URL ({error})"
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return "must be a URL with " + " or ".join(f"{item}://" for item in schemes)
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            return "must be file:///absolute/path"
        return None
    try:
        port = parts.port
    except ValueError:
        return "has a port outside 1-65535"
    if port is not None and port == 0:
        return "has a port outside 1-65535"
    if not parts.hostname:
        return "has no host"
    netloc_host = parts.netloc.rsplit("@", 1)[-1]
    if netloc_host.startswith("["):
        try:
            ipaddress.IPv6Address(parts.hostname)
        except ValueError:
            return f"has an invalid IPv6 address {parts.hostname!r}"
    else:
        problem = host_problem(parts.hostname)
        if problem:
            return problem
    if parts.username is not None and not credentials:
        return "must not carry credentials (user:password@)"
    if not path and parts.path not in ("", "/"):
        return "must have no path"
    if parts.query or parts.fragment or value.endswith("?") or value.endswith("#"):
        return "must have no query or fragment"
    return None


def no_proxy_problems(value):
    """Why the entries of a NO_PROXY list (comma-separated string or list) are not hosts, domains, IPs or CIDRs."""
    entries = value if isinstance(value, list) else str(value).split(",")
    problems = []
    for raw in entries:
        entry = raw.strip() if isinstance(raw, str) else raw
        if not isinstance(entry, str) or not entry:
            problems.append("has an empty entry")
            continue
        if UNSAFE.search(entry):
            problems.append(f"entry {entry!r} {ONE_LINE}")
            continue
        if "/" in entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                problems.append(f"entry {entry!r} is not a CIDR")
            continue
        domain = entry[2:] if entry.startswith("*.") else entry[1:] if entry.startswith(".") else entry
        problem = host_port_problem(domain)
        if problem:
            problems.append(f"entry {entry!r} is not a host, domain, IP address or CIDR ({problem})")
    return problems


def fingerprint_problem(value):
    """Why value is not a key fingerprint (spaces allowed), or None; empty counts as missing."""
    if not isinstance(value, str):
        return "must be a string of hexadecimal digits"
    normalised = re.sub(r"\s", "", value).upper()
    if not normalised:
        return "is required: the key is trusted only when it carries this fingerprint (40 hexadecimal digits)"
    if not FINGERPRINT.match(normalised):
        return "must be 40 hexadecimal digits (64 for an OpenPGP v6 key); spaces are allowed"
    return None


def key_source_problem(value, allow_http, allow_name):
    """Why a signing key location is not https://, file:// or a controller path (http:// only with the opt-in)."""
    if isinstance(value, str) and value.startswith("/"):
        return path_problem(value)
    problem = url_problem(value, ("https", "http", "file"))
    if problem:
        if problem.startswith("must be a URL with"):
            return "must be an https:// or file:// URL or an absolute path on the controller"
        return problem
    if value.lower().startswith("http://") and not allow_http:
        return (
            f"is plain http: the key can be swapped on the way; use https://, file:// or a controller path, or set "
            f"{allow_name}: true (the key is still refused unless it has the pinned fingerprint)"
        )
    return None


def path_problem(value):
    """Why value is not an absolute, normalised path without unsafe characters, or None."""
    if not isinstance(value, str) or not value.startswith("/"):
        return "must be an absolute path"
    if UNSAFE.search(value):
        return ONE_LINE
    if posixpath.normpath(value) != value or value.startswith("//"):
        return f"must be normalised (no //, /./, /../ or trailing /: {posixpath.normpath(value)!r})"
    return None


def int_problem(value, minimum, maximum=None):
    if isinstance(value, bool):
        return "must be a whole number"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "must be a whole number"
    if str(number) != str(value).strip():
        return "must be a whole number"
    if number < minimum or (maximum is not None and number > maximum):
        return f"must be from {minimum} to {maximum}" if maximum is not None else f"must be at least {minimum}"
    return None


def as_list(value):
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------------------------------------------- shared rules


def check_url(problems, values, name, schemes, *, required=False, credentials=False, path=True):
    value = values.get(name)
    if is_empty(value):
        if required:
            problems.add(name, "is required", value)
        return
    problem = url_problem(value, schemes, credentials=credentials, path=path)
    if problem:
        problems.add(name, problem, mask_url(value))


def check_proxy(problems, values, name):
    check_url(problems, values, name, ("http", "https"), credentials=True, path=False)


def check_no_proxy(problems, values, name):
    value = values.get(name)
    if is_empty(value):
        return
    for problem in no_proxy_problems(value):
        problems.add(name, problem, value)


def check_fingerprint_and_key(problems, values, prefix, needed):
    """The pinned fingerprint and where the key comes from (inline or a location), for the verified-install roles."""
    if not needed:
        return
    fingerprint = f"{prefix}_gpg_fingerprint"
    problem = fingerprint_problem(values.get(fingerprint, ""))
    if problem:
        problems.add(fingerprint, problem, values.get(fingerprint))
    key, key_url = values.get(f"{prefix}_gpg_key", ""), values.get(f"{prefix}_gpg_key_url", "")
    if is_empty(key) and is_empty(key_url):
        problems.add(f"{prefix}_gpg_key_url", f"is required (or {prefix}_gpg_key, the key itself)", key_url)
    elif is_empty(key):
        allow = f"{prefix}_allow_http_key_url"
        problem = key_source_problem(key_url, bool(values.get(allow)), allow)
        if problem:
            problems.add(f"{prefix}_gpg_key_url", problem, key_url)


def check_tokens(problems, values, name, pattern=TOKEN, what="letters, digits and . _ / + ~ -"):
    for item in as_list(values.get(name)):
        if not isinstance(item, str) or not pattern.match(item):
            problems.add(name, f"entries must be {what}", item)


def check_repository(problems, values, prefix):
    """A signed repository's URL, suite, components, definition name and keyring (written into apt/yum files)."""
    check_url(problems, values, f"{prefix}_repository_url", ("http", "https"), required=True)
    check_tokens(problems, values, f"{prefix}_repository_suite")
    check_tokens(problems, values, f"{prefix}_repository_components")
    name = values.get(f"{prefix}_repository_name")
    if name is not None and not (isinstance(name, str) and re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", name)):
        problems.add(f"{prefix}_repository_name", "must be a file name of letters, digits and . _ -", name)
    keyring = values.get(f"{prefix}_repository_keyring")
    if keyring is not None:
        problem = path_problem(keyring)
        if problem:
            problems.add(f"{prefix}_repository_keyring", problem, keyring)


def check_package_download(problems, values, prefix, names):
    """Download locations of a verified package: http(s) or file URLs (the SHA-256 and signature protect them)."""
    for name in names:
        check_url(problems, values, f"{prefix}_{name}", ("http", "https", "file"))
    version = values.get(f"{prefix}_version")
    if version is not None and not (isinstance(version, str) and VERSION.match(version)):
        problems.add(f"{prefix}_version", "must be latest or a version (letters, digits and . + ~ _ : -)", version)


def check_environment(problems, name, environment):
    """An environment map: names, one-line values, proxies as URLs (passwords masked), no_proxy entries."""
    if not isinstance(environment, dict):
        problems.add(name, "must be a mapping of variable names to values", environment)
        return
    for key, value in environment.items():
        label = f"{name}.{key}"
        if not isinstance(key, str) or not ENV_NAME.match(key):
            problems.add(name, "has an invalid variable name", key)
            continue
        lower = key.lower()
        if lower in PROXY_NAMES:
            problem = url_problem(value, ("http", "https"), credentials=True, path=False) if not is_empty(value) else None
            if problem:
                problems.add(label, problem, mask_url(value))
        elif lower == "no_proxy":
            for problem in no_proxy_problems(value) if not is_empty(value) else []:
                problems.add(label, problem, value)
        elif not isinstance(value, (str, int, float)) or CONTROL.search(str(value)):
            problems.add(label, "must be one line without control characters", value)


# ---------------------------------------------------------------------------------------------------- docker_engine


def docker_insecure_registry_problems(problems, name, entries, min_prefix_v4, min_prefix_v6):
    if not isinstance(entries, list):
        problems.add(name, "must be a list", entries)
        return
    for entry in entries:
        if not isinstance(entry, str) or not entry or UNSAFE.search(entry) or "://" in entry:
            problems.add(name, "entries are host[:port] or a CIDR, one line, without a scheme", entry)
            continue
        if "/" in entry:
            try:
                network = ipaddress.ip_network(entry, strict=False)
            except ValueError:
                problems.add(name, f"{entry} is not a CIDR", entry)
                continue
            minimum, variable = (
                (min_prefix_v4, "docker_engine_insecure_registries_min_prefix")
                if network.version == 4
                else (min_prefix_v6, "docker_engine_insecure_registries_min_prefix_v6")
            )
            if network.prefixlen == 0:
                problems.add(name, f"{entry} would send every registry's traffic without TLS; never allowed", entry)
            elif network.prefixlen < minimum:
                problems.add(name, f"{entry} is broader than /{minimum} ({variable})", entry)
            elif str(network) != entry:
                problems.add(name, f"{entry} has host bits set (the network is {network})", entry)
            continue
        problem = host_port_problem(entry)
        if problem:
            problems.add(name, f"{entry} {problem}", entry)


def docker_mirror_problems(problems, name, mirrors, allow_http):
    if not isinstance(mirrors, list):
        problems.add(name, "must be a list", mirrors)
        return
    for mirror in mirrors:
        problem = url_problem(mirror, ("https", "http"))
        if problem:
            problems.add(name, problem, mask_url(mirror))
        elif mirror.lower().startswith("http://") and not allow_http:
            problems.add(
                name,
                "is plain http: images could be swapped on the way; use https:// or set docker_engine_allow_http_registry_mirrors: true",
                mirror,
            )


def docker_engine_problems(values):
    problems = Problems()
    source = values.get("docker_engine_install_source", "docker")
    if source not in ("docker", "mirror", "distribution"):
        problems.add("docker_engine_install_source", "must be docker, mirror or distribution", source)

    # Repository lines and keys (docker and mirror sources).
    check_url(problems, values, "docker_engine_docker_repo_url", ("http", "https"))
    check_tokens(problems, values, "docker_engine_docker_repo_channel")
    check_url(problems, values, "docker_engine_mirror_repo_url", ("http", "https"), required=source == "mirror")
    check_tokens(problems, values, "docker_engine_mirror_suite")
    check_tokens(problems, values, "docker_engine_mirror_components")
    if source == "mirror" and not values.get("docker_engine_mirror_components"):
        problems.add("docker_engine_mirror_components", "needs at least one component", values.get("docker_engine_mirror_components"))
    allow_http = bool(values.get("docker_engine_allow_http_key_url"))
    for variable_source, key_url, fingerprint in (
        ("docker", "docker_engine_docker_repo_key_url", "docker_engine_docker_repo_key_fingerprint"),
        ("mirror", "docker_engine_mirror_key_url", "docker_engine_mirror_key_fingerprint"),
    ):
        if source != variable_source:
            continue
        problem = fingerprint_problem(values.get(fingerprint, ""))
        if problem:
            problems.add(fingerprint, problem, values.get(fingerprint))
        location = values.get(key_url, "")
        if is_empty(location):
            if source == "mirror":
                problems.add(key_url, "is required with docker_engine_install_source mirror", location)
            elif values.get("docker_engine_docker_repo_url", "").lower().startswith("http://") and not allow_http:
                problems.add(
                    key_url,
                    "defaults to the plain-http docker_engine_docker_repo_url + /gpg: set an https:// or file:// key "
                    "location or docker_engine_allow_http_key_url: true",
                    location,
                )
        else:
            problem = key_source_problem(location, allow_http, "docker_engine_allow_http_key_url")
            if problem:
                problems.add(key_url, problem, location)
    for name in ("docker_engine_docker_packages", "docker_engine_mirror_packages", "docker_engine_distribution_packages"):
        check_tokens(problems, values, name, PACKAGE, "package names (letters, digits and . + _ : = ~ * -)")

    # daemon.json.
    log_driver = values.get("docker_engine_log_driver", "json-file")
    if not isinstance(log_driver, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$", log_driver):
        problems.add("docker_engine_log_driver", "must be a log driver name", log_driver)
    if log_driver in ("json-file", "local"):
        size = values.get("docker_engine_log_max_size", "10m")
        if not isinstance(size, str) or not LOG_SIZE.match(size):
            problems.add("docker_engine_log_max_size", "must be a number followed by k, m or g", size)
        problem = int_problem(values.get("docker_engine_log_max_file", 3), 1)
        if problem:
            problems.add("docker_engine_log_max_file", problem, values.get("docker_engine_log_max_file"))

    min_v4, min_v6 = values.get("docker_engine_insecure_registries_min_prefix", 24), values.get("docker_engine_insecure_registries_min_prefix_v6", 64)
    for name, value, low, high in (
        ("docker_engine_insecure_registries_min_prefix", min_v4, 1, 32),
        ("docker_engine_insecure_registries_min_prefix_v6", min_v6, 1, 128),
    ):
        problem = int_problem(value, low, high)
        if problem:
            problems.add(name, problem, value)
    min_v4 = int(min_v4) if not int_problem(min_v4, 1, 32) else 32
    min_v6 = int(min_v6) if not int_problem(min_v6, 1, 128) else 128
    allow_http_mirrors = bool(values.get("docker_engine_allow_http_registry_mirrors"))
    docker_mirror_problems(problems, "docker_engine_registry_mirrors", values.get("docker_engine_registry_mirrors") or [], allow_http_mirrors)
    docker_insecure_registry_problems(problems, "docker_engine_insecure_registries", values.get("docker_engine_insecure_registries") or [], min_v4, min_v6)

    options = values.get("docker_engine_daemon_options") or {}
    if not isinstance(options, dict):
        problems.add("docker_engine_daemon_options", "must be a mapping of daemon.json keys", options)
        options = {}
    if "hosts" in options:
        problems.add(
            "docker_engine_daemon_options",
            "may not set hosts: the packaged docker.service already passes -H and dockerd would not start",
            options["hosts"],
        )
    # daemon_options is merged over the modelled settings: the same rules apply to what it sets.
    if "registry-mirrors" in options:
        docker_mirror_problems(problems, "docker_engine_daemon_options['registry-mirrors']", options["registry-mirrors"], allow_http_mirrors)
    if "insecure-registries" in options:
        docker_insecure_registry_problems(problems, "docker_engine_daemon_options['insecure-registries']", options["insecure-registries"], min_v4, min_v6)
    if "data-root" in options:
        problem = path_problem(options["data-root"])
        if problem:
            problems.add("docker_engine_daemon_options['data-root']", problem, options["data-root"])

    data_root = values.get("docker_engine_data_root", "")
    if not is_empty(data_root):
        problem = path_problem(data_root)
        if problem:
            problems.add("docker_engine_data_root", problem, data_root)
    pools = values.get("docker_engine_default_address_pools") or []
    for pool in pools if isinstance(pools, list) else [pools]:
        base, size = (pool.get("base"), pool.get("size")) if isinstance(pool, dict) else (None, None)
        try:
            network = ipaddress.IPv4Network(str(base), strict=True)
        except ValueError:
            problems.add("docker_engine_default_address_pools", "each pool needs base, an IPv4 CIDR without host bits", pool)
            continue
        if int_problem(size, network.prefixlen, 32):
            problems.add("docker_engine_default_address_pools", f"size must be from {network.prefixlen} to 32 for base {base}", pool)
    check_tokens(problems, values, "docker_engine_users", USER, "existing user names")
    problem = int_problem(values.get("docker_engine_verify_timeout", 30), 1)
    if problem:
        problems.add("docker_engine_verify_timeout", problem, values.get("docker_engine_verify_timeout"))
    return problems


# ---------------------------------------------------------------------------------------------------- agents


def check_package_sha256(problems, values, name, sums_name, needed):
    """A package file's expected SHA-256 (64 hexadecimal digits, or empty); NEEDED (a package file that is verified,
    fail closed): it, or a signed SHA256SUMS (SUMS_NAME) to read it from, must be given."""
    sha256 = values.get(name, "")
    if not is_empty(sha256) and not (isinstance(sha256, str) and SHA256.match(sha256)):
        problems.add(name, "must be 64 hexadecimal digits", sha256)
    elif needed and is_empty(sha256) and is_empty(values.get(sums_name, "")):
        problems.add(name, f"is required to verify a package file (or {sums_name}, a signed SHA256SUMS)", sha256)


def check_region(problems, values, name):
    region = values.get(name)
    if region is not None and not (isinstance(region, str) and REGION.match(region)):
        problems.add(name, "must be an AWS region such as eu-west-1", region)


def agent_common_problems(problems, values, prefix, downloads):
    """What ssm_agent and ecs_anywhere share: the region, the verified install (download, SHA-256, key, repository)."""
    source = values.get(f"{prefix}_package_source", "url")
    verify = values.get(f"{prefix}_verify", True)
    check_region(problems, values, f"{prefix}_region")
    check_package_download(problems, values, prefix, downloads)
    check_package_sha256(problems, values, f"{prefix}_package_sha256", f"{prefix}_sha256sums_url", bool(verify) and source != "repository")
    check_fingerprint_and_key(problems, values, prefix, bool(verify) or source == "repository")
    if source == "repository":
        check_repository(problems, values, prefix)


def ssm_agent_problems(values):
    problems = Problems()
    if values.get("ssm_agent_state", "present") != "present":
        return problems
    agent_common_problems(problems, values, "ssm_agent", ("package_base_url", "package_url", "signature_url", "sha256sums_url"))
    # The proxy goes into the agent's systemd drop-in (Environment=) and the environment of downloads.
    check_proxy(problems, values, "ssm_agent_http_proxy")
    check_proxy(problems, values, "ssm_agent_https_proxy")
    check_no_proxy(problems, values, "ssm_agent_no_proxy")
    for name in ("endpoint", "ec2messages_endpoint", "ssmmessages_endpoint", "kms_endpoint", "s3_endpoint"):
        value = values.get(f"ssm_agent_{name}")
        if is_empty(value):
            continue
        if not isinstance(value, str) or UNSAFE.search(value):
            problem = ONE_LINE
        elif "://" in value:
            problem = url_problem(value, ("https", "http"))
        else:
            problem = host_port_problem(value) and "must be an https:// URL or a host name"
        if problem:
            problems.add(f"ssm_agent_{name}", problem, value)
    return problems


def ecs_anywhere_problems(values):
    problems = Problems()
    if values.get("ecs_anywhere_state", "present") != "present":
        return problems
    agent_common_problems(problems, values, "ecs_anywhere", ("package_base_url", "package_url", "signature_url", "sha256sums_url"))
    check_url(problems, values, "ecs_anywhere_backend_host", ("https", "http"))
    cluster = values.get("ecs_anywhere_cluster")
    if cluster is not None and not (isinstance(cluster, str) and ECS_CLUSTER.match(cluster)):
        problems.add("ecs_anywhere_cluster", "must be a cluster name (1-255 letters, digits, - and _) or a cluster ARN", cluster)
    loglevel = values.get("ecs_anywhere_loglevel", "info")
    if loglevel not in ("debug", "info", "warn", "error", "crit"):
        problems.add("ecs_anywhere_loglevel", "must be debug, info, warn, error or crit", loglevel)
    logfile = values.get("ecs_anywhere_logfile", "/log/ecs-agent.log")
    problem = path_problem(logfile)
    if problem:
        problems.add("ecs_anywhere_logfile", problem, logfile)
    location = values.get("ecs_anywhere_location", "onprem")
    if not isinstance(location, str) or not ECS_ATTRIBUTE_VALUE.match(location):
        problems.add("ecs_anywhere_location", "must be 1-128 letters, digits, spaces and _ . @ / \\ : -", location)
    attributes = values.get("ecs_anywhere_instance_attributes") or {}
    if not isinstance(attributes, dict):
        problems.add("ecs_anywhere_instance_attributes", "must be a mapping of names to values", attributes)
        attributes = {}
    for name, value in attributes.items():
        if not isinstance(name, str) or not ECS_ATTRIBUTE_NAME.match(name):
            problems.add("ecs_anywhere_instance_attributes", "names are 1-128 letters, digits and _ . / \\ -", name)
        if not isinstance(value, str) or not ECS_ATTRIBUTE_VALUE.match(value):
            problems.add(f"ecs_anywhere_instance_attributes.{name}", "must be 1-128 letters, digits, spaces and _ . @ / \\ : -", value)
    tags = values.get("ecs_anywhere_tags") or {}
    for name, value in tags.items() if isinstance(tags, dict) else [("", tags)]:
        if not isinstance(value, str) or CONTROL.search(value) or not isinstance(name, str) or CONTROL.search(name):
            problems.add(f"ecs_anywhere_tags.{name}", "keys and values must be one-line strings", value)
    # ecs.config is an env-style file (KEY=value lines) the agent and ecs-init read.
    settings = values.get("ecs_anywhere_agent_settings") or {}
    if not isinstance(settings, dict):
        problems.add("ecs_anywhere_agent_settings", "must be a mapping of ecs.config keys to values", settings)
        settings = {}
    for key, value in settings.items():
        label = f"ecs_anywhere_agent_settings.{key}"
        secret = key in ECS_SECRET_KEYS
        if not isinstance(key, str) or not ENV_NAME.match(key):
            problems.add("ecs_anywhere_agent_settings", "keys are letters, digits and underscores", key)
            continue
        text = json.dumps(value, separators=(",", ":")) if isinstance(value, (dict, list)) else str(value)
        if value is None or CONTROL.search(text):
            problems.add(label, "must be one line without control characters", value, secret=secret)
        elif key in ("HTTP_PROXY", "HTTPS_PROXY"):
            problem = url_problem(text, ("http", "https"), credentials=True, path=False)
            if problem:
                problems.add(label, problem, mask_url(text))
        elif key == "NO_PROXY":
            for problem in no_proxy_problems(text):
                problems.add(label, problem, text)
    return problems


def verified_package_problems(values):
    problems = Problems()
    name = values.get("verified_package_name", "")
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9.+_-]*$", name):
        problems.add("verified_package_name", "must be a package name", name)
    source = values.get("verified_package_source", "url")
    verify = values.get("verified_package_verify", True)
    check_package_download(problems, values, "verified_package", ("signature_url", "sha256sums_url"))
    check_url(problems, values, "verified_package_url", ("http", "https", "ftp", "file"), required=source == "url")
    check_package_sha256(problems, values, "verified_package_sha256", "verified_package_sha256sums_url", bool(verify) and source == "url")
    check_fingerprint_and_key(problems, values, "verified_package", bool(verify) or source == "repository")
    if source == "repository":
        check_repository(problems, values, "verified_package")
    check_environment(problems, "verified_package_environment", values.get("verified_package_environment") or {})
    return problems


# ---------------------------------------------------------------------------------------------------- file_gateway_mount


def denied_by(path, patterns):
    """The first pattern that path or one of its parents matches (fnmatch), or None."""
    ancestors = [path]
    while ancestors[-1] != "/":
        ancestors.append(posixpath.dirname(ancestors[-1]))
    for pattern in patterns:
        if any(fnmatch.fnmatchcase(ancestor, pattern) for ancestor in ancestors):
            return pattern
    return None


def file_gateway_mount_problems(values):
    problems = Problems()
    shares = values.get("file_gateway_mount_shares") or []
    if not isinstance(shares, list):
        problems.add("file_gateway_mount_shares", "must be a list", shares)
        return problems
    gateway = values.get("file_gateway_mount_gateway_address", "")
    if shares:
        problem = host_problem(gateway) if isinstance(gateway, str) and not UNSAFE.search(gateway) else ONE_LINE
        if problem:
            problems.add("file_gateway_mount_gateway_address", f"must be the gateway's IP address or DNS name ({problem})", gateway)
    client = values.get("file_gateway_mount_client_address", "")
    if not is_empty(client):
        try:
            ipaddress.ip_address(client)
        except ValueError:
            problems.add("file_gateway_mount_client_address", "must be an IP address", client)

    denied = values.get("file_gateway_mount_denied_paths", list(DEFAULT_DENIED_PATHS))
    denied_exact = values.get("file_gateway_mount_denied_exact_paths", list(DEFAULT_DENIED_EXACT_PATHS))
    allowed = values.get("file_gateway_mount_allowed_paths") or []
    for name, patterns in (("file_gateway_mount_denied_paths", denied), ("file_gateway_mount_denied_exact_paths", denied_exact)):
        if not isinstance(patterns, list) or not all(isinstance(item, str) and item.startswith("/") for item in patterns):
            problems.add(name, "must be a list of absolute paths (fnmatch patterns)", patterns)
    denied = [item for item in as_list(denied) if isinstance(item, str)]
    denied_exact = [item for item in as_list(denied_exact) if isinstance(item, str)]

    hardening = values.get("file_gateway_mount_hardening_options", ["nosuid", "nodev"])
    if not isinstance(hardening, list) or not all(item in HARDENING_OPPOSITES for item in hardening):
        problems.add("file_gateway_mount_hardening_options", "entries are nosuid, nodev or noexec", hardening)
        hardening = []

    def option_problems(name, options):
        if not isinstance(options, list):
            problems.add(name, "must be a list of mount options", options)
            return
        for option in options:
            if not isinstance(option, str) or not MOUNT_OPTION.match(option):
                problems.add(name, "entries are single mount options (name or name=value) without commas, spaces or quotes", option)
                continue
            undone = [item for item in hardening if option == HARDENING_OPPOSITES[item]]
            if undone:
                problems.add(
                    name,
                    f"{option} undoes {undone[0]} of file_gateway_mount_hardening_options; remove {undone[0]} there to allow it",
                    option,
                )

    option_problems("file_gateway_mount_extra_options", values.get("file_gateway_mount_extra_options") or [])
    paths = []
    for index, share in enumerate(shares):
        label = f"file_gateway_mount_shares[{index}]"
        if not isinstance(share, dict):
            problems.add(label, "must be a mapping with name and path", share)
            continue
        name = share.get("name")
        if not isinstance(name, str) or not SHARE_NAME.match(name):
            problems.add(f"{label}.name", "must be a share name of letters, digits and . _ -", name)
        path = share.get("path")
        problem = path_problem(path)
        if not problem and path not in allowed:
            pattern = denied_by(path, denied)
            exact = next((item for item in denied_exact if fnmatch.fnmatchcase(path, item)), None)
            if pattern or exact:
                where = f"under {pattern}" if pattern and pattern != path else f"the system path {pattern or exact}"
                problem = (
                    f"is {where} (file_gateway_mount_denied_{'paths' if pattern else 'exact_paths'}); list it in "
                    "file_gateway_mount_allowed_paths to mount there anyway"
                )
        if not problem and not MOUNT_PATH.match(path):
            problem = "must hold only letters, digits and _ . - with no component starting with a dot"
        if problem:
            problems.add(f"{label}.path", problem, path)
        if isinstance(path, str):
            if path in paths:
                problems.add(f"{label}.path", "is the mount point of another share", path)
            paths.append(path)
        option_problems(f"{label}.options", share.get("options", []))
        mode = share.get("mode", "0755")
        if not re.match(r"^0?[0-7]{3}$", str(mode)):
            problems.add(f"{label}.mode", "must be 3 or 4 octal digits, quoted", mode)
        for key in ("owner", "group"):
            value = share.get(key, "root")
            if not isinstance(value, (str, int)) or not OWNER.match(str(value)):
                problems.add(f"{label}.{key}", "must be a user or group name or number", value)
        state = share.get("state")
        if state is not None and state not in ("mounted", "present", "absent"):
            problems.add(f"{label}.state", "must be mounted, present or absent", state)
    for name, minimum in (
        ("file_gateway_mount_timeo", 1),
        ("file_gateway_mount_retrans", 0),
        ("file_gateway_mount_automount_timeout", 1),
        ("file_gateway_mount_idle_timeout", 0),
    ):
        if name in values:
            problem = int_problem(values[name], minimum)
            if problem:
                problems.add(name, problem, values[name])
    return problems


RULES = {
    "docker_engine": docker_engine_problems,
    "ssm_agent": ssm_agent_problems,
    "ecs_anywhere": ecs_anywhere_problems,
    "file_gateway_mount": file_gateway_mount_problems,
    "verified_package": verified_package_problems,
}


def onprem_input_problems(values, role):
    """Every problem of the role's input as 'VARIABLE: what is wrong (got VALUE)'; empty when it is fine."""
    if role not in RULES:
        raise AnsibleFilterError(f"onprem_input_problems: role must be one of {', '.join(sorted(RULES))}, not {role!r}")
    if not isinstance(values, dict):
        raise AnsibleFilterError("onprem_input_problems: the input must be a mapping of variable names to values")
    return list(RULES[role](values))


class FilterModule:
    def filters(self):
        return {"onprem_input_problems": onprem_input_problems}
