"""The center's hours are facts like the helpline: written once, and said only when known.

helpline_hours and center_hours are slot initial values in domain.yml, read
through center/facts.py. While the center has not filled them in they are
empty, and no reply says anything about hours: no response uses them (their
text would read "we are open ." when empty), and the call-back confirmation,
composed in Python, adds them only when they are filled in
(tests/actions/test_callback_actions.py).
"""

import re

import yaml

from center import facts
from tools.in_process import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
# What responses may leave to be filled: slots with initial values, and what
# action_show_sources passes (actions/show_sources.py).
FILLED_BY_ACTIONS = {"sources", "last_reviewed"}


def response_texts() -> list[tuple[str, str]]:
    return [
        (name, str(variant.get("text") or ""))
        for name, variants in DOMAIN["responses"].items()
        for variant in variants
    ]


def test_the_hours_are_slots_beside_the_helpline():
    slots = DOMAIN["slots"]
    for slot in ("helpline_hours", "center_hours"):
        assert slots[slot]["type"] == "text" and "initial_value" in slots[slot]
        assert slots[slot]["mappings"] == [{"type": "custom"}]


def test_the_facts_read_empty_until_filled_in(monkeypatch):
    values = {"helpline": "x", "center_name": "y", "helpline_hours": "", "center_hours": " "}
    monkeypatch.setattr(facts, "_slots", lambda: values)
    assert facts.helpline_hours() == "" and facts.center_hours() == ""
    values.update(helpline_hours="24/7", center_hours="Mon-Fri 9am-5pm")
    assert facts.helpline_hours() == "24/7" and facts.center_hours() == "Mon-Fri 9am-5pm"


def test_no_response_uses_the_hours():
    for name, text in response_texts():
        assert "{helpline_hours}" not in text and "{center_hours}" not in text, name


def test_every_placeholder_a_visitor_could_see_is_filled():
    with_values = {
        slot for slot, spec in DOMAIN["slots"].items() if spec.get("initial_value") is not None
    }
    for name, text in response_texts():
        for placeholder in re.findall(r"\{(\w+)\}", text):
            assert placeholder in with_values | FILLED_BY_ACTIONS, (name, placeholder)
            if placeholder in with_values:
                assert str(DOMAIN["slots"][placeholder]["initial_value"]).strip(), (
                    name,
                    placeholder,
                )


def test_while_empty_no_english_reply_speaks_of_opening_hours():
    if facts.helpline_hours() or facts.center_hours():
        return  # filled in: the confirmation may say them
    said = re.compile(r"\b(open|hours|24/7|around the clock|any time of day)\b", re.IGNORECASE)
    # 988's own hours are a fact about 988, not the center: the suicide reply keeps them.
    about_988 = {"utter_urgent_suicide"}
    for name, text in response_texts():
        if name in about_988 or name.startswith("utter_faq"):
            continue
        assert not said.search(text), (name, said.search(text).group(0))
