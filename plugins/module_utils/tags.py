# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tags + purge_tags for the collection's modules, whatever the service's tagging calls look like."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def planned_tags(current, wanted, purge):
    """What a change to wanted (None: leave them alone) does: (tags to set, keys to remove, tags after)."""
    if wanted is None:
        return {}, [], dict(current)
    to_set, to_unset = compare_aws_tags(current, wanted, purge)
    after = {key: value for key, value in current.items() if key not in to_unset}
    after.update(to_set)
    return to_set, to_unset, after


def sync_tags(current, wanted, purge, *, tag, untag, check_mode):
    """Bring a resource's tags (dict) to wanted (None: leave them alone).

    tag(dict) and untag(list of keys) apply the change through the service's own calls; nothing is called in
    check mode. Returns (changed, the tags after the change)."""
    to_set, to_unset, after = planned_tags(current, wanted, purge)
    if not check_mode:
        if to_unset:
            untag(to_unset)
        if to_set:
            tag(to_set)
    return bool(to_set or to_unset), after
