"""known_hosts_entries: known host keys as a team or an AWX credential supplies them, validated and normalised."""

import base64
import struct
import subprocess

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.known_hosts_entries import FilterModule

known_hosts_entries = FilterModule().filters()["known_hosts_entries"]


def key(key_type="ssh-ed25519", body=b"\x00\x00\x00\x20" + bytes(range(32))):
    """A public key blob as OpenSSH encodes it: the length-prefixed key type, then the key material."""
    encoded = key_type.encode()
    return base64.b64encode(struct.pack(">I", len(encoded)) + encoded + body).decode()


ED25519 = key()
ECDSA = key("ecdsa-sha2-nistp256", b"\x00\x00\x00\x08nistp256\x00\x00\x00\x41\x04" + bytes(64))


def test_text_with_comments_and_blank_lines_becomes_normalised_lines():
    text = f"""
# dc1 application hosts
app01.dc1.example.internal,192.168.20.11   ssh-ed25519 {ED25519}   host key of app01

[app02.dc1.example.internal]:2222 ecdsa-sha2-nistp256 {ECDSA}
"""
    assert known_hosts_entries(text, "ssh_known_hosts_entries") == [
        f"app01.dc1.example.internal,192.168.20.11 ssh-ed25519 {ED25519} host key of app01",
        f"[app02.dc1.example.internal]:2222 ecdsa-sha2-nistp256 {ECDSA}",
    ]


def test_list_markers_hashed_names_and_wildcards_are_entries():
    lines = [
        f"@cert-authority *.dc1.example.internal ssh-ed25519 {ED25519}",
        f"|1|c2FsdHNhbHRzYWx0c2FsdHNhbHQ=|aGFzaGhhc2hoYXNoaGFzaGhhc2g= ssh-ed25519 {ED25519}",
        f"@revoked 192.168.20.*,!192.168.20.99 ssh-ed25519 {ED25519}",
    ]
    assert known_hosts_entries(lines) == lines


@pytest.mark.parametrize("value", [None, "", [], "\n# nothing yet\n"])
def test_nothing_given_is_no_entry(value):
    assert known_hosts_entries(value, "ssh_known_hosts_entries") == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (f"app01 ssh-ed25519 {ED25519[:-2]}!!", "not base64"),
        (f"app01 ssh-ed25519 {ED25519[:-8]}", "truncated"),
        (f"app01 ssh-ed25519 {key(body=b'')}", "truncated"),
        (f"app01 ssh-rsa {ED25519}", "not a ssh-rsa key"),
        (f"app01 ssh-foo {ED25519}", "unknown key type"),
        (f"app01 {ED25519}", "expected [marker] hosts key-type base64-key"),
        (f"@trusted app01 ssh-ed25519 {ED25519}", "unknown marker"),
        (f"app01;rm ssh-ed25519 {ED25519}", "host pattern 'app01;rm'"),
        (f"!app01 ssh-ed25519 {ED25519}", "only negate"),
        (f"ssh-ed25519 {ED25519} root@app01", "unknown key type"),
    ],
)
def test_a_line_that_is_no_entry_fails_naming_the_variable_and_line(line, reason):
    with pytest.raises(AnsibleFilterError) as error:
        known_hosts_entries(f"# first\n{line}\n", "ssh_known_hosts_entries")
    message = str(error.value)
    assert message.startswith("ssh_known_hosts_entries, line 2 is not a known_hosts entry")
    assert reason in message


@pytest.mark.parametrize("value", [{"app01": ED25519}, 42, [["nested"]]])
def test_other_types_fail_naming_the_variable(value):
    with pytest.raises(AnsibleFilterError, match=r"^ssh_known_hosts_entries must"):
        known_hosts_entries(value, "ssh_known_hosts_entries")


def test_keys_from_ssh_keyscan_format_as_openssh_writes_them(tmp_path):
    """Real keys of every common type, as ssh-keygen writes them (what ssh-keyscan prints has the same layout)."""
    lines = []
    for key_type, bits in (("ed25519", None), ("ecdsa", "384"), ("rsa", "1024")):
        path = tmp_path / key_type
        subprocess.run(["ssh-keygen", "-q", "-t", key_type, *(["-b", bits] if bits else []), "-N", "", "-f", str(path)], check=True)
        lines.append("app01.dc1.example.internal " + path.with_suffix(".pub").read_text().strip())
    assert known_hosts_entries("\n".join(lines)) == lines
