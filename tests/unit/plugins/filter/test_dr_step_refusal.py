"""dr_step_refusal: a failover or failback refused before any AWS call, with the reason."""

from __future__ import annotations

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.dr_step_refusal import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.dr_plan import dr_plan

refusal = FilterModule().filters()["dr_step_refusal"]
PRIMARY, DR = "us-east-1", "us-west-2"


@pytest.mark.parametrize("strategy", ["pilot_light", "warm_standby", "active_active"])
def test_a_confirmed_step_with_a_standby_may_run(strategy):
    plan = dr_plan(strategy, PRIMARY, DR)
    assert refusal(plan, "failover", DR) == ""
    assert refusal(plan, "failback", PRIMARY) == ""


@pytest.mark.parametrize(("step", "given", "target"), [("failover", None, DR), ("failover", PRIMARY, DR), ("failback", "", PRIMARY), ("failback", DR, PRIMARY)])
def test_the_confirmation_must_name_the_region_that_will_serve(step, given, target):
    message = refusal(dr_plan("pilot_light", PRIMARY, DR), step, given)
    assert f"confirm it with -e hybridcloud_dr_{step}_confirm={target} (given: {given or 'nothing'})" in message
    assert message.startswith(f"A {step} makes {target} the serving region")


@pytest.mark.parametrize("strategy", ["none", "backup_restore"])
def test_a_strategy_without_a_standby_refuses_both_steps_even_confirmed(strategy):
    plan = dr_plan(strategy, PRIMARY, DR)
    over, back = refusal(plan, "failover", DR), refusal(plan, "failback", PRIMARY)
    assert over.startswith(f"hybridcloud_dr_strategy {strategy} keeps no standby in the DR region to fail over to")
    needs = "failback.yml needs pilot_light, warm_standby or active_active"
    assert back == f"hybridcloud_dr_strategy {strategy} keeps no standby in the DR region to fail back from; {needs}"
    assert ("has no playbook yet" in over) is (strategy == "backup_restore")


def test_a_plan_with_problems_refuses():
    plan = dr_plan("pilot_light", PRIMARY, "")
    assert plan["problems"] and "keeps no standby" in refusal(plan, "failover", "")


def test_an_unknown_step_is_an_error():
    with pytest.raises(ValueError, match="failover, failback"):
        refusal(dr_plan("pilot_light", PRIMARY, DR), "switchover", DR)
