"""onprem_input_problems: the on-prem roles' input checks (proxies, NO_PROXY, key fingerprints and locations, Docker
registries, NFS mount points and options). Each bad value must be reported with its variable name; good values
(the shipped defaults and the lab's values) must pass."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.onprem_input_problems import FilterModule, mask_url, no_proxy_problems, url_problem

problems = FilterModule().filters()["onprem_input_problems"]

FPR = "9DC8 5822 9FC7 DD38 854A  E2D8 8D81 803C 0EBF CD88"
LAB_FPR = "0123456789ABCDEF0123456789ABCDEF01234567"

DOCKER_DEFAULTS = {
    "docker_engine_install_source": "docker",
    "docker_engine_docker_repo_url": "",
    "docker_engine_docker_repo_key_url": "",
    "docker_engine_docker_repo_key_fingerprint": "9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
    "docker_engine_docker_repo_channel": "stable",
    "docker_engine_docker_packages": ["docker-ce", "docker-ce-cli", "containerd.io"],
    "docker_engine_mirror_repo_url": "",
    "docker_engine_mirror_key_url": "",
    "docker_engine_mirror_key_fingerprint": "",
    "docker_engine_mirror_suite": "",
    "docker_engine_mirror_components": ["stable"],
    "docker_engine_log_driver": "json-file",
    "docker_engine_log_max_size": "10m",
    "docker_engine_log_max_file": 3,
    "docker_engine_registry_mirrors": [],
    "docker_engine_insecure_registries": [],
    "docker_engine_insecure_registries_min_prefix": 24,
    "docker_engine_insecure_registries_min_prefix_v6": 64,
    "docker_engine_allow_http_registry_mirrors": False,
    "docker_engine_allow_http_key_url": False,
    "docker_engine_data_root": "",
    "docker_engine_default_address_pools": [],
    "docker_engine_daemon_options": {},
    "docker_engine_users": [],
    "docker_engine_verify_timeout": 30,
}

SSM_LAB = {
    "ssm_agent_state": "present",
    "ssm_agent_package_source": "url",
    "ssm_agent_package_base_url": "http://10.254.0.200/amazon-ssm-agent",
    "ssm_agent_version": "latest",
    "ssm_agent_package_url": "",
    "ssm_agent_signature_url": "",
    "ssm_agent_sha256sums_url": "http://10.254.0.200/SHA256SUMS",
    "ssm_agent_verify": True,
    "ssm_agent_gpg_fingerprint": LAB_FPR,
    "ssm_agent_gpg_key": "",
    "ssm_agent_gpg_key_url": "http://10.254.0.200/keys/lab.asc",
    "ssm_agent_allow_http_key_url": True,
    "ssm_agent_endpoint": "http://10.254.0.193:4566",
    "ssm_agent_http_proxy": "http://proxy.hybridlab.invalid:3128",
    "ssm_agent_https_proxy": "http://proxy.hybridlab.invalid:3128",
    "ssm_agent_no_proxy": "10.254.0.193,10.254.0.200,localhost,127.0.0.1",
}

ECS_LAB = {
    "ecs_anywhere_state": "present",
    "ecs_anywhere_region": "us-east-1",
    "ecs_anywhere_backend_host": "http://10.254.0.193:4566",
    "ecs_anywhere_package_source": "url",
    "ecs_anywhere_package_base_url": "http://10.254.0.200/ecs",
    "ecs_anywhere_version": "latest",
    "ecs_anywhere_sha256sums_url": "http://10.254.0.200/SHA256SUMS",
    "ecs_anywhere_verify": True,
    "ecs_anywhere_gpg_fingerprint": "F34C 3DDA E729 26B0 79BE AEC6 BCE9 D9A4 2D51 784F",
    "ecs_anywhere_gpg_key": "",
    "ecs_anywhere_gpg_key_url": "http://10.254.0.200/keys/lab.asc",
    "ecs_anywhere_allow_http_key_url": True,
    "ecs_anywhere_location": "onprem",
    "ecs_anywhere_instance_attributes": {"rack": "r1"},
    "ecs_anywhere_loglevel": "info",
    "ecs_anywhere_logfile": "/log/ecs-agent.log",
    "ecs_anywhere_agent_settings": {},
    "ecs_anywhere_tags": {"Scenario": "ecs_anywhere"},
}

MOUNT_LAB = {
    "file_gateway_mount_gateway_address": "10.254.0.201",
    "file_gateway_mount_client_address": "",
    "file_gateway_mount_shares": [
        {"name": "molecule-file-gateway-mount", "path": "/mnt/file-gateway/molecule", "owner": "nobody", "group": "nogroup", "mode": "0770"},
        {"name": "molecule-file-gateway-mount", "path": "/srv/molecule-read-only", "read_only": True, "options": ["noatime"]},
    ],
    "file_gateway_mount_extra_options": [],
    "file_gateway_mount_hardening_options": ["nosuid", "nodev"],
    "file_gateway_mount_allowed_paths": [],
    "file_gateway_mount_timeo": 600,
    "file_gateway_mount_retrans": 2,
}

VERIFIED_LAB = {
    "verified_package_name": "amazon-ssm-agent",
    "verified_package_source": "url",
    "verified_package_url": "http://10.254.0.200/amazon-ssm-agent/latest/debian_amd64/amazon-ssm-agent.deb",
    "verified_package_signature_url": "",
    "verified_package_sha256sums_url": "http://10.254.0.200/SHA256SUMS",
    "verified_package_environment": {"http_proxy": "http://user:pw@proxy:3128", "no_proxy": "10.0.0.0/8,.example.internal"},
    "verified_package_verify": True,
    "verified_package_gpg_fingerprint": LAB_FPR,
    "verified_package_gpg_key": "",
    "verified_package_gpg_key_url": "http://10.254.0.200/keys/lab.asc",
    "verified_package_allow_http_key_url": True,
}


def with_(base, **changes):
    return {**base, **changes}


@pytest.mark.parametrize(
    ("role", "values"),
    [
        ("docker_engine", DOCKER_DEFAULTS),
        ("docker_engine", with_(DOCKER_DEFAULTS, docker_engine_install_source="distribution", docker_engine_docker_repo_key_fingerprint="")),
        (
            "docker_engine",
            with_(
                DOCKER_DEFAULTS,
                docker_engine_registry_mirrors=["http://10.254.0.200:5000"],
                docker_engine_allow_http_registry_mirrors=True,
                docker_engine_insecure_registries=["10.254.0.200:5000", "10.1.2.0/24", "[fd00::1]:5000", "registry.example.internal"],
                docker_engine_default_address_pools=[{"base": "172.30.0.0/16", "size": 24}],
                docker_engine_users=["molecule-deploy"],
                docker_engine_data_root="/var/lib/docker",
            ),
        ),
        (
            "docker_engine",
            with_(
                DOCKER_DEFAULTS,
                docker_engine_install_source="mirror",
                docker_engine_mirror_repo_url="https://mirror.dc1.example.internal/docker/debian",
                docker_engine_mirror_key_url="https://mirror.dc1.example.internal/docker/gpg",
                docker_engine_mirror_key_fingerprint=FPR,
            ),
        ),
        ("docker_engine", with_(DOCKER_DEFAULTS, docker_engine_docker_repo_key_url="/srv/keys/docker.asc")),
        ("docker_engine", with_(DOCKER_DEFAULTS, docker_engine_docker_repo_key_url="file:///etc/keys/docker.asc")),
        ("ssm_agent", SSM_LAB),
        ("ssm_agent", with_(SSM_LAB, ssm_agent_gpg_key_url="https://keys.example.internal/ssm.asc", ssm_agent_allow_http_key_url=False)),
        ("ssm_agent", with_(SSM_LAB, ssm_agent_verify=False, ssm_agent_gpg_fingerprint="", ssm_agent_gpg_key_url="")),
        ("ssm_agent", with_(SSM_LAB, ssm_agent_endpoint="ssm.eu-west-1.amazonaws.com")),
        ("ssm_agent", {"ssm_agent_state": "absent", "ssm_agent_http_proxy": "bad\nvalue"}),
        ("ecs_anywhere", ECS_LAB),
        ("ecs_anywhere", with_(ECS_LAB, ecs_anywhere_agent_settings={"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "169.254.169.254,169.254.170.2"})),
        ("file_gateway_mount", MOUNT_LAB),
        ("file_gateway_mount", with_(MOUNT_LAB, file_gateway_mount_shares=[{"name": "s", "path": "/data/s", "mode": 755}])),
        ("ecs_anywhere", with_(ECS_LAB, ecs_anywhere_cluster="arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud")),
        ("file_gateway_mount", {"file_gateway_mount_shares": []}),
        (
            "file_gateway_mount",
            with_(MOUNT_LAB, file_gateway_mount_shares=[{"name": "x", "path": "/var/lib/app"}], file_gateway_mount_allowed_paths=["/var/lib/app"]),
        ),
        ("file_gateway_mount", with_(MOUNT_LAB, file_gateway_mount_hardening_options=["nodev"], file_gateway_mount_extra_options=["suid"])),
        ("verified_package", VERIFIED_LAB),
    ],
)
def test_good_input_passes(role, values):
    assert problems(values, role) == []


@pytest.mark.parametrize(
    ("role", "changes", "expected"),
    [
        # docker_engine: insecure registries, mirrors, keys, daemon options.
        ("docker_engine", {"docker_engine_insecure_registries": ["0.0.0.0/0"]}, "docker_engine_insecure_registries: 0.0.0.0/0 would send every"),
        ("docker_engine", {"docker_engine_insecure_registries": ["::/0"]}, "docker_engine_insecure_registries: ::/0 would send every"),
        ("docker_engine", {"docker_engine_insecure_registries": ["0.0.0.0/1"]}, "0.0.0.0/1 is broader than /24 (docker_engine_insecure_registries_min_prefix)"),
        ("docker_engine", {"docker_engine_insecure_registries": ["10.0.0.0/8"]}, "10.0.0.0/8 is broader than /24"),
        (
            "docker_engine",
            {"docker_engine_insecure_registries": ["fd00::/48"]},
            "fd00::/48 is broader than /64 (docker_engine_insecure_registries_min_prefix_v6)",
        ),
        ("docker_engine", {"docker_engine_insecure_registries": ["10.0.0.5/24"]}, "10.0.0.5/24 has host bits set (the network is 10.0.0.0/24)"),
        ("docker_engine", {"docker_engine_insecure_registries": ["reg:99999"]}, "reg:99999 has port 99999 outside 1-65535"),
        ("docker_engine", {"docker_engine_insecure_registries": ["http://reg:5000"]}, "without a scheme"),
        ("docker_engine", {"docker_engine_insecure_registries": ["bad_host!:5000"]}, "invalid host"),
        ("docker_engine", {"docker_engine_insecure_registries_min_prefix": 0}, "docker_engine_insecure_registries_min_prefix: must be from 1 to 32"),
        (
            "docker_engine",
            {"docker_engine_daemon_options": {"insecure-registries": ["0.0.0.0/0"]}},
            "docker_engine_daemon_options['insecure-registries']: 0.0.0.0/0",
        ),
        ("docker_engine", {"docker_engine_daemon_options": {"hosts": ["tcp://0.0.0.0:2375"]}}, "docker_engine_daemon_options: may not set hosts"),
        ("docker_engine", {"docker_engine_registry_mirrors": ["http://mirror:5000"]}, "docker_engine_registry_mirrors: is plain http"),
        ("docker_engine", {"docker_engine_registry_mirrors": ["https://mirror:70000"]}, "docker_engine_registry_mirrors: has a port outside 1-65535"),
        ("docker_engine", {"docker_engine_registry_mirrors": ["ftp://mirror"]}, "docker_engine_registry_mirrors: must be a URL with https:// or http://"),
        (
            "docker_engine",
            {"docker_engine_daemon_options": {"registry-mirrors": ["http://m"]}},
            "docker_engine_daemon_options['registry-mirrors']: is plain http",
        ),
        ("docker_engine", {"docker_engine_docker_repo_key_fingerprint": ""}, "docker_engine_docker_repo_key_fingerprint: is required"),
        ("docker_engine", {"docker_engine_docker_repo_key_fingerprint": "ZZ" + "0" * 38}, "must be 40 hexadecimal digits"),
        ("docker_engine", {"docker_engine_docker_repo_key_fingerprint": "0" * 39}, "must be 40 hexadecimal digits"),
        ("docker_engine", {"docker_engine_docker_repo_key_url": "http://example.com/gpg"}, "docker_engine_docker_repo_key_url: is plain http"),
        ("docker_engine", {"docker_engine_docker_repo_key_url": "ftp://example.com/gpg"}, "must be an https:// or file:// URL or an absolute path"),
        ("docker_engine", {"docker_engine_docker_repo_key_url": "/srv/../etc/key"}, "must be normalised"),
        ("docker_engine", {"docker_engine_docker_repo_url": "http://plain.example/docker"}, "docker_engine_docker_repo_key_url: defaults to the plain-http"),
        (
            "docker_engine",
            {"docker_engine_docker_repo_url": "https://x.example/docker stable main\ndeb http://evil/"},
            "docker_engine_docker_repo_url: must be one line",
        ),
        (
            "docker_engine",
            {"docker_engine_install_source": "mirror", "docker_engine_mirror_repo_url": "https://m/d", "docker_engine_mirror_key_url": "https://m/gpg"},
            "docker_engine_mirror_key_fingerprint: is required",
        ),
        ("docker_engine", {"docker_engine_install_source": "mirror"}, "docker_engine_mirror_repo_url: is required"),
        ("docker_engine", {"docker_engine_mirror_suite": "bookworm main\n"}, "docker_engine_mirror_suite: entries must be"),
        ("docker_engine", {"docker_engine_default_address_pools": [{"base": "172.30.0.0/16", "size": 8}]}, "size must be from 16 to 32"),
        ("docker_engine", {"docker_engine_default_address_pools": [{"base": "172.30.0.1/16", "size": 24}]}, "IPv4 CIDR without host bits"),
        ("docker_engine", {"docker_engine_data_root": "var/lib/docker"}, "docker_engine_data_root: must be an absolute path"),
        ("docker_engine", {"docker_engine_log_max_size": "10 MB"}, "docker_engine_log_max_size: must be a number followed by k, m or g"),
        ("docker_engine", {"docker_engine_users": ["root; rm"]}, "docker_engine_users: entries must be existing user names"),
        # ssm_agent: proxies (passwords masked), NO_PROXY, endpoints, keys.
        ("ssm_agent", {"ssm_agent_http_proxy": "http://proxy:3128\nExecStartPre=/bin/sh -c id"}, "ssm_agent_http_proxy: must be one line"),
        ("ssm_agent", {"ssm_agent_https_proxy": 'http://proxy:3128" "LD_PRELOAD=/tmp/x.so'}, "ssm_agent_https_proxy: must be one line"),
        ("ssm_agent", {"ssm_agent_https_proxy": "socks5://proxy:1080"}, "ssm_agent_https_proxy: must be a URL with http:// or https://"),
        ("ssm_agent", {"ssm_agent_https_proxy": "http://proxy:0"}, "ssm_agent_https_proxy: has a port outside 1-65535"),
        ("ssm_agent", {"ssm_agent_https_proxy": "http://:3128"}, "ssm_agent_https_proxy: has no host"),
        ("ssm_agent", {"ssm_agent_https_proxy": "http://proxy:3128/path"}, "ssm_agent_https_proxy: must have no path"),
        ("ssm_agent", {"ssm_agent_no_proxy": "localhost,,10.0.0.0/8"}, "ssm_agent_no_proxy: has an empty entry"),
        ("ssm_agent", {"ssm_agent_no_proxy": "10.0.0.0/33"}, "entry '10.0.0.0/33' is not a CIDR"),
        ("ssm_agent", {"ssm_agent_no_proxy": "good.example,bad host"}, "entry 'bad host' must be one line"),
        ("ssm_agent", {"ssm_agent_endpoint": "https://ssm.example:99999"}, "ssm_agent_endpoint: has a port outside 1-65535"),
        (
            "ssm_agent",
            {"ssm_agent_gpg_key_url": "http://10.254.0.200/keys/lab.asc", "ssm_agent_allow_http_key_url": False},
            "ssm_agent_gpg_key_url: is plain http",
        ),
        ("ssm_agent", {"ssm_agent_gpg_fingerprint": ""}, "ssm_agent_gpg_fingerprint: is required"),
        (
            "ssm_agent",
            {"ssm_agent_gpg_fingerprint": "not-a-fingerprint-0123456789ABCDEF0123456789AB"},
            "ssm_agent_gpg_fingerprint: must be 40 hexadecimal digits",
        ),
        ("ssm_agent", {"ssm_agent_gpg_key_url": ""}, "ssm_agent_gpg_key_url: is required (or ssm_agent_gpg_key"),
        ("ssm_agent", {"ssm_agent_version": "1.0 && curl"}, "ssm_agent_version: must be latest or a version"),
        (
            "ssm_agent",
            {"ssm_agent_package_source": "repository", "ssm_agent_repository_url": "https://r/x\nTypes: deb"},
            "ssm_agent_repository_url: must be one line",
        ),
        # ecs_anywhere: ecs.config values.
        ("ecs_anywhere", {"ecs_anywhere_backend_host": "ecs.example:443"}, "ecs_anywhere_backend_host: must be a URL with https:// or http://"),
        (
            "ecs_anywhere",
            {"ecs_anywhere_agent_settings": {"ECS_RESERVED_MEMORY": "256\nECS_CLUSTER=evil"}},
            "ecs_anywhere_agent_settings.ECS_RESERVED_MEMORY: must be one line",
        ),
        (
            "ecs_anywhere",
            {"ecs_anywhere_agent_settings": {"HTTP_PROXY": "proxy:3128"}},
            "ecs_anywhere_agent_settings.HTTP_PROXY: must be a URL with http:// or https://",
        ),
        ("ecs_anywhere", {"ecs_anywhere_agent_settings": {"NO_PROXY": "169.254.169.254,,x"}}, "ecs_anywhere_agent_settings.NO_PROXY: has an empty entry"),
        ("ecs_anywhere", {"ecs_anywhere_agent_settings": {"bad key": "1"}}, "ecs_anywhere_agent_settings: keys are letters"),
        ("ecs_anywhere", {"ecs_anywhere_instance_attributes": {"rack": "r1\nECS_X=1"}}, "ecs_anywhere_instance_attributes.rack: must be 1-128"),
        ("ecs_anywhere", {"ecs_anywhere_loglevel": "verbose"}, "ecs_anywhere_loglevel: must be debug"),
        ("ecs_anywhere", {"ecs_anywhere_cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c\nECS_X=1"}, "ecs_anywhere_cluster: must be a cluster name"),
        ("ecs_anywhere", {"ecs_anywhere_gpg_key_url": "http://x/key", "ecs_anywhere_allow_http_key_url": False}, "ecs_anywhere_gpg_key_url: is plain http"),
        # file_gateway_mount: mount points, options, addresses.
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/etc"}]}, "file_gateway_mount_shares[0].path: is the system path /etc"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/etc/cron.d"}]}, "file_gateway_mount_shares[0].path: is under /etc"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/lib64/x"}]}, "is under /lib*"),
        (
            "file_gateway_mount",
            {"file_gateway_mount_shares": [{"name": "s", "path": "/home"}]},
            "is the system path /home (file_gateway_mount_denied_exact_paths)",
        ),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/"}]}, "file_gateway_mount_shares[0].path: is the system path /"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/mnt/a/../../etc"}]}, "must be normalised"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/mnt/a/"}]}, "must be normalised"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "mnt/a"}]}, "must be an absolute path"),
        ("file_gateway_mount", {"file_gateway_mount_shares": [{"name": "s", "path": "/mnt/a", "options": ["suid"]}]}, "suid undoes nosuid"),
        ("file_gateway_mount", {"file_gateway_mount_extra_options": ["dev"]}, "file_gateway_mount_extra_options: dev undoes nodev"),
        ("file_gateway_mount", {"file_gateway_mount_extra_options": ["rw,suid"]}, "entries are single mount options"),
        ("file_gateway_mount", {"file_gateway_mount_extra_options": ["x-systemd.requires=a\n/dev/sda1 / ext4"]}, "entries are single mount options"),
        (
            "file_gateway_mount",
            {"file_gateway_mount_gateway_address": "gw.example /etc nfs"},
            "file_gateway_mount_gateway_address: must be the gateway's IP address",
        ),
        ("file_gateway_mount", {"file_gateway_mount_gateway_address": "999.1.1.1"}, "file_gateway_mount_gateway_address: must be the gateway's IP address"),
        ("file_gateway_mount", {"file_gateway_mount_client_address": "10.0.0.300"}, "file_gateway_mount_client_address: must be an IP address"),
        (
            "file_gateway_mount",
            {"file_gateway_mount_shares": [{"name": "s", "path": "/data/s", "mode": 493}]},
            "file_gateway_mount_shares[0].mode: must be 3 or 4 octal",
        ),
        (
            "file_gateway_mount",
            {"file_gateway_mount_hardening_options": ["nosuid", "ro"]},
            "file_gateway_mount_hardening_options: entries are nosuid, nodev or noexec",
        ),
        # verified_package.
        (
            "verified_package",
            {"verified_package_environment": {"https_proxy": "http://u:topsecret@proxy:3128\nX=1"}},
            "verified_package_environment.https_proxy: must be one line",
        ),
        (
            "verified_package",
            {"verified_package_gpg_key_url": "http://x/key", "verified_package_allow_http_key_url": False},
            "verified_package_gpg_key_url: is plain http",
        ),
        ("verified_package", {"verified_package_gpg_fingerprint": "ABCD"}, "verified_package_gpg_fingerprint: must be 40 hexadecimal digits"),
        ("verified_package", {"verified_package_url": ""}, "verified_package_url: is required"),
        ("verified_package", {"verified_package_name": "agent; rm -rf /"}, "verified_package_name: must be a package name"),
        ("ssm_agent", {"ssm_agent_region": "Ireland"}, "ssm_agent_region: must be an AWS region"),
        ("ssm_agent", {"ssm_agent_package_sha256": "xyz"}, "ssm_agent_package_sha256: must be 64 hexadecimal digits"),
        ("ecs_anywhere", {"ecs_anywhere_sha256sums_url": ""}, "ecs_anywhere_package_sha256: is required to verify a package file"),
        ("verified_package", {"verified_package_sha256": "abc123"}, "verified_package_sha256: must be 64 hexadecimal digits"),
        ("verified_package", {"verified_package_sha256sums_url": ""}, "verified_package_sha256: is required to verify a package file"),
        (
            "verified_package",
            {
                "verified_package_source": "repository",
                "verified_package_repository_url": "https://repo.example/apt",
                "verified_package_repository_keyring": "keyring.asc",
            },
            "verified_package_repository_keyring: must be an absolute path",
        ),
    ],
)
def test_bad_input_is_named(role, changes, expected):
    base = {"docker_engine": DOCKER_DEFAULTS, "ssm_agent": SSM_LAB, "ecs_anywhere": ECS_LAB, "file_gateway_mount": MOUNT_LAB, "verified_package": VERIFIED_LAB}[
        role
    ]
    found = problems(with_(base, **changes), role)
    assert any(expected in problem for problem in found), found


def test_a_package_file_is_verified_by_its_sha256_or_a_signed_sha256sums():
    sha256 = "0" * 64
    assert problems(with_(VERIFIED_LAB, verified_package_sha256=sha256, verified_package_sha256sums_url=""), "verified_package") == []
    # Verification turned off (a test host): nothing to check a file against is needed; a repository never needs one.
    assert problems(with_(VERIFIED_LAB, verified_package_verify=False, verified_package_sha256sums_url=""), "verified_package") == []
    repository = with_(
        VERIFIED_LAB,
        verified_package_source="repository",
        verified_package_sha256sums_url="",
        verified_package_repository_url="https://repo.example/apt",
        verified_package_repository_name="agents",
        verified_package_repository_keyring="/etc/apt/keyrings/agents.asc",
    )
    assert problems(repository, "verified_package") == []


def test_values_are_quoted_so_a_newline_shows():
    found = problems(with_(SSM_LAB, ssm_agent_http_proxy="http://p:3128\nExecStartPre=/bin/sh"), "ssm_agent")
    assert found == [
        'ssm_agent_http_proxy: must be one line without spaces, quotes, backslashes or control characters (got "http://p:3128\\nExecStartPre=/bin/sh")'
    ]


def test_passwords_are_masked():
    found = problems(with_(SSM_LAB, ssm_agent_https_proxy="http://user:topsecret@proxy:99999"), "ssm_agent")
    assert found == ['ssm_agent_https_proxy: has a port outside 1-65535 (got "http://user:********@proxy:99999")']
    found = problems(with_(ECS_LAB, ecs_anywhere_agent_settings={"ECS_ENGINE_AUTH_DATA": '{"x":\n"topsecret"}'}), "ecs_anywhere")
    assert found == ["ecs_anywhere_agent_settings.ECS_ENGINE_AUTH_DATA: must be one line without control characters (got ********)"]
    found = problems(with_(VERIFIED_LAB, verified_package_environment={"https_proxy": "http://u:topsecret@proxy:0"}), "verified_package")
    assert "topsecret" not in " ".join(found) and found


def test_every_problem_is_listed_at_once():
    found = problems(
        with_(DOCKER_DEFAULTS, docker_engine_insecure_registries=["0.0.0.0/0", "10.0.0.0/16"], docker_engine_docker_repo_key_fingerprint=""),
        "docker_engine",
    )
    assert len(found) == 3, found


def test_min_prefix_is_configurable():
    values = with_(DOCKER_DEFAULTS, docker_engine_insecure_registries=["10.0.0.0/16"], docker_engine_insecure_registries_min_prefix=16)
    assert problems(values, "docker_engine") == []
    assert problems(with_(values, docker_engine_insecure_registries=["0.0.0.0/0"], docker_engine_insecure_registries_min_prefix=1), "docker_engine")


def test_deny_lists_are_configurable():
    share = [{"name": "s", "path": "/data/x"}]
    assert problems(with_(MOUNT_LAB, file_gateway_mount_shares=share), "file_gateway_mount") == []
    found = problems(with_(MOUNT_LAB, file_gateway_mount_shares=share, file_gateway_mount_denied_paths=["/data"]), "file_gateway_mount")
    assert found and "is under /data" in found[0]
    shares = [{"name": "s", "path": "/home/alice/share"}]
    assert problems(with_(MOUNT_LAB, file_gateway_mount_shares=shares), "file_gateway_mount") == []


def test_helpers():
    assert mask_url("https://u:p@h:1/") == "https://u:********@h:1/"
    assert mask_url("https://h:1/") == "https://h:1/"
    assert url_problem("https://[fd00::1]:443/x", ("https",)) is None
    assert url_problem("https://[fd00::zz]:443/x", ("https",))
    assert url_problem("file:///etc/key.asc", ("file",)) is None
    assert url_problem("file://host/etc/key.asc", ("file",))
    assert no_proxy_problems(["*.example.com", ".example.org", "10.0.0.1:8080", "fd00::/8", "[::1]:80"]) == []


def test_unknown_role_is_an_error():
    from ansible.errors import AnsibleFilterError

    with pytest.raises(AnsibleFilterError):
        problems({}, "network")


def test_documentation_parses_as_ansible_doc_reads_it():
    """ansible-doc needs every description entry to be a string (a plain 'a: b' line would be a mapping)."""
    import yaml

    from ansible_collections.hybridcloud.aws.plugins.filter import onprem_input_problems as plugin

    documentation = yaml.safe_load(plugin.DOCUMENTATION)
    assert all(isinstance(line, str) for line in documentation["description"])
    assert all(isinstance(sample, str) for sample in yaml.safe_load(plugin.RETURN)["_value"]["sample"])
    assert yaml.safe_load(plugin.EXAMPLES)
