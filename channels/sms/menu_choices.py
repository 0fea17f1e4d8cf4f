"""A number sent back ("2") chooses from the last numbered menu.

The menu is not kept by the channel: it is the buttons of the latest bot
message that had any, in the tracker of the current session, numbered the
way rendering.choices_line numbered them (in order, from 1).
"""

import re
from typing import Any, Iterable

from rasa.shared.core.events import BotUttered, Event

_NUMBER = re.compile(r"^(\d{1,2})\s*[.)]?$")


def chosen_number(text: str) -> int | None:
    match = _NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


def last_menu(events: Iterable[Event]) -> list[dict[str, Any]]:
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            buttons = event.data.get("buttons") or event.data.get("quick_replies")
            if buttons:
                return buttons
    return []


def payload(menu: list[dict[str, Any]], number: int) -> str | None:
    return menu[number - 1].get("payload") if 1 <= number <= len(menu) else None
