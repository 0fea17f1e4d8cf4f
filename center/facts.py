"""The center's name and helpline, read from their one definition.

They are written once, as slot initial values in domain.yml, so responses can
use {helpline} and {center_name}; Python code (channels, reports) reads them
here instead of writing the number again.
"""

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"


@lru_cache(maxsize=1)
def _slots() -> dict[str, str]:
    slots = yaml.safe_load(DOMAIN_FILE.read_text())["slots"]
    return {name: slot["initial_value"] for name, slot in slots.items() if "initial_value" in slot}


def helpline() -> str:
    """The helpline as people dial it, with dashes."""
    return _slots()["helpline"]


def helpline_tel() -> str:
    """The helpline for a tel: link: +1 and the ten digits."""
    digits = "".join(ch for ch in helpline() if ch.isdigit())
    return "+1" + digits if len(digits) == 10 else digits


def center_name() -> str:
    return _slots()["center_name"]
