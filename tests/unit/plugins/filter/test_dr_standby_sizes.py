"""dr_standby_sizes: the cluster and service sizes the standby region keeps, from dr_plan's plan."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.dr_plan import FilterModule as PlanFilters
from ansible_collections.hybridcloud.aws.plugins.filter.dr_standby_sizes import FilterModule

sizes = FilterModule().filters()["dr_standby_sizes"]
dr_plan = PlanFilters().filters()["dr_plan"]

SERVICES = [
    {"name": "web", "desired_count": 3, "target_group": "web", "autoscaling": {"min_tasks": 3, "max_tasks": 12, "cpu_target": 60}},
    {"name": "worker", "desired_count": 1},
    {"name": "printer", "placement": "external", "desired_count": 3, "autoscaling": {"min_tasks": 3, "max_tasks": 6}},
]


def by_name(result):
    return {
        service["name"]: (service["desired_count"], service.get("autoscaling", {}).get("min_tasks"), service.get("autoscaling", {}).get("max_tasks"))
        for service in result["services"]
    }


@pytest.mark.parametrize("strategy", ["none", "backup_restore"])
def test_strategies_without_a_cluster_size_nothing(strategy):
    assert sizes(dr_plan(strategy, "eu-central-1", "eu-west-1"), SERVICES, 10) == {"enabled": False}


def test_a_plan_with_problems_sizes_nothing():
    assert sizes(dr_plan("pilot_light", "eu-central-1", "eu-central-1"), SERVICES, 10) == {"enabled": False}


def test_pilot_light_keeps_the_cluster_and_every_service_at_zero():
    result = sizes(dr_plan("pilot_light", "eu-central-1", "eu-west-1"), SERVICES, 10)
    assert (result["enabled"], result["instances"], result["tasks"]) == (True, 0, 0)
    # The group exists at zero; managed scaling may still grow it to the inventory's ceiling.
    assert result["ecs_cluster"] == {"min_size": 0, "desired_capacity": 0, "max_size": 10}
    # No scaling policy may start a task: the scalable targets are 0..0.
    assert by_name(result) == {"web": (0, 0, 0), "worker": (0, None, None), "printer": (0, 0, 0)}


def test_warm_standby_runs_the_reduced_size_and_keeps_the_services_ceiling():
    plan = dr_plan("warm_standby", "eu-central-1", "eu-west-1", {"instances": 4, "tasks": 6, "warm_standby_percent": 50})
    result = sizes(plan, SERVICES, 10)
    assert result["ecs_cluster"] == {"min_size": 2, "desired_capacity": 2, "max_size": 10}
    # External services stay at zero: the on-prem hosts are registered with the primary region.
    assert by_name(result) == {"web": (3, 3, 12), "worker": (3, None, None), "printer": (0, 0, 0)}


def test_active_active_runs_the_production_size_above_a_low_ceiling():
    plan = dr_plan("active_active", "eu-central-1", "eu-west-1", {"instances": 6, "tasks": 14})
    result = sizes(plan, SERVICES, 3)
    # The ceiling never caps the plan's instances; a service's max_tasks is raised to the plan's tasks.
    assert result["ecs_cluster"] == {"min_size": 6, "desired_capacity": 6, "max_size": 6}
    assert by_name(result)["web"] == (14, 14, 14)


def test_an_override_sizes_every_service_external_included_as_a_failover_does():
    result = sizes(dr_plan("pilot_light", "eu-central-1", "eu-west-1"), SERVICES, 10, {"instances": 2, "tasks": 2})
    assert result["ecs_cluster"] == {"min_size": 2, "desired_capacity": 2, "max_size": 10}
    assert by_name(result) == {"web": (2, 2, 12), "worker": (2, None, None), "printer": (2, 2, 6)}


def test_an_override_may_keep_the_external_services_at_zero():
    # A failover before the on-prem hosts are registered in the DR region: ECS could place nothing on them.
    result = sizes(dr_plan("pilot_light", "eu-central-1", "eu-west-1"), SERVICES, 10, {"instances": 2, "tasks": 2, "external_tasks": 0})
    assert by_name(result) == {"web": (2, 2, 12), "worker": (2, None, None), "printer": (0, 0, 0)}


def test_the_inventory_services_are_not_changed_in_place():
    sizes(dr_plan("pilot_light", "eu-central-1", "eu-west-1"), SERVICES, 10)
    assert SERVICES[0]["desired_count"] == 3 and SERVICES[0]["autoscaling"]["min_tasks"] == 3


@pytest.mark.parametrize(
    "override",
    [
        {"instances": -1, "tasks": 0},
        {"instances": 1, "tasks": "2"},
        {"instances": True, "tasks": 1},
        {"instances": 1, "tasks": 1, "external_tasks": -2},
    ],
)
def test_a_bad_override_fails_naming_the_size(override):
    with pytest.raises(AnsibleFilterError, match=r"dr_standby_sizes: (instances|tasks|external_tasks) must be a whole number"):
        sizes(dr_plan("pilot_light", "eu-central-1", "eu-west-1"), SERVICES, 10, override)
