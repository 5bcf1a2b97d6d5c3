# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

DOCUMENTATION = r"""
name: gpg_signature_problem
short_description: Why a detached signature does not prove a download came from the pinned key (empty when it does)
version_added: 0.1.0
description:
  - Reads the result of C(gpg --batch --status-fd 1 --verify SIGNATURE FILE) as a command task registers it (C(rc),
    C(stdout), C(stderr)) and decides whether the file carries a good signature by the pinned key, as the
    C(hybridcloud.aws.verified_package) role requires before it installs anything.
  - Good means gpg exited 0 and printed a C(VALIDSIG) status line that names the pinned fingerprint, as the signing key
    or as its primary key. A good signature by any other key is refused.
  - Otherwise the answer is gpg's own status that tells why (the first of C(BADSIG), C(ERRSIG), C(NO_PUBKEY),
    C(EXPKEYSIG), C(REVKEYSIG), C(NODATA) or C(VALIDSIG) for another key), else what gpg wrote to standard error,
    else V(no signature).
positional: fingerprint
options:
  _input:
    description: The registered result of the gpg command.
    type: dict
    required: true
  fingerprint:
    description: The pinned key's fingerprint (40 or 64 hexadecimal digits; spaces and case do not matter).
    type: str
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Refuse a package that is not signed by the pinned key
  ansible.builtin.assert:
    that: my_problem | length == 0
    fail_msg: "GPG signature check FAILED: {{ my_problem }}"
  vars:
    my_problem: "{{ my_gpg_verify | hybridcloud.aws.gpg_signature_problem('0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567') }}"
"""

RETURN = r"""
_value:
  description: The reason, as gpg's status line without its C([GNUPG:]) prefix; an empty string for a good signature.
  type: str
"""

STATUS = re.compile(r"^\[GNUPG:\] (BADSIG|ERRSIG|NO_PUBKEY|EXPKEYSIG|REVKEYSIG|NODATA|VALIDSIG)\b")


def _signed_by(line, pinned):
    """Whether LINE is a VALIDSIG status naming PINNED (the signing key, or its primary key at the end)."""
    fields = line.split()
    return fields[:2] == ["[GNUPG:]", "VALIDSIG"] and pinned in [field.upper() for field in fields[2:]]


def gpg_signature_problem(result, fingerprint):
    pinned = re.sub(r"\s", "", str(fingerprint)).upper()
    lines = str(result.get("stdout") or "").splitlines()
    if pinned and result.get("rc") == 0 and any(_signed_by(line, pinned) for line in lines):
        return ""
    reasons = [line for line in lines if STATUS.match(line)]
    if reasons:
        return reasons[0][len("[GNUPG:] ") :]
    return str(result.get("stderr") or "").strip() or "no signature"


class FilterModule(object):
    def filters(self):
        return {"gpg_signature_problem": gpg_signature_problem}
