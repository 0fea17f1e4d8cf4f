"""How the NLU reports a curated topic (intent `faq`, topic `faq/<id>`), and the
shape of the assistant's own button payloads.

Read by the topic components, the safety check, the channels, the evaluations
and the review report, so both are named once. Loads nothing from Rasa.
"""

import re
from typing import Any

RETRIEVAL_INTENT = "faq"
# A button's payload: an intent ("/menu_mat") or a curated topic
# ("/faq/mat_methadone"), nothing more. Only text of exactly this shape is
# read as a choice rather than as a message.
BUTTON_PAYLOAD = re.compile(r"/[a-z_]+(/[a-z0-9_]+)?")


def selected_topic(parse: dict[str, Any]) -> str | None:
    """faq/<id> when the message was read as a curated-topic question, else None."""
    intent = parse.get("intent") or {}
    if intent.get("name") != RETRIEVAL_INTENT:
        return None
    selected = (parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return intent.get("full_retrieval_intent_name") or (selected.get("response") or {}).get(
        "intent_response_key"
    )
