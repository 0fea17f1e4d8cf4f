"""Reading the bot's replies as REST returns them."""


def texts(replies: list[dict]) -> str:
    """All the replies' texts, in one string."""
    return " ".join(reply.get("text") or "" for reply in replies)
