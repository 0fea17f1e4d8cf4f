"""Crisis categories: the intent each one sets and the order they win in.

The urgent replies themselves are single-variant responses in domain.yml
(utter_<intent>), answered by the rules in data/rules/urgent.yml.
"""

# category -> the urgent intent the NLU sets for it
CATEGORIES: dict[str, str] = {
    "overdose": "urgent_overdose",
    "medical": "urgent_medical",
    "suicide": "urgent_suicide",
    "danger": "urgent_danger",
    "about_to_use": "urgent_about_to_use",
    "overdose_es": "urgent_overdose_es",
    "medical_es": "urgent_medical_es",
    "suicide_es": "urgent_suicide_es",
}

# When a message matches several categories, the most immediate danger to life
# wins: "I want to die, I took all my pills" needs 911 before 988.
PRIORITY: list[str] = list(CATEGORIES)

URGENT_INTENTS: frozenset[str] = frozenset(CATEGORIES.values())
