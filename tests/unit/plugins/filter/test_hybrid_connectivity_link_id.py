"""hybrid_connectivity_link_id: the Direct Connect link the hybrid_connectivity role puts its virtual interface on, from
the writes (the link read or given) and what the two order tasks registered (answers as the community.aws modules give
them; a task that did not run registers a skipped result)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.hybrid_connectivity_link_id import FilterModule

link_id = FilterModule().filters()["hybrid_connectivity_link_id"]

SKIPPED = {"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}
ORDERED_CONNECTION = {"changed": True, "connection": {"connection_id": "dxcon-new", "connection_name": "hybridcloud-dx"}}
ORDERED_LAG = {"changed": True, "lag_id": "dxlag-new", "lag_name": "hybridcloud-dx", "connections": []}


def test_a_given_link_is_the_one_the_writes_hand_on():
    assert link_id({"dx_connection_id": "dxcon-given"}, "none", SKIPPED, SKIPPED) == "dxcon-given"


def test_a_connection_ordered_in_this_run_wins_over_the_read():
    assert link_id({"dx_connection_id": ""}, "connection", ORDERED_CONNECTION, SKIPPED) == "dxcon-new"
    assert link_id({"dx_connection_id": "dxcon-old"}, "connection", ORDERED_CONNECTION, SKIPPED) == "dxcon-new"


def test_a_lag_ordered_in_this_run_wins_over_the_read():
    assert link_id({"dx_connection_id": ""}, "lag", SKIPPED, ORDERED_LAG) == "dxlag-new"


@pytest.mark.parametrize("create", ["connection", "lag"])
def test_a_link_that_needed_no_write_is_the_one_read(create):
    assert link_id({"dx_connection_id": "dxlag-read"}, create, SKIPPED, SKIPPED) == "dxlag-read"


def test_the_answer_of_the_other_kind_does_not_count():
    # Only the order task of the chosen kind can run; an answer of the other kind is not the link.
    assert link_id({"dx_connection_id": "dxcon-read"}, "connection", SKIPPED, ORDERED_LAG) == "dxcon-read"
    assert link_id({"dx_connection_id": "dxlag-read"}, "lag", ORDERED_CONNECTION, SKIPPED) == "dxlag-read"


def test_an_ordered_link_without_an_id_falls_back_to_the_read():
    assert link_id({"dx_connection_id": "dxcon-read"}, "connection", {"changed": True, "connection": {"connection_id": ""}}) == "dxcon-read"
    assert link_id({"dx_connection_id": "dxcon-read"}, "connection", {"changed": True, "connection": None}) == "dxcon-read"


def test_check_mode_on_an_empty_account_has_no_link():
    assert link_id({"dx_connection_id": ""}, "lag", SKIPPED, SKIPPED) == ""
    assert link_id({"dx_connection_id": ""}, "connection") == ""


def test_an_unknown_way_to_get_the_link_fails_naming_it():
    with pytest.raises(AnsibleFilterError, match="'port'"):
        link_id({"dx_connection_id": "dxcon-read"}, "port", SKIPPED, SKIPPED)
