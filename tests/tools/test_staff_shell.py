"""make shell DEBUG=1: each message shows what was understood and the safety check's verdict."""

import os
import subprocess
import sys

from tools.in_process import ROOT
from tools.staff_shell import decided_by, shown, understood


def verdict(kind: str, category: str | None, pattern: str | None) -> dict:
    return {
        "verdict": kind,
        "category": category,
        "score": 0.97,
        "model_category": "overdose",
        "pattern": pattern,
        "language": "en",
        "language_confidence": 0.99,
    }


def test_understood_names_the_topic_confidence_and_safety_verdict():
    parse = {
        "intent": {"name": "faq", "confidence": 0.91, "full_retrieval_intent_name": "faq/relapse"},
        "safety": verdict("none", None, None),
    }
    assert understood(parse).splitlines()[0] == (
        "  [intent faq/relapse 0.91 | safety: none, risk 0.97 (overdose), language en 0.99]"
    )
    parse = {
        "intent": {"name": "urgent_overdose", "confidence": 1.0},
        "safety": verdict("urgent", "overdose", "overdose: @NOT =breathing|=breathin"),
    }
    assert "safety: urgent overdose, risk 0.97 (overdose), pattern overdose: @NOT" in understood(
        parse
    )


def test_understood_names_the_dose_pattern_that_declined():
    parse = {
        "intent": {"name": "ask_dose_or_drugs", "confidence": 1.0},
        "safety": verdict("none", None, None),
        "declined": "how_much_of_a_drug",
    }
    assert understood(parse).splitlines()[0].endswith("| dose/drug ask: how_much_of_a_drug]")
    assert "[decided by: dose/drug gate, pattern how_much_of_a_drug]" in understood(parse)


def test_understood_shows_the_runners_up_and_what_decided():
    parse = {
        "intent": {
            "name": "faq",
            "confidence": 0.52,
            "full_retrieval_intent_name": "faq/mat_duration",
        },
        "intent_ranking": [
            {"name": "faq", "confidence": 0.52},
            {"name": "out_of_scope", "confidence": 0.3},
            {"name": "ask_dose_or_drugs", "confidence": 0.1},
        ],
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/mat_duration", "confidence": 0.4},
                    {"intent_response_key": "faq/treatment_duration", "confidence": 0.35},
                ]
            }
        },
        "topic_context": {"follow_up_of": "faq/mat_methadone", "topic": "faq/mat_duration"},
        "safety": verdict("none", None, None),
    }
    lines = understood(parse).splitlines()
    assert lines[1] == "  [decided by: follow-up of faq/mat_methadone]"
    assert lines[2] == (
        "  [runners-up: intents out_of_scope 0.30, ask_dose_or_drugs 0.10"
        " | topics mat_duration 0.40, treatment_duration 0.35]"
    )


def test_decided_by_names_each_gate():
    calm = verdict("none", None, None)
    assert decided_by(
        {"intent": {"name": "urgent_suicide"}, "safety": verdict("urgent", "suicide", None)}
    ) == ("safety check (urgent)")
    assert decided_by(
        {"intent": {"name": "out_of_scope"}, "topic_gate": "no topic word", "safety": calm}
    ) == ("topic gate: no topic word")
    assert (
        decided_by(
            {
                "intent": {"name": "choose_topic"},
                "topic_context": {"close_call": ["faq/a", "faq/b"]},
                "safety": calm,
            }
        )
        == "close call between faq/a and faq/b"
    )
    assert decided_by({"intent": {"name": "greet"}, "safety": calm}) == "the classifiers"


def test_shown_lists_buttons_and_payloads():
    reply = {"text": "Pick one", "buttons": [{"title": "Detox", "payload": "/menu_detox"}]}
    assert shown(reply) == ["Pick one", "  1. Detox  (/menu_detox)"]
    assert shown({"custom": {"handoff": True, "reason": "suicide"}}) == [
        "  [payload {'handoff': True, 'reason': 'suicide'}]"
    ]


def test_a_debug_session_in_the_terminal(model_path, tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: storage.tracker_store.RedactingSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{tmp_path / "c.db"}"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "tools.staff_shell", model_path, "--endpoints", str(endpoints)],
        input="hi\nmy friend is not breathing\n/stop\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    assert "[intent greet" in out
    assert "safety: urgent overdose" in out
    assert "Call 911 now." in out
    assert "[payload {'handoff': True, 'reason': 'overdose'}]" in out
    assert "[decided by: safety check (urgent)]" in out
    assert "[replied with: utter_urgent_overdose" in out


def test_make_shell_runs_beside_the_server_in_its_own_files(model_path, tmp_path):
    """`make shell DEBUG=1` as staff run it: the prompt shows, and its action
    server, conversations and logs stay out of the running server's var/ files."""
    server_files = [ROOT / "var" / name for name in ("conversations.db", "action-server.log")]
    before = {path: path.stat().st_mtime_ns for path in server_files if path.exists()}
    staff = tmp_path / "staff"
    result = subprocess.run(
        ["tools/run.sh", model_path, "shell"],
        input="hi\nmy friend is not breathing\n/stop\n",
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "LAR_STAFF_DIR": str(staff)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Your input ->" in result.stdout
    assert "Call 911 now." in result.stdout
    assert (staff / "conversations.db").exists() and (staff / "handoffs.db").exists()
    after = {path: path.stat().st_mtime_ns for path in server_files if path.exists()}
    assert after == before
