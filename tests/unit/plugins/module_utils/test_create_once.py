from unittest import mock

import botocore.exceptions
import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import create_once as subject


def client_error(code, status):
    return botocore.exceptions.ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "CreateThing")


THROTTLED = client_error("ThrottlingException", 400)
SERVER_ERROR = client_error("InternalServerError", 500)
READ_TIMEOUT = botocore.exceptions.ReadTimeoutError(endpoint_url="https://ssm.example")
NO_CONNECTION = botocore.exceptions.EndpointConnectionError(endpoint_url="https://ssm.example")


@pytest.mark.parametrize(
    ("error", "refused", "ambiguous"),
    [
        (THROTTLED, True, False),
        (client_error("RequestLimitExceeded", 503), True, False),
        (client_error("Whatever", 429), True, False),
        (NO_CONNECTION, True, False),
        (SERVER_ERROR, False, True),
        (client_error("ServiceUnavailable", 503), False, True),
        (READ_TIMEOUT, False, True),
        (botocore.exceptions.ConnectionClosedError(endpoint_url="https://ssm.example"), False, True),
        (client_error("ValidationException", 400), False, False),
        (ValueError("not an AWS error"), False, False),
    ],
)
def test_failures_are_told_apart(error, refused, ambiguous):
    assert (subject.refused(error), subject.ambiguous(error)) == (refused, ambiguous)


def run(outcomes, found=None):
    """create_once over a create that answers `outcomes` in turn; returns (result or exception, creates, recovers)."""
    create, recover, sleep = mock.Mock(side_effect=outcomes), mock.Mock(side_effect=found or [None] * 10), mock.Mock()
    try:
        result = subject.create_once(create, recover, attempts=3, sleep=sleep)
    except Exception as error:
        result = error
    return result, create.call_count, recover.call_count


def test_a_refused_create_is_retried_without_looking():
    assert run([THROTTLED, NO_CONNECTION, "made"]) == ("made", 3, 0)


def test_an_ambiguous_failure_adopts_what_the_lost_call_made():
    assert run([SERVER_ERROR], found=["found"]) == ("found", 1, 1)


def test_an_ambiguous_failure_that_made_nothing_creates_again():
    assert run([READ_TIMEOUT, "made"], found=[None]) == ("made", 2, 1)


def test_other_errors_are_raised_at_once():
    error = client_error("AccessDeniedException", 400)
    assert run([error]) == (error, 1, 0)


def test_the_last_failure_is_raised_after_looking_once_more():
    assert run([SERVER_ERROR] * 3) == (SERVER_ERROR, 3, 3)
    assert run([THROTTLED] * 3) == (THROTTLED, 3, 0)


def test_backoff_is_full_jitter_capped_at_twenty_seconds():
    assert subject.backoff(1, rand=lambda: 1.0) == 2.0
    assert subject.backoff(3, rand=lambda: 0.5) == 4.0
    assert subject.backoff(9, rand=lambda: 1.0) == 20.0


def test_the_create_client_does_not_retry_and_keeps_the_rest_of_aws_config():
    args = {
        "region": "us-east-1",
        "access_key": "unit",
        "secret_key": "unit",
        "aws_config": {"retries": {"mode": "standard", "max_attempts": 10}, "connect_timeout": 7},
    }
    with patch_module_args(args):
        module = AnsibleAWSModule(argument_spec={})
    created = subject.single_attempt_client(module, "ssm")
    assert created.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert created.meta.config.connect_timeout == 7
    assert module.client("ssm").meta.config.retries == {"mode": "standard", "total_max_attempts": 11}
