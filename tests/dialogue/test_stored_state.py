"""A component retrains when the files it reads itself change (files_fingerprint)."""

from pathlib import Path

from nlu_components.safety_check import SafetyCheck
from nlu_components.stored_state import files_fingerprint
from nlu_components.topic_context import TopicContext


def test_the_fingerprint_follows_the_folders_yml_files_and_the_code(tmp_path: Path):
    (tmp_path / "a.yml").write_text("- one\n")
    (tmp_path / "notes.txt").write_text("not read\n")
    code = tmp_path / "model.py"
    code.write_text("x = 1\n")
    first = files_fingerprint(tmp_path, [code])
    (tmp_path / "notes.txt").write_text("changed\n")
    assert files_fingerprint(tmp_path, [code]) == first
    (tmp_path / "a.yml").write_text("- one\n- two\n")
    second = files_fingerprint(tmp_path, [code])
    assert second != first
    code.write_text("x = 2\n")
    assert files_fingerprint(tmp_path, [code]) != second


def test_the_safety_check_and_the_topic_context_read_their_own_folders(tmp_path: Path):
    (tmp_path / "a.yml").write_text("- one\n")
    safety = SafetyCheck.fingerprint_addon({"training_data": str(tmp_path)})
    topics = TopicContext.fingerprint_addon({"follow_ups": str(tmp_path)})
    (tmp_path / "a.yml").write_text("- two\n")
    assert SafetyCheck.fingerprint_addon({"training_data": str(tmp_path)}) != safety
    assert TopicContext.fingerprint_addon({"follow_ups": str(tmp_path)}) != topics
