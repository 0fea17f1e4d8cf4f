"""Reading the bot's replies as REST returns them."""

import re

import yaml

from tools.content import fill
from tools.in_process import ROOT

# The phone lines a reply names, in order: 911, 988 and the helpline.
LINES = re.compile(r"\b(911|988|\d{3}-\d{3}-\d{4})\b")


def texts(replies: list[dict]) -> str:
    """All the replies' texts, in one string."""
    return " ".join(reply.get("text") or "" for reply in replies)


def default_variant(response: str) -> dict:
    """The default (web, English) variant of a response in domain.yml."""
    variants = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"][response]
    return next(v for v in variants if "channel" not in v and "condition" not in v)


def domain_text(response: str) -> str:
    """The default (web, English) text of a response in domain.yml, as a visitor reads it."""
    return fill(default_variant(response)["text"])
