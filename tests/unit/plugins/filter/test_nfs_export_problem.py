"""nfs_export_problem: the file_gateway_mount role's preflight verdict (roles/file_gateway_mount/files/nfs_export_check.py
output) as the message that stops the role before fstab changes."""

from ansible_collections.hybridcloud.aws.plugins.filter.nfs_export_problem import FilterModule

nfs_export_problem = FilterModule().filters()["nfs_export_problem"]

EXPORTS = {"/shared": ["10.20.0.0/24"], "/backups": ["10.20.0.11/32", "10.20.0.12/32"]}


def check(shares, exports=None, error=None):
    """The script's output for a host the gateway 10.20.3.17 sees as 10.20.0.11."""
    return {"gateway": "10.20.3.17", "client_address": "10.20.0.11", "exports": EXPORTS if exports is None else exports, "shares": shares, "error": error}


def test_every_share_served_is_no_problem():
    assert nfs_export_problem(check({"shared": "exported", "backups": "exported"}), ["shared", "backups"], 10) == ""


def test_an_export_to_names_or_netgroups_is_not_refused():
    # The script cannot resolve host names or netgroups: the mount itself will tell.
    assert nfs_export_problem(check({"shared": "exported-unverified"}), ["shared"], 10) == ""


def test_each_refused_share_is_named_with_why_and_what_the_gateway_exports():
    problem = nfs_export_problem(check({"shared": "exported", "media": "missing", "backups": "not-for-this-host"}), ["shared", "media", "backups"], 10)
    assert problem == (
        "The file gateway 10.20.3.17 does not export /media (not exported at all), /backups (exported to other clients only) "
        "to this host (10.20.0.11). It exports: /shared to 10.20.0.0/24; /backups to 10.20.0.11/32,10.20.0.12/32."
    )


def test_a_gateway_that_exports_nothing_says_so():
    problem = nfs_export_problem(check({"shared": "missing"}, exports={}), ["shared"], 10)
    assert problem.endswith("It exports: nothing.")


def test_a_gateway_that_does_not_answer_names_the_limit_the_error_and_the_shares_not_checked():
    problem = nfs_export_problem(check({}, exports={}, error="showmount timed out"), ["shared", "backups"], 15)
    assert problem == ("The file gateway 10.20.3.17 did not list its exports (showmount -e, 15 s): showmount timed out. Shares not checked: shared, backups.")
