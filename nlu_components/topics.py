"""How the NLU reports a curated topic: intent `faq`, topic `faq/<id>`.

Read by the topic components, the evaluations and the review report, so the
retrieval intent is named once. Loads nothing from Rasa.
"""

from typing import Any

RETRIEVAL_INTENT = "faq"


def selected_topic(parse: dict[str, Any]) -> str | None:
    """faq/<id> when the message was read as a curated-topic question, else None."""
    intent = parse.get("intent") or {}
    if intent.get("name") != RETRIEVAL_INTENT:
        return None
    selected = (parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return intent.get("full_retrieval_intent_name") or (selected.get("response") or {}).get(
        "intent_response_key"
    )
