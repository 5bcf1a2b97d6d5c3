"""waiting.py: the shared polling loop (wait_until), botocore's own waiters (botocore_wait) and the record of what a
wait saw (Waits), on a fake clock that only moves when the loop sleeps; botocore_wait against a Stubber-backed client."""

from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

VPN_ID = "vpn-0123456789abcdef0"


class Failed(AnsibleAWSError):
    pass


class Clock:
    """time for the waiting module: monotonic() reads the fake clock, sleep() advances it and is recorded."""

    def __init__(self, moves=True):
        self.now = 1000.0
        self.moves = moves
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        if self.moves:
            self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(waiting, "time", fake)
    return fake


def answers(*states):
    """A fetch() that answers the states in turn."""
    queue = list(states)
    return lambda: queue.pop(0)


def wait(fetch, timeout, **kwargs):
    kwargs.setdefault("delay", 5)
    return waiting.wait_until(
        fetch, lambda state: state == "READY", timeout, error=Failed, timed_out=lambda state: f"still {state} after {timeout} s", state=str, **kwargs
    )


def test_returns_the_answer_that_is_done_and_records_each_state_once_per_run(clock):
    waits = waiting.Waits()
    assert wait(answers("CREATING", "CREATING", "UPDATING", "READY"), 60, progress=waits, what="the thing to be READY") == "READY"
    assert clock.sleeps == [5, 5, 5]
    assert waits.result() == [
        {
            "what": "the thing to be READY",
            "seconds": 15.0,
            "polls": 4,
            "states": [
                {"state": "CREATING", "seconds": 0.0, "polls": 2},
                {"state": "UPDATING", "seconds": 10.0, "polls": 1},
                {"state": "READY", "seconds": 15.0, "polls": 1},
            ],
        }
    ]
    assert waits.returned() == {"waited": waits.result()}


def test_times_out_with_the_last_answer_and_never_sleeps_past_the_timeout(clock):
    waits = waiting.Waits()
    with pytest.raises(Failed, match="still CREATING after 12 s"):
        wait(answers(*["CREATING"] * 10), 12, progress=waits)
    # Polls at 0, 5 and 10 s; another sleep would end after the 12 s.
    assert clock.sleeps == [5, 5]
    assert waits.result()[0]["polls"] == 3
    assert waits.result()[0]["seconds"] == 10.0


def test_a_timeout_shorter_than_the_delay_looks_once(clock):
    with pytest.raises(Failed, match="still CREATING after 0 s"):
        wait(answers("CREATING", "READY"), 0)
    assert clock.sleeps == []


def test_the_delay_doubles_up_to_max_delay(clock):
    assert wait(answers(*["BUSY"] * 6, "READY"), 900, delay=2, max_delay=15) == "READY"
    assert clock.sleeps == [2, 4, 8, 15, 15, 15]


def test_time_waited_is_never_less_than_the_time_slept(monkeypatch):
    """A clock that stands still (sleep mocked) still ends the wait: the seconds slept count."""
    still = Clock(moves=False)
    monkeypatch.setattr(waiting, "time", still)
    waits = waiting.Waits()
    with pytest.raises(Failed):
        wait(answers(*["CREATING"] * 10), 20, delay=10, progress=waits)
    assert still.sleeps == [10, 10]
    assert [state["seconds"] for state in waits.result()[0]["states"]] == [0.0]
    assert waits.result()[0]["seconds"] == 20.0


def test_a_poll_whose_answer_is_a_failure_is_recorded_before_the_failure(clock):
    def is_done(state):
        if state == "FAILED":
            raise Failed(message="it failed")
        return False

    waits = waiting.Waits()
    with pytest.raises(Failed, match="it failed"):
        waiting.wait_until(answers("CREATING", "FAILED"), is_done, 60, delay=5, error=Failed, timed_out=str, progress=waits, what="x", state=str)
    assert [(s["state"], s["seconds"]) for s in waits.result()[0]["states"]] == [("CREATING", 0.0), ("FAILED", 5.0)]


def test_each_poll_is_logged(clock):
    log = mock.Mock()
    waits = waiting.Waits(log)
    wait(answers("CREATING", "READY"), 60, progress=waits, what="endpoint rslvr-1 to be READY")
    assert [call.args[0] for call in log.call_args_list] == [
        "hybridcloud.aws: waiting for endpoint rslvr-1 to be READY: poll 1 after 0 s: CREATING",
        "hybridcloud.aws: waiting for endpoint rslvr-1 to be READY: poll 2 after 5 s: READY",
    ]


