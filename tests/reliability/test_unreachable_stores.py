"""A store named by the environment is down when the server starts.

Rasa alone would start anyway and keep conversations in memory, out of sight.
The server must stop at once with one clear line naming the setting, without
its password and without a stack trace.
"""

import pytest

from tools.local_servers import free_port, start_servers

PASSWORD = "not-the-real-password"


@pytest.mark.parametrize(
    ("setting", "url"),
    [
        ("BOT_DB_URL", "postgresql://lar:{password}@127.0.0.1:{port}/lar"),
        ("BOT_REDIS_URL", "redis://:{password}@127.0.0.1:{port}/0"),
    ],
)
def test_an_unreachable_store_stops_the_start_with_a_message_naming_its_setting(
    model_path: str, tmp_path, setting: str, url: str
):
    closed_port = free_port()  # nothing listens there
    env = {setting: url.format(password=PASSWORD, port=closed_port)}
    try:
        started = start_servers(model_path, tmp_path, with_actions=False, env=env)
    except RuntimeError as error:
        assert "exited with 1" in str(error)
    else:
        started.stop()
        pytest.fail(f"the server started with {setting} unreachable")
    log = (tmp_path / "rasa.log").read_text()
    [error] = [line for line in log.splitlines() if line.startswith("ERROR: ")]
    assert error.startswith("ERROR: Cannot reach ")
    assert f" at {setting}=" in error and f"127.0.0.1:{closed_port}" in error
    assert PASSWORD not in log
    assert "Traceback" not in log
