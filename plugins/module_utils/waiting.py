# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting for AWS resources: botocore's own waiter where botocore has one for the resource and state
(botocore_wait), one polling loop for the waits botocore has no waiter for (wait_until), each service with its own
error class and messages; and a record of what each wait saw (Waits).

A module cannot show output while it runs: what a wait saw reaches the user afterwards, in the module's result (the
key waited, with the states polled and the seconds since the wait began), and during the wait in the log of the host
that runs the module (AnsibleModule.log: syslog or the journal), one line per poll."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import time

with contextlib.suppress(ImportError):  # the modules report a missing botocore
    import botocore.exceptions

# botocore's WaiterError reason when the attempts ran out (without or with "Previously accepted state: ...").
_MAX_ATTEMPTS = "Max attempts exceeded"


class Wait:
    """What one wait saw: one entry per run of polls in the same state."""

    def __init__(self, what, log=None):
        self.what = what
        self._log = log
        self.polls = 0
        self.seconds = 0
        self.states = []

    def poll(self, state, seconds):
        """Record one poll: the state it saw, seconds after the wait began; logged when the record has a log."""
        self.polls += 1
        self.seconds = round(float(seconds), 1)
        if self.states and self.states[-1]["state"] == state:
            self.states[-1]["polls"] += 1
        else:
            self.states.append({"state": state, "seconds": self.seconds, "polls": 1})
        if self._log is not None:
            self._log(f"hybridcloud.aws: waiting for {self.what}: poll {self.polls} after {self.seconds:g} s: {state}")

    def result(self):
        return {"what": self.what, "seconds": self.seconds, "polls": self.polls, "states": [dict(state) for state in self.states]}


class Waits:
    """The waits of one module run. log: a function taking a message (module.log), called once per poll."""

    def __init__(self, log=None):
        self._log = log
        self.waits = []

    def start(self, what):
        wait = Wait(what, self._log)
        self.waits.append(wait)
        return wait

    def result(self):
        """[{what, seconds, polls, states: [{state, seconds, polls}]}], one entry per wait, in order."""
        return [wait.result() for wait in self.waits]

    def returned(self):
        """The module result's key waited when the run waited ({} when it did not): **waits.returned()."""
        return {"waited": self.result()} if self.waits else {}

    def fail(self, module, error):
        """module.fail_json_aws_error(error) with what the waits saw (key waited) when the run waited."""
        extra = self.returned()
        if error.exception:
            module.fail_json_aws(error.exception, msg=error.message, **extra)
        module.fail_json(msg=error.message, **extra)


def _started(progress, what):
    return progress.start(what) if progress is not None else Wait(what)


def wait_until(fetch, is_done, timeout, *, delay, error, timed_out, max_delay=None, progress=None, what="", state=None):
    """Poll fetch() until is_done(answer) is true, and return that answer.

    Sleeps delay seconds between polls; with max_delay, the delay doubles after each poll up to max_delay. Gives up
    after the poll that leaves too little of timeout seconds for another sleep, raising error(message=timed_out(last
    answer)). The seconds waited are the clock's, and never fewer than the seconds slept. is_done may raise itself
    when the answer shows a failure that waiting cannot fix.

    progress: a Waits that records this wait as what, each poll's state named by state(answer) (default: "waiting"
    until done)."""
    record = _started(progress, what)
    started = time.monotonic()
    slept = 0
    while True:
        answer = fetch()
        waited = max(time.monotonic() - started, slept)
        done = False
        try:
            done = is_done(answer)
        finally:
            record.poll(state(answer) if state else ("done" if done else "waiting"), waited)
        if done:
            return answer
        if waited + delay > timeout:
            raise error(message=timed_out(answer))
        time.sleep(delay)
        slept += delay
        if max_delay is not None:
            delay = min(delay * 2, max_delay)


def botocore_wait(client, waiter_name, timeout, *, delay, error, timed_out, failed, state, progress=None, what="", **params):
    """Wait with botocore's waiter waiter_name (client.get_waiter, as amazon.aws's modules do): its acceptors decide
    success and failure. Polls every delay seconds, at most timeout seconds (WaiterConfig); returns the last answer of
    the waiter's operation.

    Raises error(message=timed_out(last answer)) when the attempts run out; error(message=failed(last answer)) on a
    failure state or an error answer no acceptor expects, where failed returns a message for it; any other error
    answer as error(message="Failed to wait for <what>", exception=the ClientError).

    state(answer) names what a poll saw (answer may be an error answer, with Error) for progress, as wait_until's."""
    waiter = client.get_waiter(waiter_name)
    operation = waiter.config.operation
    event = f"after-call.{client.meta.service_model.service_id.hyphenize()}.{operation}"
    record = _started(progress, what)
    started = time.monotonic()
    answers = []

    def polled(parsed, **_kwargs):
        answers.append(parsed)
        record.poll(state(parsed), max(time.monotonic() - started, (len(answers) - 1) * delay))

    handler_id = f"hybridcloud-aws-waiting-{id(record)}"
    client.meta.events.register(event, polled, unique_id=handler_id)
    try:
        waiter.wait(WaiterConfig={"Delay": delay, "MaxAttempts": max(0, timeout) // delay + 1}, **params)
    except botocore.exceptions.WaiterError as e:
        answer = e.last_response or {}
        if e.kwargs.get("reason", "").startswith(_MAX_ATTEMPTS):
            raise error(message=timed_out(answer)) from None
        message = failed(answer)
        if message:
            raise error(message=message) from None
        if "Error" in answer:
            raise error(message=f"Failed to wait for {what or waiter_name}", exception=botocore.exceptions.ClientError(answer, operation)) from None
        raise error(message=f"Failed to wait for {what or waiter_name}: {e.kwargs.get('reason')}") from None
    finally:
        client.meta.events.unregister(event, unique_id=handler_id)
    return answers[-1]
