"""The center's facts (name, helpline, hours, address...), read from their one definition.

They are written once, as slot initial values in domain.yml, so responses can
use {helpline}, {center_name} and the other facts; Python code (channels,
reports, the call-back confirmation) reads them here instead of writing them
again.

The facts in FACTS are left empty ("") until the center says what they are.
Python code then reads them as "" and says nothing of them. A curated answer
that needs one (data/content/center.yml) has, on each channel, a variant with
`condition: [{type: slot, name: <fact>, value: ""}]` that sends people to the
helpline for that detail, and a default variant that uses `{<fact>}`: Rasa
picks the first while the fact is empty, the second once it is filled in
(tests/content/test_center_facts.py).
"""

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"

# The facts only the center can give, empty until it does. How each reads in
# the answers that use it is written beside its slot in domain.yml.
FACTS = (
    "helpline_hours",
    "center_hours",
    "center_address",
    "first_day_schedule",
    "what_to_bring",
    "phone_policy",
    "visiting_rules",
)


@lru_cache(maxsize=1)
def _slots() -> dict[str, str]:
    slots = yaml.safe_load(DOMAIN_FILE.read_text())["slots"]
    return {name: slot["initial_value"] for name, slot in slots.items() if "initial_value" in slot}


def _filled(slot: str) -> str:
    return str(_slots().get(slot) or "").strip()


def helpline() -> str:
    """The helpline as people dial it, with dashes."""
    return _slots()["helpline"]


def helpline_tel() -> str:
    """The helpline for a tel: link: +1 and the ten digits."""
    digits = "".join(ch for ch in helpline() if ch.isdigit())
    return "+1" + digits if len(digits) == 10 else digits


def center_name() -> str:
    return _slots()["center_name"]


def facts() -> dict[str, str]:
    """Every fact in FACTS by slot: its text, or "" while the center has not given it."""
    return {slot: _filled(slot) for slot in FACTS}


def helpline_hours() -> str:
    """When the helpline is answered ("24/7", "Mon-Fri 8am-8pm"); "" until the center says."""
    return _filled("helpline_hours")


def center_hours() -> str:
    """The center's opening hours, when staff make calls; "" until the center says."""
    return _filled("center_hours")


def center_address() -> str:
    """The center's street address; "" until the center says."""
    return _filled("center_address")


def first_day_schedule() -> str:
    """What the first day of treatment looks like, in a sentence or two; "" until given."""
    return _filled("first_day_schedule")


def what_to_bring() -> str:
    """What to bring to treatment and what to leave at home; "" until given."""
    return _filled("what_to_bring")


def phone_policy() -> str:
    """Whether people keep their phones and can call family during treatment; "" until given."""
    return _filled("phone_policy")


def visiting_rules() -> str:
    """When and how family can visit someone in treatment; "" until given."""
    return _filled("visiting_rules")
