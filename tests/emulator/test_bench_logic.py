"""make bench's pure logic: the request log summary, the critical path, the table's rows and verdicts, the floor.

Here rather than in tests/unit because lab/ is not part of the built collection (tests/unit is); no emulator is
needed, so this module turns off the directory's emulator reset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab" / "bench"))

import critical_path
import floor
import report
from requests_summary import own_calls, summarise

from bench.callback_plugins.bench_tasks import is_aws_action


@pytest.fixture(autouse=True)
def reset_emulator():
    """No emulator: these tests read no AWS state."""


def entry(service, operation, mutating=False, status=200):
    return {"time": 0.0, "service": service, "operation": operation, "status": status, "mutating": mutating}


def run(name, wall, *, calls=0, mutating=0, results_run=10, aws_run=5, changed=0, code=0):
    log = [entry("ec2", "DescribeVpcs")] * (calls - mutating) + [entry("ec2", "CreateVpc", mutating=True)] * mutating
    return {
        "name": name,
        "exit_code": code,
        "wall_seconds": wall,
        "tasks": {"results_run": results_run, "aws_results_run": aws_run, "results": {"changed": changed}},
        "aws": summarise(log),
    }


def by_metric(rows):
    return {row["metric"]: row for row in rows}


def test_summary_counts_operations_mutating_calls_and_errors():
    summary = summarise(
        [entry("ec2", "DescribeVpcs"), entry("ec2", "DescribeVpcs"), entry("ec2", "CreateTags", mutating=True), entry("rds", "DescribeDBInstances", status=404)]
    )
    assert summary["calls"] == 4
    assert summary["mutating_calls"] == 1
    assert summary["mutating"] == {"ec2:CreateTags": 1}
    assert summary["by_operation"]["ec2:DescribeVpcs"] == 2
    assert summary["by_service"] == {"ec2": 3, "rds": 1}
    assert summary["errors"] == {"rds:DescribeDBInstances": 1}


DELAYS = {"nat_gateway": 6, "vpn_connection": 15, "load_balancer": 9, "db_instance": 45, "gateway": 6}


def test_critical_path_follows_the_plays_that_start_and_await_each_resource():
    seconds, chain = critical_path.longest_chain(DELAYS)
    # PostgreSQL starts after the NAT gateways are awaited and is awaited only in the data play: the VPN, ALB and file
    # gateway run in its shadow.
    assert (seconds, [resource.key for resource in chain]) == (6 + 45, ["nat_gateway", "db_instance"])
    assert critical_path.describe_chain(chain, DELAYS) == "nat_gateway (network, 6 s) -> db_instance (database, 45 s)"


def test_a_resource_awaited_before_another_starts_is_on_its_path():
    vpn, alb, gateway = (next(r for r in critical_path.SLOW_RESOURCES if r.key == key) for key in ("vpn_connection", "load_balancer", "gateway"))
    assert critical_path.depends(gateway, vpn)  # awaited in connectivity, the gateway starts in data
    assert not critical_path.depends(gateway, alb)  # nothing waits for the ALB
    seconds, chain = critical_path.longest_chain({**DELAYS, "db_instance": 1, "gateway": 20})
    assert (seconds, [resource.key for resource in chain]) == (6 + 15 + 20, ["nat_gateway", "vpn_connection", "gateway"])


def test_critical_path_without_play_edges_is_the_slowest_resource():
    seconds, chain = critical_path.longest_chain(DELAYS, layered=False)
    assert (seconds, [resource.key for resource in chain]) == (45, ["db_instance"])


def test_critical_path_of_no_delays_is_zero():
    assert critical_path.longest_chain({})[0] == 0


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [(29.9, 30.0, "met"), (30.0, 30.0, "met"), (45.0, 30.0, "MISSED by 15.00 (50 % over)"), (None, 1.0, "not measured"), (3, None, "")],
)
def test_verdict(value, target, expected):
    assert report.verdict(value, target) == expected


def test_rows_judge_targets_and_show_ratios_to_the_floor():
    runs = {
        "floor": run("floor", 20.0, calls=40, aws_run=40),
        "converge": run("converge", 200.0, calls=900, mutating=300, changed=120),
        "noop": run("noop", 50.0, calls=120, aws_run=40),
        "check": run("check", 55.0, calls=130, mutating=1),
        "fleet-1-first": run("fleet-1-first", 60.0),
        "fleet-8-first": run("fleet-8-first", 120.0),
        "fleet-1-noop": run("fleet-1-noop", 20.0),
        "fleet-8-noop": run("fleet-8-noop", 25.0),
        "latency-converge": run("latency-converge", 290.0),
    }
    census = {"total": 100, "counts": {"ec2 VPC": 1, "other": 99}, "errors": {}}
    latency = {"scale": 0.05, "resources": {"nat_gateway": {"lab_seconds": 6}, "db_instance": {"lab_seconds": 45}, "vpn_connection": {"lab_seconds": 15}}}
    rows = by_metric(report.build_rows(runs, census, latency))

    noop = rows["no-op rerun: wall"]
    assert (noop["value"], noop["ratio_to_floor"], noop["verdict"]) == (50.0, 2.5, "MISSED by 20.00 (67 % over)")
    assert rows["no-op rerun: mutating AWS calls"]["verdict"] == "met"
    assert rows["no-op rerun: changed task results"]["verdict"] == "met"
    assert rows["--check on the converged lab: mutating AWS calls"]["verdict"] == "MISSED by 1"
    assert rows["no-op rerun: AWS API calls"]["ratio_to_floor"] == 3.0
    per_resource = rows["no-op: AWS calls per managed resource"]
    assert (per_resource["value"], per_resource["verdict"]) == (1.2, "met")
    assert rows["on-prem layer first: 8 hosts / 1 host(s)"]["value"] == 2.0
    assert rows["on-prem layer first: 8 hosts / 1 host(s)"]["verdict"].startswith("MISSED")
    assert rows["on-prem layer noop: 8 hosts / 1 host(s)"]["verdict"] == "met"
    chain = next(row for metric, row in rows.items() if metric.startswith("critical path: "))
    assert chain["value"] == 6 + 45
    assert "vpn_connection" not in chain["metric"]  # the VPN runs while PostgreSQL is being built
    assert rows["latency converge wall / critical path"]["value"] == round(290 / 51, 2)
    added = rows["  wait the profile added (latency wall - plain converge wall) / critical path"]
    assert added["value"] == round(90 / 51, 2) and added["verdict"] == "90.0 s added"


def test_a_failed_run_is_never_judged_met():
    rows = by_metric(report.build_rows({"noop": run("noop", 10.0, code=2)}, None, None))
    assert rows["no-op rerun: wall"]["verdict"] == "FAILED run (exit 2)"
    assert rows["no-op rerun: wall"]["ratio_to_floor"] is None  # no floor measured: no ratio


def test_markdown_and_text_tables_hold_every_row():
    rows = report.build_rows({"floor": run("floor", 20.0, calls=40), "noop": run("noop", 25.0, calls=45)}, {"total": 45, "counts": {"x": 45}}, None)
    meta = {"stamp": "20260101T000000Z", "machine": {"nproc": 2, "mem_gib": 23.4, "load_start": "0.1 0.2 0.3"}, "notes": ["a note"]}
    text = report.markdown(meta, rows, {"noop": run("noop", 25.0, calls=45)}, {"total": 45, "counts": {"x": 45}, "errors": {}})
    assert "| no-op rerun: wall | 25 s | <= 30 s | 1.25 | met |" in text
    assert "- a note" in text and "2 cores" in text
    assert len(report.text_table(rows).splitlines()) == len(rows) + 1


def test_floor_playbook_has_the_asked_number_of_plain_read_tasks():
    plays = yaml.safe_load(floor.playbook(7))
    tasks = plays[0]["tasks"]
    assert len(tasks) == 7
    assert all(set(task) == {"name", "amazon.aws.ec2_vpc_net_info"} for task in tasks)
    assert plays[0]["module_defaults"] == {"group/amazon.aws.aws": "{{ hybridcloud_aws_connection }}"}
    assert plays[0]["hosts"] == "aws_controller"


@pytest.mark.parametrize(
    ("action", "aws"),
    [("amazon.aws.ec2_vpc_net_info", True), ("hybridcloud.aws.ssm_activation", True), ("ansible.builtin.set_fact", False), ("set_fact", False)],
)
def test_aws_tasks_are_modules_outside_the_builtins(action, aws):
    assert is_aws_action(action) is aws


def test_calls_of_the_lab_machines_are_counted_apart_from_the_controllers():
    host, appliance = {"client": "10.254.0.211"}, {"client": "10.254.0.201"}
    summary = summarise(
        [
            {**entry("ec2", "DescribeVpcs"), "client": "127.0.0.1"},
            entry("ec2", "DescribeVpcs"),  # a log entry from before callers were recorded: the controller
            {**entry("ssm", "UpdateInstanceInformation", mutating=True), **host},
            {**entry("storagegateway", "ListGateways"), **appliance},
        ]
    )
    assert own_calls(summary) == (2, 0, 2)
    assert summary["by_operation"] == {"ec2:DescribeVpcs": 2}
    assert summary["lab_machines"]["by_operation"] == {"ssm:UpdateInstanceInformation": 1, "storagegateway:ListGateways": 1}
    noop = {"name": "noop", "exit_code": 0, "wall_seconds": 10.0, "tasks": {"results": {"changed": 0}}, "aws": summary}
    rows = by_metric(report.build_rows({"noop": noop}, None, None))
    assert rows["no-op rerun: mutating AWS calls"]["verdict"] == "met"
    assert rows["no-op rerun: AWS API calls"]["value"] == 2
    assert rows["no-op rerun: AWS API calls"]["unit"] == "(+2 from the lab hosts and appliance)"


def test_load_reads_runs_and_leaves_the_bench_files_apart(tmp_path):
    import json

    for name, payload in {
        "meta": {"stamp": "s"},
        "machine": {"stamp": "s"},
        "census": {"total": 1},
        "latency": {"scale": 0.05},
        "noop": run("noop", 9.0),
    }.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(payload))
    (tmp_path / "noop.tasks.json").write_text("{}")
    meta, runs, census, latency = report.load(tmp_path)
    assert list(runs) == ["noop"]
    assert (meta["stamp"], census["total"], latency["scale"]) == ("s", 1, 0.05)
