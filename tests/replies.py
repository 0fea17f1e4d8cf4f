"""Reading the bot's replies as REST returns them."""

import re

# The phone lines a reply names, in order: 911, 988 and the helpline.
LINES = re.compile(r"\b(911|988|\d{3}-\d{3}-\d{4})\b")


def texts(replies: list[dict]) -> str:
    """All the replies' texts, in one string."""
    return " ".join(reply.get("text") or "" for reply in replies)
