"""The center's name, helpline and hours, read from their one definition.

They are written once, as slot initial values in domain.yml, so responses can
use {helpline} and {center_name}; Python code (channels, reports, the
call-back confirmation) reads them here instead of writing the number again.
The hours are left empty until the center says what they are: then they read
as "", and no reply mentions hours at all.
"""

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"


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


def helpline_hours() -> str:
    """When the helpline is answered ("24/7", "Mon-Fri 8am-8pm"); "" until the center says."""
    return _filled("helpline_hours")


def center_hours() -> str:
    """The center's opening hours, when staff make calls; "" until the center says."""
    return _filled("center_hours")
