"""dr_plan: what each layer keeps in the DR region for every strategy, and each problem of the input."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.dr_plan import FilterModule

dr_plan = FilterModule().filters()["dr_plan"]

LAYERS = ("backup_copies", "ecr_replication", "file_share_replication", "network", "database", "cluster", "load_balancer", "serving")
SIZES = {"instances": 6, "tasks": 4, "warm_standby_percent": 25}


def layers(plan):
    return tuple(plan[layer] for layer in LAYERS)


def test_none_keeps_nothing_and_needs_no_dr_region():
    plan = dr_plan("none", "eu-central-1", "")
    assert plan["problems"] == []
    assert (plan["enabled"], plan["dr_region"]) == (False, None)
    assert layers(plan) == (False, False, False, False, "none", None, False, False)


def test_backup_restore_replicates_and_runs_nothing():
    plan = dr_plan("backup_restore", "eu-central-1", "eu-west-1", SIZES)
    assert (plan["problems"], plan["enabled"], plan["dr_region"]) == ([], True, "eu-west-1")
    assert layers(plan) == (True, True, True, False, "restore_from_recovery_point", None, False, False)
    assert "restore the database from the latest recovery point" in plan["recovery"]


def test_pilot_light_stands_the_region_up_at_zero():
    plan = dr_plan("pilot_light", "eu-central-1", "eu-west-1", SIZES)
    assert layers(plan) == (True, True, True, True, "read_replica", {"instances": 0, "tasks": 0}, True, False)


def test_warm_standby_serves_at_the_reduced_size_rounded_up():
    plan = dr_plan("warm_standby", "eu-central-1", "eu-west-1", SIZES)
    # 25 % of 6 instances is 1.5 -> 2; of 4 tasks exactly 1.
    assert layers(plan) == (True, True, True, True, "read_replica", {"instances": 2, "tasks": 1}, True, True)


def test_warm_standby_keeps_at_least_one_and_defaults_the_sizes():
    assert dr_plan("warm_standby", "eu-central-1", "eu-west-1", {"instances": 1, "tasks": 1, "warm_standby_percent": 1})["cluster"] == {
        "instances": 1,
        "tasks": 1,
    }
    # defaults: 2 instances, 2 tasks, 50 %
    assert dr_plan("warm_standby", "eu-central-1", "eu-west-1")["cluster"] == {"instances": 1, "tasks": 1}


@pytest.mark.parametrize("strategy", ["pilot_light", "warm_standby", "active_active"])
def test_a_failover_scales_the_dr_region_to_the_production_size(strategy):
    assert dr_plan(strategy, "eu-central-1", "eu-west-1", SIZES)["production"] == {"instances": 6, "tasks": 4}
    assert dr_plan(strategy, "eu-central-1", "eu-west-1")["production"] == {"instances": 2, "tasks": 2}


@pytest.mark.parametrize("strategy", ["none", "backup_restore"])
def test_no_production_size_without_a_cluster_in_the_dr_region(strategy):
    assert dr_plan(strategy, "eu-central-1", "eu-west-1", SIZES)["production"] is None


def test_active_active_serves_at_full_size_with_one_writer():
    plan = dr_plan("active_active", "eu-central-1", "eu-west-1", SIZES)
    assert layers(plan) == (True, True, True, True, "read_replica", {"instances": 6, "tasks": 4}, True, True)
    assert "one writer" in plan["recovery"]


@pytest.mark.parametrize(
    ("strategy", "primary", "dr_region", "sizes", "problem"),
    [
        ("multi_site", "eu-central-1", "eu-west-1", None, "hybridcloud_dr_strategy: 'multi_site' must be one of none, backup_restore, pilot_light"),
        ("pilot_light", "eu-central-1", "", None, "hybridcloud_dr_region: '' is required with hybridcloud_dr_strategy pilot_light"),
        ("backup_restore", "eu-central-1", None, None, "hybridcloud_dr_region: None is required with hybridcloud_dr_strategy backup_restore"),
        (
            "pilot_light",
            "eu-central-1",
            "eu-central-1",
            None,
            "hybridcloud_dr_region: 'eu-central-1' must name a region other than the primary region (aws_region)",
        ),
        ("warm_standby", "eu-central-1", "Frankfurt", None, "hybridcloud_dr_region: 'Frankfurt' must be a region name such as eu-west-1"),
        ("backup_restore", "", "eu-west-1", None, "aws_region: '' must be the primary region's name such as eu-central-1"),
        ("warm_standby", "eu-central-1", "eu-west-1", {"instances": 0}, "hybridcloud_dr_sizes.instances: 0 must be 1 to 1000"),
        ("active_active", "eu-central-1", "eu-west-1", {"tasks": "many"}, "hybridcloud_dr_sizes.tasks: 'many' is not a whole number"),
        ("warm_standby", "eu-central-1", "eu-west-1", {"warm_standby_percent": 100}, "hybridcloud_dr_sizes.warm_standby_percent: 100 must be 1 to 99"),
        ("warm_standby", "eu-central-1", "eu-west-1", {"cpus": 4}, "hybridcloud_dr_sizes.cpus: 4 is not a size"),
        ("warm_standby", "eu-central-1", "eu-west-1", [4], "hybridcloud_dr_sizes: [4] must be a mapping"),
    ],
)
def test_each_problem_is_named_and_the_plan_keeps_nothing(strategy, primary, dr_region, sizes, problem):
    plan = dr_plan(strategy, primary, dr_region, sizes)
    assert len(plan["problems"]) == 1, plan["problems"]
    assert plan["problems"][0].startswith(problem)
    assert plan["enabled"] is False
    assert plan["dr_region"] is None
    assert layers(plan) == (False, False, False, False, "none", None, False, False)


def test_every_problem_at_once_with_the_caller_prefix():
    problems = dr_plan("standby", "eu-central-1", "eu-central-1", {"instances": -1}, prefix="container_registry_dr", primary_name="container_registry_region")[
        "problems"
    ]
    assert [problem.split(":")[0] for problem in problems] == [
        "container_registry_dr_strategy",
        "container_registry_dr_region",
        "container_registry_dr_sizes.instances",
    ]
    assert "other than the primary region (container_registry_region)" in problems[1]


def test_none_ignores_the_regions_but_still_checks_the_sizes():
    assert dr_plan("none", "eu-central-1", "eu-central-1")["problems"] == []
    assert dr_plan("none", "", None)["problems"] == []
    assert dr_plan("none", "eu-central-1", None, {"tasks": 0})["problems"] == ["hybridcloud_dr_sizes.tasks: 0 must be 1 to 1000"]
