# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The disaster recovery plan: from the inventory's strategy, the primary region, the DR region and the production
sizes, what each layer keeps in the DR region, and every problem of that input (used by the dr_plan filter and by
the roles that read the strategy).

Strategies, cheapest first (what each keeps in the DR region):

- none: nothing.
- backup_restore: recovery points copied to the DR vault, ECR images replicated, the file share's bucket replicated;
  nothing running. Recovery rebuilds the AWS layers in the DR region from the playbooks and restores the database from
  the latest recovery point.
- pilot_light: as backup_restore, plus the network (VPC, private subnets, endpoints), a cross-region read replica of
  the PostgreSQL instance, the ECS cluster and its services at zero, and the internal ALB; not serving.
- warm_standby: as pilot_light, with the cluster and services at a reduced size (warm_standby_percent of the
  production size, at least one), serving.
- active_active: as pilot_light, at full size, serving. RDS for PostgreSQL has one writer: the DR region reads from
  its replica and becomes the writer by promotion."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.hybridcloud.aws.plugins.module_utils.input_checks import REGION
from ansible_collections.hybridcloud.aws.plugins.module_utils.input_checks import Problems

STRATEGIES = ("none", "backup_restore", "pilot_light", "warm_standby", "active_active")
# Production sizes: key -> (default, lowest, highest).
SIZES = {"instances": (2, 1, 1000), "tasks": (2, 1, 1000), "warm_standby_percent": (50, 1, 99)}
RECOVERY = {
    "none": "none: the DR region holds nothing",
    "backup_restore": "rebuild the AWS layers in the DR region with the playbooks, restore the database from the latest recovery point",
    "pilot_light": "promote the read replica, scale the cluster and services from zero to the production size",
    "warm_standby": "promote the read replica, scale the cluster and services from the reduced to the production size",
    "active_active": "promote the read replica (RDS for PostgreSQL has one writer); both regions already serve at full size",
}


def _sizes(problems, prefix, sizes):
    """The production sizes with their defaults filled in, or None when they are not usable."""
    name = prefix + "_sizes"
    if sizes is None:
        sizes = {}
    if not isinstance(sizes, dict):
        problems.add(name, sizes, "must be a mapping of instances, tasks and warm_standby_percent")
        return None
    for unknown in sorted(set(sizes) - set(SIZES), key=str):
        problems.add("{0}.{1}".format(name, unknown), sizes[unknown], "is not a size (instances, tasks, warm_standby_percent)")
    accepted = {}
    for key, (default, low, high) in SIZES.items():
        value = sizes.get(key)
        accepted[key] = default if value is None else problems.integer("{0}.{1}".format(name, key), value, low, high)
    return None if None in accepted.values() else accepted


def _scaled(count, percent):
    return max(1, math.ceil(count * percent / 100.0))


def input_problems(strategy, primary_region, dr_region, sizes=None, *, prefix="hybridcloud_dr", primary_name="aws_region"):
    """Every problem of the DR input, each a sentence naming the variable and the value. The regions are checked only
    for a strategy other than none."""
    problems = Problems()
    if strategy not in STRATEGIES:
        problems.add(prefix + "_strategy", strategy, "must be one of " + ", ".join(STRATEGIES))
    if strategy != "none":
        problems.match(primary_name, primary_region, REGION, "the primary region's name such as eu-central-1")
        name = prefix + "_region"
        if dr_region in (None, ""):
            problems.add(name, dr_region, "is required with {0}_strategy {1}".format(prefix, strategy))
        elif problems.match(name, dr_region, REGION, "a region name such as eu-west-1") and dr_region == primary_region:
            problems.add(name, dr_region, "must name a region other than the primary region ({0})".format(primary_name))
    _sizes(problems, prefix, sizes)
    return list(problems)


def dr_plan(strategy, primary_region, dr_region, sizes=None, *, prefix="hybridcloud_dr", primary_name="aws_region"):
    """The plan: what each layer keeps in the DR region, with the input's problems. `prefix` and `primary_name` are the
    variables' names the problems give (<prefix>_strategy, <prefix>_region, <prefix>_sizes; the primary region's).

    With problems, every layer keeps nothing (the plan is not to be acted on)."""
    problems = input_problems(strategy, primary_region, dr_region, sizes, prefix=prefix, primary_name=primary_name)
    usable = not problems and strategy != "none"
    level = STRATEGIES.index(strategy) if usable else 0
    replicated = level >= STRATEGIES.index("backup_restore")
    standing = level >= STRATEGIES.index("pilot_light")
    production = _sizes(Problems(), prefix, sizes) or {key: limits[0] for key, limits in SIZES.items()}
    if strategy == "warm_standby" and usable:
        percent = production["warm_standby_percent"]
        cluster = {"instances": _scaled(production["instances"], percent), "tasks": _scaled(production["tasks"], percent)}
    elif strategy == "active_active" and usable:
        cluster = {"instances": production["instances"], "tasks": production["tasks"]}
    elif standing:
        cluster = {"instances": 0, "tasks": 0}
    else:
        cluster = None
    return {
        "strategy": strategy,
        "primary_region": primary_region,
        "dr_region": dr_region if usable else None,
        "problems": problems,
        "enabled": usable,
        "backup_copies": replicated,
        "ecr_replication": replicated,
        "file_share_replication": replicated,
        "network": standing,
        "database": "read_replica" if standing else ("restore_from_recovery_point" if replicated else "none"),
        "cluster": cluster,
        "load_balancer": standing,
        "serving": level >= STRATEGIES.index("warm_standby"),
        # What a failover scales the DR region's cluster and services to (playbooks/dr/failover.yml).
        "production": {"instances": production["instances"], "tasks": production["tasks"]} if standing else None,
        "recovery": RECOVERY[strategy] if usable or strategy == "none" else "none: the input has problems",
    }


# What each step makes the serving region, and which region's name confirms it.
STEP_TARGETS = {"failover": "dr_region", "failback": "primary_region"}
STANDING = "pilot_light, warm_standby or active_active"


def step_refusal(plan, step, confirmation=None):
    """Why STEP (failover or failback) must not run with PLAN (dr_plan's answer) and the typed CONFIRMATION: a strategy
    without a standby in the DR region, or a confirmation that is not the name of the region the step makes the
    serving one. An empty string when it may run. The playbooks check it before any AWS call."""
    if step not in STEP_TARGETS:
        raise ValueError(f"step must be one of {', '.join(STEP_TARGETS)}, not {step!r}")
    strategy = plan.get("strategy") or "none"
    if not plan.get("network"):
        if step == "failback":
            return f"hybridcloud_dr_strategy {strategy} keeps no standby in the DR region to fail back from; failback.yml needs {STANDING}"
        note = (
            " (the recovery of backup_restore, the layers rebuilt and the database restored from the latest recovery point, has no playbook yet)"
            if strategy == "backup_restore"
            else ""
        )
        return f"hybridcloud_dr_strategy {strategy} keeps no standby in the DR region to fail over to{note}; failover.yml needs {STANDING}"
    target = plan.get(STEP_TARGETS[step]) or ""
    if (confirmation or "") == target:
        return ""
    what = "A failover makes {0} the serving region" if step == "failover" else "A failback makes {0} the serving region again"
    return f"{what.format(target)}: confirm it with -e hybridcloud_dr_{step}_confirm={target} (given: {confirmation or 'nothing'})"
