import json
import os
import stat
from pathlib import Path

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.hybridcloud.aws.plugins.modules import ecs_agent_config as module

AUTH_DATA = {"registry.example.com": {"auth": "c2VjcmV0OnBhc3N3b3Jk", "email": "ops@example.com"}}
EXISTING = """# written by the image build
ECS_CLUSTER=old
ECS_RESERVED_MEMORY=256

ECS_INSTANCE_ATTRIBUTES={"location": "onprem"}
SOMETHING_ELSE=keep me
"""


@pytest.fixture
def run(capsys):
    def runner(args, check_mode=False, diff=False):
        with patch_module_args(dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)), pytest.raises(SystemExit):
            module.main()
        return json.loads(capsys.readouterr().out)

    return runner


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "ecs" / "ecs.config"
    path.parent.mkdir()
    path.write_text(EXISTING)
    path.chmod(0o644)
    return path


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_creates_missing_file_and_parent_with_mode_0600(run, tmp_path):
    path = tmp_path / "var" / "lib" / "ecs" / "ecs.config"
    result = run({"path": str(path), "settings": {"AWS_DEFAULT_REGION": "eu-west-1", "ECS_EXTERNAL": True}})
    assert result["changed"] is True
    assert path.read_text() == "AWS_DEFAULT_REGION=eu-west-1\nECS_EXTERNAL=true\n"
    assert mode_of(path) == 0o600
    assert result["changed_keys"] == ["AWS_DEFAULT_REGION", "ECS_EXTERNAL"]
    assert result["previous_values"] == {}
    assert result["settings"] == {"AWS_DEFAULT_REGION": "eu-west-1", "ECS_EXTERNAL": "true"}


def test_changes_only_managed_keys_in_place_and_keeps_the_rest(run, config):
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod", "ECS_LOGLEVEL": "info"}})
    assert result["changed"] is True
    assert config.read_text() == EXISTING.replace("ECS_CLUSTER=old", "ECS_CLUSTER=prod") + "ECS_LOGLEVEL=info\n"
    assert result["changed_keys"] == ["ECS_CLUSTER", "ECS_LOGLEVEL"]
    # The value a changed key had: the cluster the agent moves away from; ECS_LOGLEVEL had none.
    assert result["previous_values"] == {"ECS_CLUSTER": "old"}
    assert result["settings"]["SOMETHING_ELSE"] == "keep me"
    assert mode_of(config) == 0o600


def test_second_run_is_a_no_op(run, config):
    args = {"path": str(config), "settings": {"ECS_CLUSTER": "prod", "ECS_INSTANCE_ATTRIBUTES": {"location": "onprem", "site": "dc1"}}}
    assert run(args)["changed"] is True
    written = config.read_text()
    result = run(args)
    assert result["changed"] is False
    assert result["changed_keys"] == []
    assert config.read_text() == written


def test_json_and_boolean_values_compare_by_meaning(run, config):
    config.write_text('ECS_INSTANCE_ATTRIBUTES={"location": "onprem"}\nECS_EXTERNAL=TRUE\n')
    config.chmod(0o600)
    result = run({"path": str(config), "settings": {"ECS_INSTANCE_ATTRIBUTES": {"location": "onprem"}, "ECS_EXTERNAL": "true"}})
    assert result["changed"] is False
    assert config.read_text() == 'ECS_INSTANCE_ATTRIBUTES={"location": "onprem"}\nECS_EXTERNAL=TRUE\n'


def test_lists_and_dicts_are_written_as_compact_json(run, config):
    run({"path": str(config), "settings": {"ECS_AVAILABLE_LOGGING_DRIVERS": ["json-file", "awslogs"], "ECS_RESERVED_PORTS": [22, 2375]}})
    lines = config.read_text().splitlines()
    assert 'ECS_AVAILABLE_LOGGING_DRIVERS=["json-file","awslogs"]' in lines
    assert "ECS_RESERVED_PORTS=[22,2375]" in lines


def test_absent_keys_are_removed_everywhere(run, config):
    config.write_text(EXISTING + "ECS_RESERVED_MEMORY=512\n")
    result = run({"path": str(config), "absent_keys": ["ECS_RESERVED_MEMORY", "NOT_THERE"]})
    assert result["changed"] is True
    assert "ECS_RESERVED_MEMORY" not in config.read_text()
    assert result["changed_keys"] == ["ECS_RESERVED_MEMORY"]


def test_duplicate_lines_of_a_managed_key_collapse_into_the_first(run, config):
    config.write_text("ECS_CLUSTER=prod\n# appended by the install script\nECS_CLUSTER=prod\n")
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}})
    assert result["changed"] is True
    assert config.read_text() == "ECS_CLUSTER=prod\n# appended by the install script\n"


