"""Where did that answer come from? Names the sources of the last curated answer.

Curated answers carry their sources and review date in their response metadata
(data/content/). A parent or clinician who asks "where is that from?" gets the
full titles, so they can check the answer themselves.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from center.sources import SOURCES


def last_answer_metadata(tracker: Tracker) -> dict[str, Any] | None:
    """The content metadata of the most recent bot message that has any."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        content = (event.get("metadata") or {}).get("metadata") or {}
        if content.get("sources"):
            return content
    return None


class ActionShowSources(Action):
    def name(self) -> str:
        return "action_show_sources"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        content = last_answer_metadata(tracker)
        if content is None:
            dispatcher.utter_message(response="utter_sources_general")
            return []
        titles = "\n".join(f"- {SOURCES.get(key, key)}" for key in content["sources"])
        dispatcher.utter_message(
            response="utter_sources_of_last_answer",
            sources=titles,
            last_reviewed=content.get("last_reviewed", "not recorded"),
        )
        return []
