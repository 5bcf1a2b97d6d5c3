# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The failback's database steps (playbooks/dr/failback.yml, filter dr_failback_plan): from the primary region's
instance and the DR region's, as amazon.aws.rds_instance_info returns them, what is left to do to make the primary
region's instance the writer again and the DR region's a read replica of it.

After a failover the DR instance is the standalone writer, and the primary region may still hold the instance it had
before the outage (stale: the writes since the failover are not in it). The failback, in order:

1. retire_primary: the stale instance is renamed <primary id>-stale-<its creation, yyyymmddhhmm> (kept, with its
   deletion protection, for whoever wants to compare it; never deleted here), freeing the identifier and with it the
   endpoint name the applications use;
2. replicate_primary: a cross-region read replica of the DR writer is created under the primary identifier, tagged
   hybridcloud:failback-source with the DR writer's DbiResourceId (a value no other instance ever has);
3. promote_primary: once the DR region's services are stopped and the replica has caught up, it is promoted;
4. retire_dr: the DR writer is renamed <DR id>-stale-<creation> in turn, so that the standby (playbooks/dr/standby.yml)
   makes a new read replica of the primary under the DR identifier.

Each step is read back from the instances, so a rerun after an interruption goes on where the last run stopped:
a standalone primary created after the DR writer (a replica of it, promoted: step 3), or carrying the tag with the
DR writer's DbiResourceId, is the new primary; any other standalone primary is stale (it existed before the DR writer,
which was made as its replica). The creation times decide even when a later converge of the primary has purged the
tag. A DR instance that is a read replica means there is nothing to fail back (no failover happened, or the failback
finished); a missing DR instance after a failback (the tag is there) leaves the standby to rebuild it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

SOURCE_TAG = "hybridcloud:failback-source"
STEPS = ("retire_primary", "replicate_primary", "promote_primary", "retire_dr")
MAX_IDENTIFIER = 63


def retired_name(identifier, created):
    """<identifier>-stale-<yyyymmddhhmm of created>, shortened to RDS's 63 characters; the same for the same instance."""
    stamp = "unknown"
    if created:
        text = str(created).replace("Z", "+00:00")
        try:
            stamp = datetime.datetime.fromisoformat(text).strftime("%Y%m%d%H%M")
        except ValueError:
            stamp = "".join(character for character in text if character.isdigit())[:12] or "unknown"
    suffix = "-stale-" + stamp
    return identifier[: MAX_IDENTIFIER - len(suffix)].rstrip("-") + suffix


def _created(instance):
    text = str((instance or {}).get("instance_create_time") or "").replace("Z", "+00:00")
    try:
        created = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return created if created.tzinfo else created.replace(tzinfo=datetime.timezone.utc)


def _promoted(primary, dr):
    """Whether the standalone primary is the DR writer's replica, promoted (not the stale instance from before)."""
    if ((primary.get("tags") or {}).get(SOURCE_TAG)) == dr.get("dbi_resource_id"):
        return True
    primary_created, dr_created = _created(primary), _created(dr)
    return primary_created is not None and dr_created is not None and primary_created > dr_created


def _source(instance):
    return (instance or {}).get("read_replica_source_db_instance_identifier") or ""


def failback_plan(primary, dr, primary_identifier, dr_identifier):
    """The steps left, in order, and the names they use; problems when the two instances are in no state a failback
    knows (the playbook then stops before any change)."""
    plan = {
        "state": "",
        "steps": [],
        "problems": [],
        "primary_identifier": primary_identifier,
        "dr_identifier": dr_identifier,
        "retire_primary_as": None,
        "retire_dr_as": None,
        "replica_source": None,
        "source_tag": {},
    }
    primary_tagged = ((primary or {}).get("tags") or {}).get(SOURCE_TAG)
    if dr is None:
        if primary and not _source(primary) and primary_tagged:
            plan["state"] = "the DR writer is retired: the standby makes a new read replica of the primary"
        else:
            plan["problems"].append("no DB instance {0} in the DR region and no failback under way: there is nothing to fail back from".format(dr_identifier))
        return plan
    if _source(dr):
        plan["state"] = "the DR instance is a read replica of {0}: nothing to fail back (the standby keeps its size)".format(_source(dr))
        return plan
    dr_arn, dr_resource = dr.get("db_instance_arn"), dr.get("dbi_resource_id")
    plan["replica_source"] = dr_arn
    plan["source_tag"] = {SOURCE_TAG: dr_resource}
    plan["retire_dr_as"] = retired_name(dr_identifier, dr.get("instance_create_time"))
    if primary is None:
        steps = ["replicate_primary", "promote_primary", "retire_dr"]
        plan["state"] = "no instance {0} in the primary region: it is made a read replica of the DR writer".format(primary_identifier)
    elif _source(primary) == dr_arn:
        steps = ["promote_primary", "retire_dr"]
        plan["state"] = "{0} replicates the DR writer: it is promoted".format(primary_identifier)
    elif _source(primary):
        plan["problems"].append(
            "{0} in the primary region is a read replica of {1}, not of the DR writer {2}: resolve it by hand".format(
                primary_identifier, _source(primary), dr_arn
            )
        )
        return plan
    elif _promoted(primary, dr):
        steps = ["retire_dr"]
        plan["state"] = "{0} is the promoted replica of the DR writer: the DR writer is retired".format(primary_identifier)
    else:
        steps = list(STEPS)
        plan["retire_primary_as"] = retired_name(primary_identifier, primary.get("instance_create_time"))
        plan["state"] = "{0} in the primary region is stale (from before the failover): it is retired as {1}".format(
            primary_identifier, plan["retire_primary_as"]
        )
    plan["steps"] = steps
    return plan
