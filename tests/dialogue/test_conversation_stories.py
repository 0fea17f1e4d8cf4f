"""The conversation tests: whole conversations through the real assistant.

They all live in tests/conversations/, in files named `test_*.yml` (Rasa's
test-story YAML): the files a plain `rasa test` finds from the project root.
A story lists user messages, the intent each must get (`faq/<id>` also checks
the curated topic chosen) and the actions that must follow. `make test` and
`make test-conversations` both run this module, which checks them two ways:

- Rasa's own `rasa test core --fail-on-prediction-errors` replays the stories'
  intents through the dialogue policies;
- every user message is sent through the whole assistant in this process (NLU,
  safety check, policies, no action server), comparing the intent it gets and
  the actions that run. Failures name the file, the story, the message, and
  what was expected and what happened, for the staff who write these files.
"""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import rasa.shared.data
import yaml
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from tools.in_process import ROOT, Assistant, model_path

CONVERSATIONS = ROOT / "tests" / "conversations"
NOT_COMPARED = {"action_listen", "action_session_start"}


def story_files(path: Path) -> list[Path]:
    """The files Rasa reads as conversation tests under path: test_*.yml with stories."""
    found = rasa.shared.data.get_data_files([str(path)], YAMLStoryReader.is_test_stories_file)
    return [Path(file) for file in found]


def rasa_test(stories: Path, out: Path) -> tuple[bool, str]:
    # Without --e2e, which a plain `rasa test` adds: e2e also compares entities,
    # and the safety check adds a `language` entity to every typed message (and
    # `risk_reason` to check-ins) that no story lists. The replay below checks
    # what NLU makes of each message instead.
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", model_path()]
        + ["--stories", str(stories), "--out", str(out), "--fail-on-prediction-errors"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@dataclass
class Turn:
    text: str
    intent: str
    actions: list[str]


def stories_in(path: Path) -> dict[str, list[Turn]]:
    stories: dict[str, list[Turn]] = {}
    for file in story_files(path):
        for story in (yaml.safe_load(file.read_text()) or {}).get("stories", []):
            turns: list[Turn] = []
            for step in story["steps"]:
                if "user" in step:
                    turns.append(Turn(step["user"].strip(), step["intent"], []))
                elif "action" in step and turns:
                    turns[-1].actions.append(step["action"])
            stories[f"{file.name}: {story['story']}"] = turns
    return stories


def _intent_of(event: UserUttered) -> str:
    name = event.intent.get("name")
    if name == "faq":
        return event.intent.get("full_retrieval_intent_name") or name
    return name


def replay(assistant: Assistant, path: Path) -> list[str]:
    """Every mismatch, in words; an empty list means every story passed."""
    failures = []
    for number, (name, turns) in enumerate(stories_in(path).items()):
        sender = f"conversation-test-{number}"
        for turn in turns:
            assistant.say(sender, turn.text)
            tracker = assistant.tracker(sender)
            last_user = max(i for i, e in enumerate(tracker.events) if isinstance(e, UserUttered))
            got_intent = _intent_of(tracker.events[last_user])
            got_actions = [
                e.action_name
                for e in list(tracker.events)[last_user + 1 :]
                if isinstance(e, ActionExecuted) and e.action_name not in NOT_COMPARED
            ]
            expected_intent_matches = got_intent == turn.intent or (
                turn.intent == "faq" and got_intent.startswith("faq/")
            )
            if not expected_intent_matches or got_actions != turn.actions:
                failures.append(
                    f"{name}\n  message:  {turn.text!r}\n"
                    f"  expected: {turn.intent} -> {', '.join(turn.actions)}\n"
                    f"  got:      {got_intent} -> {', '.join(got_actions)}"
                )
                break
    return failures


def test_every_file_in_the_folder_is_one_rasa_test_reads():
    files = story_files(CONVERSATIONS)
    assert CONVERSATIONS / "test_example.yml" in files, "the documented example must be there"
    skipped = [
        path.name
        for path in sorted(CONVERSATIONS.rglob("*"))
        if path.suffix in (".yml", ".yaml") and path not in files
    ]
    assert not skipped, f"rasa test reads only test_*.yml files with stories: rename {skipped}"


def test_rasa_test_finds_the_conversation_tests_here_and_nowhere_else():
    # What a plain `rasa test` reads from the project root, the .venv link
    # included (tools/venv.sh removes `rasa init`'s sample tests from it).
    assert sorted(path.resolve() for path in story_files(ROOT)) == sorted(
        path.resolve() for path in story_files(CONVERSATIONS)
    )


def test_rasa_replays_the_stories_without_prediction_errors(tmp_path: Path):
    passed, details = rasa_test(CONVERSATIONS, tmp_path)
    assert passed, details


def test_every_message_gets_its_intent_and_actions(assistant: Assistant):
    assert stories_in(CONVERSATIONS)
    failures = [f for f in replay(assistant, CONVERSATIONS) if not known_regression(f)]
    assert not failures, "\n\n".join(failures)


# Stories the shipped model gets wrong, said out loud rather than hidden: each
# must still fail (so it is taken off this list the day it passes).
KNOWN_REGRESSIONS: dict[str, str] = {}


def known_regression(failure: str) -> bool:
    story, _, rest = failure.partition("\n")
    return story in KNOWN_REGRESSIONS and f"got:      {KNOWN_REGRESSIONS[story]} " in rest


def test_the_known_regressions_still_fail(assistant: Assistant):
    failed = {f.partition("\n")[0] for f in replay(assistant, CONVERSATIONS) if known_regression(f)}
    assert failed == set(KNOWN_REGRESSIONS), (
        "a known regression passes now: remove it from the list"
    )


def test_a_wrong_intent_is_reported_with_what_happened(assistant: Assistant, tmp_path: Path):
    (tmp_path / "test_wrong.yml").write_text(
        "stories:\n- story: an overdose is not small talk\n  steps:\n"
        "  - user: |\n      my friend is not breathing\n    intent: greet\n"
        "  - action: utter_greet\n"
    )
    [failure] = replay(assistant, tmp_path)
    assert "test_wrong.yml: an overdose is not small talk" in failure
    assert "expected: greet -> utter_greet" in failure
    assert "got:      urgent_overdose -> utter_urgent_overdose" in failure


def test_a_wrong_topic_is_reported(assistant: Assistant, tmp_path: Path):
    (tmp_path / "test_wrong.yml").write_text(
        "stories:\n- story: wrong topic\n  steps:\n"
        "  - user: |\n      how long does withdrawal last\n    intent: faq/mat_methadone\n"
        "  - action: utter_faq\n"
    )
    [failure] = replay(assistant, tmp_path)
    assert "expected: faq/mat_methadone -> utter_faq" in failure
    assert "got:      faq/withdrawal_timeline -> utter_faq" in failure
