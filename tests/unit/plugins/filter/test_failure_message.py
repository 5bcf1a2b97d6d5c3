import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.failure_message import FilterModule

failure_message = FilterModule().filters()["failure_message"]


def test_aws_message_is_kept_and_echoed_secrets_are_masked():
    result = {
        "failed": True,
        "msg": "Failed to create virtual interface: Value 'lab-bgp-md5-key' at 'authKey' failed to satisfy constraint",
        "error": {"code": "ValidationException"},
    }
    message = failure_message(result, ["lab-bgp-md5-key"])
    assert message == "Failed to create virtual interface: Value '********' at 'authKey' failed to satisfy constraint (AWS error code ValidationException)"


def test_the_code_is_not_repeated_when_the_message_names_it():
    result = {"msg": "An error occurred (AccessDeniedException) when calling the PutSecretValue operation", "error": {"code": "AccessDeniedException"}}
    assert failure_message(result, []) == result["msg"]


def test_a_secret_containing_another_is_masked_whole_and_short_or_empty_values_are_ignored():
    result = {"msg": "token abcdefgh-1234 and abcdefgh and ab"}
    assert failure_message(result, ["abcdefgh", "abcdefgh-1234", "ab", "", None]) == "token ******** and ******** and ab"


def test_a_result_without_message_says_so():
    assert failure_message({"failed": True}) == "the module gave no reason"


def test_anything_but_a_result_is_refused():
    with pytest.raises(AnsibleFilterError, match="expects a task result"):
        failure_message("boom")
