# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Creates that AWS cannot deduplicate, made at most once.

CreateActivation, ActivateGateway and CreateCapacityProvider take no client token: a create whose answer was lost
(a 5xx, a read timeout, a dropped connection) may have taken effect, and sending it again makes a second resource
(or, for a gateway, burns a one-time activation key). botocore's retries and AWSRetry repeat exactly these
failures, so these calls go through a client whose botocore makes one attempt, and create_once() decides:

- an answer that proves AWS refused the call (throttling, which AWS answers before processing a request, or no
  connection at all) is retried with backoff;
- after an ambiguous failure the caller's recover() looks for what the call may have made (look-before-create):
  what it returns is taken as the create's answer; None means nothing was made and the create is tried again;
- any other error (validation, access, conflict) is raised at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import random
import time

with contextlib.suppress(ImportError):  # the modules report a missing botocore
    import botocore.exceptions

# botocore's standard retry mode treats these codes as throttling (botocore/retries/standard.py); AWS answers them
# before it processes a request. LimitExceededException also covers quotas: a refusal as well.
REFUSED_CODES = frozenset(
    [
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
)
ATTEMPTS = 10
MAX_DELAY = 20.0


def single_attempt_client(module, service, **params):
    """A client like module.client(service, **params) whose botocore does not retry; the rest of the module's
    aws_config (timeouts, proxies, user agent) applies unchanged."""
    config = dict(module.params.get("aws_config") or {})
    config["retries"] = {"mode": "standard", "total_max_attempts": 1}
    return module.client(service, aws_config=config, **params)


def _error_code(error):
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code"), response.get("ResponseMetadata", {}).get("HTTPStatusCode")


def refused(error):
    """Whether a failed call provably did not happen: throttled, or never sent (no connection was made)."""
    if isinstance(error, (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError)):
        return True
    if isinstance(error, botocore.exceptions.ClientError):
        code, status = _error_code(error)
        return code in REFUSED_CODES or status == 429
    return False


def ambiguous(error):
    """Whether a failed call may have taken effect: a server error that is no refusal, or the answer was lost."""
    if refused(error):
        return False
    if isinstance(error, (botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectionClosedError)):
        return True
    if isinstance(error, botocore.exceptions.ClientError):
        status = _error_code(error)[1]
        return status is not None and status >= 500
    return False


def backoff(attempt, rand=random.random):
    """Full jitter, as botocore's standard mode: up to 2**attempt seconds, at most MAX_DELAY."""
    return rand() * min(MAX_DELAY, 2.0**attempt)


def create_once(create, recover, attempts=ATTEMPTS, sleep=None):
    """create() at most until it answers; see the module docstring. recover() runs after each ambiguous failure,
    before anything is created again; the last failure is raised when no attempt is left."""
    for attempt in range(1, attempts + 1):
        try:
            return create()
        except Exception as error:  # pylint: disable=broad-except
            if refused(error):
                if attempt == attempts:
                    raise
            elif ambiguous(error):
                found = recover()
                if found is not None:
                    return found
                if attempt == attempts:
                    raise
            else:
                raise
        (sleep or time.sleep)(backoff(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
