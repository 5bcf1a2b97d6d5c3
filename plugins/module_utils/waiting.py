# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Polling for the waits botocore has no waiter for: one loop, each service's error class and message."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time


def wait_until(fetch, is_done, timeout, *, delay, error, timed_out):
    """Poll fetch() every delay seconds until is_done(answer) is true, and return that answer.

    After timeout seconds, raises error(message=timed_out(last answer)). is_done may raise itself when the answer shows
    a failure that waiting cannot fix."""
    deadline = time.monotonic() + timeout
    while True:
        answer = fetch()
        if is_done(answer):
            return answer
        if time.monotonic() >= deadline:
            raise error(message=timed_out(answer))
        time.sleep(delay)
