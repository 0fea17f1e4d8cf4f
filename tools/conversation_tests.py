"""Conversation tests: stories replayed against the trained model.

A story (Rasa's test-story YAML) lists user messages, the intent each must get
(`faq/<id>` also checks the curated topic chosen) and the actions that must
follow. Two checks, both used by `make test` and `make test-conversations`:

- `rasa_test`: Rasa's own `rasa test core --fail-on-prediction-errors`, which
  replays the stories' intents through the dialogue policies;
- `replay`: every user message sent through the whole assistant in this process
  (NLU, safety check, policies, no action server), comparing the intent it
  gets and the actions that run. Failures name the story, the message, and
  what was expected and what happened, for the staff who write these files.
"""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from rasa.shared.core.events import ActionExecuted, UserUttered

from tools.in_process import ROOT, Assistant, model_path

NOT_COMPARED = {"action_listen", "action_session_start"}


def rasa_test(stories: Path, out: Path) -> tuple[bool, str]:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "test",
            "core",
            "--model",
            model_path(),
            "--stories",
            str(stories),
            "--out",
            str(out),
            "--fail-on-prediction-errors",
        ],
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


def story_files(path: Path) -> list[Path]:
    return sorted(path.rglob("*.yml")) if path.is_dir() else [path]


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


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "conversations"
    failures = replay(Assistant(), path)
    passed, details = rasa_test(path, ROOT / "test-output" / "conversations")
    if not passed:
        failures.append(f"rasa test core --fail-on-prediction-errors failed:\n{details}")
    for failure in failures:
        print(f"FAILED {failure}\n")
    count = len(stories_in(path))
    print(f"{count - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
