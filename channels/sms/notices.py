"""The few SMS replies the channel writes itself, not the assistant.

Each names the helpline, read from its one definition (center/facts.py).
"""

from center.facts import center_name, helpline

MENU_HINT = "Reply MENU for topics"


def help_text() -> str:
    """The reply to INFO (and to HELP, when the safety check lets it through)."""
    return (
        f"{center_name()} assistant (automated, not a doctor). Emergency: call 911. "
        f"Suicidal crisis: call or text 988. A person: {helpline()}. "
        f"{MENU_HINT}, STOP to stop texts."
    )


def resumed() -> str:
    return f"You will get replies from the {center_name()} assistant again. {MENU_HINT}."


def text_only() -> str:
    """For a message without text, such as a picture."""
    return f"I can only read text. {MENU_HINT}, or call {helpline()} to talk with a person."
