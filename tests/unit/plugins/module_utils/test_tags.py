from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags


class Calls:
    def __init__(self):
        self.tagged, self.untagged = [], []

    def tag(self, tags):
        self.tagged.append(tags)

    def untag(self, keys):
        self.untagged.append(sorted(keys))


def test_none_leaves_tags_alone():
    assert planned_tags({"a": "1"}, None, True) == ({}, [], {"a": "1"})


def test_purge_removes_unlisted_keys_and_sets_changed_values():
    calls = Calls()
    changed, after = sync_tags({"a": "1", "b": "2"}, {"a": "9"}, True, tag=calls.tag, untag=calls.untag, check_mode=False)
    assert changed is True
    assert after == {"a": "9"}
    assert calls.tagged == [{"a": "9"}] and calls.untagged == [["b"]]


def test_without_purge_keeps_unlisted_keys():
    calls = Calls()
    changed, after = sync_tags({"a": "1", "b": "2"}, {"c": "3"}, False, tag=calls.tag, untag=calls.untag, check_mode=False)
    assert changed is True and after == {"a": "1", "b": "2", "c": "3"}
    assert calls.untagged == []


def test_check_mode_reports_without_calling():
    calls = Calls()
    changed, after = sync_tags({"a": "1"}, {"a": "2"}, True, tag=calls.tag, untag=calls.untag, check_mode=True)
    assert changed is True and after == {"a": "2"}
    assert calls.tagged == [] and calls.untagged == []


def test_identical_tags_are_a_no_op():
    calls = Calls()
    assert sync_tags({"a": "1"}, {"a": "1"}, True, tag=calls.tag, untag=calls.untag, check_mode=False) == (False, {"a": "1"})
    assert calls.tagged == [] and calls.untagged == []