def test_quoted_value_is_rewritten_unquoted(run, config):
    config.write_text('ECS_CLUSTER="prod"\n')
    run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}})
    assert config.read_text() == "ECS_CLUSTER=prod\n"


def test_file_without_final_newline_gets_one_before_appending(run, config):
    config.write_text("ECS_CLUSTER=prod")
    run({"path": str(config), "settings": {"ECS_LOGLEVEL": "warn"}})
    assert config.read_text() == "ECS_CLUSTER=prod\nECS_LOGLEVEL=warn\n"


def test_secret_is_written_but_never_shown(run, config):
    result = run({"path": str(config), "settings": {"ECS_ENGINE_AUTH_TYPE": "dockercfg"}, "secret_settings": {"ECS_ENGINE_AUTH_DATA": AUTH_DATA}}, diff=True)
    assert json.loads(config.read_text().splitlines()[-1].split("=", 1)[1]) == AUTH_DATA
    output = json.dumps(result)
    assert "c2VjcmV0OnBhc3N3b3Jk" not in output
    assert result["settings"]["ECS_ENGINE_AUTH_DATA"] == "********"
    assert "ECS_ENGINE_AUTH_DATA=******** (changed)" in result["diff"][0]["after"]


def test_the_previous_value_of_a_changed_secret_is_masked(run, config):
    config.write_text('ECS_CLUSTER=old\nECS_ENGINE_AUTH_DATA={"old-s3cr3t": 1}\n')
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}, "secret_settings": {"ECS_ENGINE_AUTH_DATA": AUTH_DATA}})
    assert result["previous_values"] == {"ECS_CLUSTER": "old", "ECS_ENGINE_AUTH_DATA": "********"}
    assert "old-s3cr3t" not in json.dumps(result)


def test_existing_secret_of_an_unmanaged_key_is_masked_too(run, config):
    config.write_text("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\nECS_CLUSTER=old\n")
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}}, diff=True)
    assert "wJalrXUtnFEMI" not in json.dumps(result)
    assert "AWS_SECRET_ACCESS_KEY=********\n" in result["diff"][0]["before"]
    assert result["settings"]["AWS_SECRET_ACCESS_KEY"] == "********"
    assert "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI" in config.read_text()


def test_diff_shows_the_changed_lines(run, config):
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}}, diff=True)
    content_diff = result["diff"][0]
    assert "ECS_CLUSTER=old\n" in content_diff["before"]
    assert "ECS_CLUSTER=prod\n" in content_diff["after"]
    assert content_diff["after_header"] == str(config)


def test_check_mode_reports_without_writing(run, config):
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}}, check_mode=True)
    assert result["changed"] is True
    assert result["settings"]["ECS_CLUSTER"] == "prod"
    assert config.read_text() == EXISTING
    assert mode_of(config) == 0o644


def test_check_mode_on_missing_file_creates_nothing(run, tmp_path):
    path = tmp_path / "absent" / "ecs.config"
    result = run({"path": str(path), "settings": {"ECS_CLUSTER": "prod"}}, check_mode=True)
    assert result["changed"] is True
    assert not path.parent.exists()


def test_mode_alone_is_enforced_on_unchanged_content(run, config):
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "old"}})
    assert result["changed"] is True
    assert mode_of(config) == 0o600
    assert config.read_text() == EXISTING


def test_explicit_mode_is_applied(run, config):
    run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}, "mode": "0640"})
    assert mode_of(config) == 0o640


def test_backup_keeps_the_previous_content(run, config):
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "prod"}, "backup": True})
    assert Path(result["backup_file"]).read_text() == EXISTING
    assert mode_of(result["backup_file"]) == 0o600


def test_no_backup_without_a_change(run, config):
    config.chmod(0o600)
    result = run({"path": str(config), "settings": {"ECS_CLUSTER": "old"}, "backup": True})
    assert result["changed"] is False
    assert "backup_file" not in result


