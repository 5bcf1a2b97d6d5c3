# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import re
import struct

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: known_hosts_entries
short_description: Validates and normalises SSH known_hosts lines
version_added: 0.1.0
description:
  - Takes known host keys as a team supplies them (a list of lines, or one text with a line per entry, as an
    AWX / Automation Platform credential injects it) and returns the entries as known_hosts lines, one per element.
  - Each line must parse as sshd(8) describes the known_hosts format - an optional marker (V(@cert-authority) or
    V(@revoked)), host name patterns (comma-separated names, addresses, V([name]:port), wildcards, or a hashed
    V(|1|salt|hash)), a key type, the base64 key and an optional comment. The key must decode and name the same key
    type inside its blob, so a truncated or pasted-over key fails here and not at the first SSH contact.
  - Blank lines and comment lines (V(#)) are dropped; fields are joined with single spaces.
  - Fails naming the variable and the line number of the first entry that does not parse.
positional: variable
options:
  _input:
    description: The entries - a list of lines, a text with one entry per line, or null/empty for none.
    type: raw
    required: true
  variable:
    description: The variable the entries come from, named in the error message.
    type: str
    default: known hosts
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Validate the known host keys before anything connects
  ansible.builtin.set_fact:
    my_known_hosts_lines: "{{ my_known_hosts | hybridcloud.aws.known_hosts_entries('my_known_hosts') }}"
"""

RETURN = r"""
_value:
  description: The entries as normalised known_hosts lines; empty when none were given.
  type: list
  elements: str
  sample: ["app01.dc1.example.internal,192.168.20.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI..."]
"""

KEY_TYPES = frozenset(
    (
        "ssh-ed25519",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    )
)
MARKERS = frozenset(("@cert-authority", "@revoked"))
# One host pattern: a name or address with wildcards, optionally negated, or [name]:port.
HOST_PATTERN = re.compile(r"^!?(?:\[[A-Za-z0-9.:*?_%-]+\]:[0-9]{1,5}|[A-Za-z0-9.:*?_%-]+)$")
HASHED_HOST = re.compile(r"^\|1\|[A-Za-z0-9+/]+=*\|[A-Za-z0-9+/]+=*$")


def _check_hosts(field):
    if HASHED_HOST.match(field):
        return None
    patterns = field.split(",")
    for pattern in patterns:
        if not HOST_PATTERN.match(pattern):
            return "host pattern %r is not a name, address, [name]:port or hashed |1|salt|hash" % pattern
    if all(pattern.startswith("!") for pattern in patterns):
        return "the host patterns only negate, so the key matches no host"
    return None


def _check_key(key_type, key):
    if key_type not in KEY_TYPES:
        return "unknown key type %r (one of %s)" % (key_type, ", ".join(sorted(KEY_TYPES)))
    try:
        blob = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "the key is not base64"
    # The blob is a sequence of length-prefixed fields (RFC 4253 6.6): the key type, then the key material.
    fields, offset = [], 0
    while offset < len(blob):
        if offset + 4 > len(blob):
            return "the key is truncated"
        (length,) = struct.unpack(">I", blob[offset : offset + 4])
        if offset + 4 + length > len(blob):
            return "the key is truncated"
        fields.append(blob[offset + 4 : offset + 4 + length])
        offset += 4 + length
    if not fields or fields[0] != key_type.encode("ascii"):
        return "the key's blob is not a %s key" % key_type
    if len(fields) < 2:
        return "the key is truncated"
    return None


def parse_line(line):
    """(normalised line, None) for a known_hosts entry, (None, reason) otherwise."""
    fields = line.split()
    marker = []
    if fields and fields[0].startswith("@"):
        if fields[0] not in MARKERS:
            return None, "unknown marker %r (@cert-authority or @revoked)" % fields[0]
        marker, fields = fields[:1], fields[1:]
    if len(fields) < 3:
        return None, "expected [marker] hosts key-type base64-key [comment]"
    hosts, key_type, key, comment = fields[0], fields[1], fields[2], fields[3:]
    reason = _check_hosts(hosts) or _check_key(key_type, key)
    if reason:
        return None, reason
    return " ".join([*marker, hosts, key_type, key, *comment]), None


def known_hosts_entries(value, variable="known hosts"):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        chunks = [value]
    elif isinstance(value, (list, tuple)):
        chunks = list(value)
    else:
        raise AnsibleFilterError("%s must be a list of known_hosts lines or a text of such lines, not %s" % (variable, type(value).__name__))
    lines = []
    for chunk in chunks:
        if not isinstance(chunk, str):
            raise AnsibleFilterError("%s must hold known_hosts lines as text, not %s" % (variable, type(chunk).__name__))
        lines.extend(chunk.splitlines())
    entries = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        entry, reason = parse_line(stripped)
        if reason:
            raise AnsibleFilterError("%s, line %d is not a known_hosts entry: %s (line starts %r)" % (variable, number, reason, stripped[:40]))
        entries.append(entry)
    return entries


class FilterModule:
    def filters(self):
        return {"known_hosts_entries": known_hosts_entries}
