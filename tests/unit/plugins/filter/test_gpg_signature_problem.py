"""gpg_signature_problem: the verified_package role's verdict on `gpg --status-fd 1 --verify` (a good signature by the
pinned key, else gpg's own reason)."""

from ansible_collections.hybridcloud.aws.plugins.filter.gpg_signature_problem import FilterModule

gpg_signature_problem = FilterModule().filters()["gpg_signature_problem"]

PINNED = "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567"
PRIMARY = "0123456789ABCDEF0123456789ABCDEF01234567"
SUBKEY = "FEDCBA9876543210FEDCBA9876543210FEDCBA98"
OTHER = "1111222233334444555566667777888899990000"


def validsig(signing, primary):
    return f"[GNUPG:] VALIDSIG {signing} 2026-12-01 1796000000 0 4 0 1 10 00 {primary}"


def verify(rc, *lines, stderr=""):
    return {"rc": rc, "stdout": "\n".join(["[GNUPG:] NEWSIG", *lines]), "stderr": stderr}


def test_a_good_signature_by_the_pinned_key_or_its_signing_subkey_passes():
    assert gpg_signature_problem(verify(0, "[GNUPG:] GOODSIG 89ABCDEF01234567 lab", validsig(PRIMARY, PRIMARY)), PINNED) == ""
    assert gpg_signature_problem(verify(0, validsig(SUBKEY, PRIMARY)), PINNED.lower()) == ""


def test_a_good_signature_by_another_key_is_refused_naming_that_key():
    assert gpg_signature_problem(verify(0, validsig(OTHER, OTHER)), PINNED).startswith(f"VALIDSIG {OTHER}")


def test_a_bad_signature_gives_gpg_s_reason():
    result = verify(1, "[GNUPG:] KEY_CONSIDERED 0123 0", "[GNUPG:] BADSIG 89ABCDEF01234567 lab", stderr="gpg: BAD signature")
    assert gpg_signature_problem(result, PINNED) == "BADSIG 89ABCDEF01234567 lab"


def test_a_failing_gpg_is_refused_even_with_a_validsig_line():
    assert gpg_signature_problem(verify(2, validsig(PRIMARY, PRIMARY)), PINNED).startswith("VALIDSIG")


def test_without_a_status_line_the_error_output_or_no_signature():
    assert gpg_signature_problem({"rc": 2, "stdout": "", "stderr": "gpg: no valid OpenPGP data found.\n"}, PINNED) == "gpg: no valid OpenPGP data found."
    assert gpg_signature_problem({"rc": 2}, PINNED) == "no signature"
