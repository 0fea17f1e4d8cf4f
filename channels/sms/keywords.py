"""The SMS keywords: a whole message that is one of these words.

Only a message that is exactly the keyword counts (case and a closing mark
aside), as carriers and Twilio read them: "stop texting me about detox" is a
question for the assistant, not an opt-out. The safety check runs before
these (handling.py), so an urgent message is never read as a keyword.
"""

import enum


class Keyword(enum.Enum):
    OPT_OUT = "opt out"
    OPT_IN = "opt in"
    # Twilio also lifts its opt-out on YES; in a conversation "yes" is an
    # answer, so it opts in only a number that has opted out.
    YES = "yes"
    HELP = "help"
    MENU = "menu"


KEYWORDS: dict[str, Keyword] = {
    # The carriers' words, which Twilio acts on too, and the FCC's (2024).
    **dict.fromkeys(
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"],
        Keyword.OPT_OUT,
    ),
    **dict.fromkeys(["START", "UNSTOP"], Keyword.OPT_IN),
    "YES": Keyword.YES,
    **dict.fromkeys(["HELP", "INFO"], Keyword.HELP),
    "MENU": Keyword.MENU,
}


def keyword(text: str) -> Keyword | None:
    words = text.strip().rstrip(".!").split()
    return KEYWORDS.get(" ".join(words).upper())