def test_without_progress_nothing_is_recorded_and_without_state_the_polls_read_waiting(clock):
    waits = waiting.Waits()
    assert waits.returned() == {}
    waiting.wait_until(answers(1, 2), lambda n: n == 2, 60, delay=5, error=Failed, timed_out=str, progress=waits, what="two")
    assert waits.result()[0]["states"] == [{"state": "waiting", "seconds": 0.0, "polls": 1}, {"state": "done", "seconds": 5.0, "polls": 1}]


def test_fail_adds_what_the_waits_saw():
    module = mock.Mock()
    waits = waiting.Waits()
    waits.fail(module, Failed(message="timeout"))
    module.fail_json.assert_called_once_with(msg="timeout")
    waits.start("x").poll("BUSY", 0)
    cause = Exception("boom")
    waits.fail(module, Failed(message="failed", exception=cause))
    module.fail_json_aws.assert_called_once_with(
        cause, msg="failed", waited=[{"what": "x", "seconds": 0.0, "polls": 1, "states": [{"state": "BUSY", "seconds": 0.0, "polls": 1}]}]
    )


# ---------------------------------------------------------------- botocore_wait (ec2's vpn_connection_available)


@pytest.fixture
def ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
    with Stubber(client) as stubber, mock.patch("time.sleep") as sleep:
        yield client, stubber, sleep
        stubber.assert_no_pending_responses()


def describe(stubber, *states):
    for state in states:
        connections = [{"VpnConnectionId": VPN_ID, "State": state, "Type": "ipsec.1", "CustomerGatewayId": "cgw-1"}] if state else []
        stubber.add_response("describe_vpn_connections", {"VpnConnections": connections}, {"VpnConnectionIds": [VPN_ID]})


def state_of(answer):
    if "Error" in answer:
        return answer["Error"]["Code"]
    return answer["VpnConnections"][0]["State"]


def vpn_wait(client, timeout, progress=None):
    return waiting.botocore_wait(
        client,
        "vpn_connection_available",
        timeout,
        delay=5,
        error=Failed,
        timed_out=lambda answer: f"still {state_of(answer)}",
        failed=lambda answer: "gone" if state_of(answer) in ("deleted", "deleting", "InvalidVpnConnectionID.NotFound") else None,
        state=state_of,
        progress=progress,
        what=f"VPN connection {VPN_ID} to be available",
        VpnConnectionIds=[VPN_ID],
    )


def test_botocore_waiter_returns_the_last_answer_and_records_its_polls(ec2):
    client, stubber, sleep = ec2
    describe(stubber, "pending", "modifying", "available")
    waits = waiting.Waits()
    answer = vpn_wait(client, 60, waits)
    assert answer["VpnConnections"][0]["State"] == "available"
    assert [call.args[0] for call in sleep.call_args_list] == [5, 5]
    assert waits.result()[0]["polls"] == 3
    assert [(s["state"], s["seconds"]) for s in waits.result()[0]["states"]] == [("pending", 0.0), ("modifying", 5.0), ("available", 10.0)]
    # The recording handler is gone after the wait: a later call is no poll.
    describe(stubber, "available")
    client.describe_vpn_connections(VpnConnectionIds=[VPN_ID])
    assert waits.result()[0]["polls"] == 3


def test_botocore_waiter_attempts_follow_the_timeout(ec2):
    client, stubber, sleep = ec2
    describe(stubber, "modifying", "modifying", "modifying")
    waits = waiting.Waits()
    with pytest.raises(Failed, match="still modifying"):
        vpn_wait(client, 12, waits)
    assert sleep.call_count == 2
    assert waits.result()[0]["states"] == [{"state": "modifying", "seconds": 0.0, "polls": 3}]


def test_botocore_waiter_failure_states_and_expected_errors_use_the_failed_message(ec2):
    client, stubber, _sleep = ec2
    describe(stubber, "modifying", "deleting")
    with pytest.raises(Failed, match=r"^gone$"):
        vpn_wait(client, 60)
    stubber.add_client_error("describe_vpn_connections", "InvalidVpnConnectionID.NotFound", "gone", expected_params={"VpnConnectionIds": [VPN_ID]})
    with pytest.raises(Failed, match=r"^gone$"):
        vpn_wait(client, 60)


def test_botocore_waiter_other_errors_keep_their_code(ec2):
    client, stubber, _sleep = ec2
    stubber.add_client_error("describe_vpn_connections", "UnauthorizedOperation", "no", 403, expected_params={"VpnConnectionIds": [VPN_ID]})
    waits = waiting.Waits()
    with pytest.raises(Failed) as raised:
        vpn_wait(client, 60, waits)
    assert raised.value.message == f"Failed to wait for VPN connection {VPN_ID} to be available"
    assert raised.value.exception.response["Error"]["Code"] == "UnauthorizedOperation"
    assert waits.result()[0]["states"][0]["state"] == "UnauthorizedOperation"
