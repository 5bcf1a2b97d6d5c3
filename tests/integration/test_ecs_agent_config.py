"""hybridcloud.aws.ecs_agent_config through a real ansible-playbook run on the controller (a file under tmp_path):
the packaged module edits the file, the task output and diff never carry the secret, and a second run is a no-op.
Its run on a lab host (as root, against the real agent's paths) belongs to the on-prem role tests."""

import json
import stat

SECRET = "bGFiLXVzZXI6bGFiLXBhc3N3b3JkLTQy"
AUTH_DATA = {"registry.lab.internal": {"auth": SECRET, "email": "ops@lab.internal"}}


def config_task(path):
    return {
        "name": "agent config",
        "hybridcloud.aws.ecs_agent_config": {
            "path": str(path),
            "settings": {"ECS_CLUSTER": "lab-hybrid", "ECS_INSTANCE_ATTRIBUTES": {"location": "onprem"}, "ECS_ENGINE_AUTH_TYPE": "dockercfg"},
            "secret_settings": {"ECS_ENGINE_AUTH_DATA": AUTH_DATA},
            "absent_keys": ["ECS_LOGLEVEL"],
        },
    }


def test_secret_stays_out_of_the_output_and_second_run_is_a_no_op(tmp_path, playbook):
    path = tmp_path / "ecs.config"
    path.write_text("# from the image\nECS_CLUSTER=default\nECS_LOGLEVEL=debug\n")

    first = playbook([config_task(path)], diff=True)
    assert first.failed == 0, first.output
    assert first.changed == 1
    lines = path.read_text().splitlines()
    assert lines[:2] == ["# from the image", "ECS_CLUSTER=lab-hybrid"]
    assert 'ECS_INSTANCE_ATTRIBUTES={"location":"onprem"}' in lines
    assert json.loads(next(line for line in lines if line.startswith("ECS_ENGINE_AUTH_DATA=")).split("=", 1)[1]) == AUTH_DATA
    assert not any(line.startswith("ECS_LOGLEVEL=") for line in lines)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SECRET not in first.output
    assert first.task("agent config")["result"]["settings"]["ECS_ENGINE_AUTH_DATA"] == "********"

    second = playbook([config_task(path)])
    assert second.failed == 0, second.output
    assert second.changed == 0