def test_directory_path_fails_clearly(run, tmp_path):
    result = run({"path": str(tmp_path), "settings": {"ECS_CLUSTER": "prod"}})
    assert result["failed"] is True
    assert result["msg"] == f"{tmp_path} is a directory"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ECS_CLUSTER": "bad name!"}, "ECS_CLUSTER must be a cluster name"),
        ({"ECS_CLUSTER": "x" * 256}, "ECS_CLUSTER must be a cluster name"),
        ({"ECS_EXTERNAL": "yes"}, "ECS_EXTERNAL must be true or false, got 'yes'"),
        ({"ECS_ENABLE_TASK_IAM_ROLE": "1"}, "ECS_ENABLE_TASK_IAM_ROLE must be true or false"),
        ({"AWS_DEFAULT_REGION": "Ireland"}, "AWS_DEFAULT_REGION must be an AWS region"),
        ({"ECS_INSTANCE_ATTRIBUTES": "{not json"}, "ECS_INSTANCE_ATTRIBUTES must be valid JSON"),
        ({"ECS_INSTANCE_ATTRIBUTES": ["a"]}, "ECS_INSTANCE_ATTRIBUTES must be a JSON object whose keys and values are strings"),
        ({"ECS_INSTANCE_ATTRIBUTES": {"rack": 12}}, "ECS_INSTANCE_ATTRIBUTES must be a JSON object whose keys and values are strings"),
        ({"ECS_INSTANCE_ATTRIBUTES": {"bad name": "x"}}, "ECS_INSTANCE_ATTRIBUTES has an invalid name 'bad name'"),
        ({"ECS_LOGLEVEL": "verbose"}, "ECS_LOGLEVEL must be one of debug, info, warn, error, crit"),
        ({"ECS_LOGFILE": "ecs.log"}, "ECS_LOGFILE must be an absolute path"),
        ({"ECS_BACKEND_HOST": "ecs.eu-west-1.amazonaws.com"}, "ECS_BACKEND_HOST must be an http:// or https:// URL"),
        ({"ECS_AVAILABLE_LOGGING_DRIVERS": '"awslogs"'}, "ECS_AVAILABLE_LOGGING_DRIVERS must be a JSON list of logging driver names"),
        ({"ECS_RESERVED_PORTS": [70000]}, "ECS_RESERVED_PORTS must hold port numbers between 0 and 65535"),
        ({"ECS_CONTAINER_STOP_TIMEOUT": "30"}, "ECS_CONTAINER_STOP_TIMEOUT must be a duration"),
        ({"ECS_RESERVED_MEMORY": -5}, "ECS_RESERVED_MEMORY must be a whole number"),
        ({"ECS_CLUSTER": "a\nECS_EXTERNAL=true"}, "the value of ECS_CLUSTER must be a single line"),
        ({"1BAD": "x"}, "'1BAD' is not a valid key name"),
        ({"ECS_CLUSTER": None}, "ECS_CLUSTER has no value; list it in absent_keys to remove it"),
        ({"ECS_ENGINE_AUTH_DATA": "{}"}, "ECS_ENGINE_AUTH_DATA holds a secret: give it in secret_settings"),
    ],
)
def test_bad_values_fail_before_touching_the_file(run, config, settings, message):
    result = run({"path": str(config), "settings": settings})
    assert result["failed"] is True
    assert message in result["msg"]
    assert config.read_text() == EXISTING


def test_good_values_of_known_keys_pass(run, config):
    settings = {
        "ECS_CLUSTER": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
        "AWS_DEFAULT_REGION": "us-gov-west-1",
        "ECS_BACKEND_HOST": "https://ecs.eu-west-1.amazonaws.com",
        "ECS_LOGFILE": "/log/ecs-agent.log",
        "ECS_CONTAINER_STOP_TIMEOUT": "1m30s",
        "ECS_INSTANCE_ATTRIBUTES": {"location": "onprem", "rack/row": "r1 a"},
        "ECS_RESERVED_MEMORY": 256,
    }
    result = run({"path": str(config), "settings": settings})
    assert result["changed"] is True
    assert result["settings"]["ECS_RESERVED_MEMORY"] == "256"


def test_invalid_secret_is_reported_without_its_value(run, config):
    result = run({"path": str(config), "secret_settings": {"ECS_ENGINE_AUTH_DATA": "not-json-s3cr3t"}})
    assert result["failed"] is True
    assert "ECS_ENGINE_AUTH_DATA must be valid JSON" in result["msg"]
    assert "s3cr3t" not in json.dumps(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"settings": {"ECS_CLUSTER": "prod"}, "secret_settings": {"ECS_CLUSTER": "prod"}}, "ECS_CLUSTER is in both settings and secret_settings"),
        ({"settings": {"ECS_CLUSTER": "a"}, "absent_keys": ["ECS_CLUSTER"]}, "ECS_CLUSTER is both set and listed in absent_keys"),
    ],
)
def test_conflicting_options_fail(run, config, args, message):
    result = run(dict(args, path=str(config)))
    assert result["failed"] is True
    assert message in result["msg"]
