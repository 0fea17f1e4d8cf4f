"""Every crisis category, and the check-in, in one registry.

A category is what the safety check (nlu_components/safety_check.py) can find
in a message. Each names:
- its urgent intent (`urgent_<name>`), which the rules in data/rules/urgent.yml
  answer with the response `utter_urgent_<name>` alone, so the reply needs no
  custom action and works with the action server down;
- the emergency line its reply names first (911 or 988), before the helpline;
- the `reason` its reply carries in the custom payload `{"handoff": true, "reason": ...}`,
  which the widget's banner and the handoff audit read.

To add a category: add an entry here (in priority order), its intent, response
(one variant per language in LANGUAGES) and rule, and its training messages
in data/safety/. tests/safety/test_registry.py checks that domain.yml and
data/rules/ agree with this registry.
"""

from dataclasses import dataclass

# The languages the urgent replies and the check-in are written in: English and
# the languages most spoken after it in the center's region. The first is the
# default: a reply in it has no language condition.
LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "ht", "vi")
DEFAULT_LANGUAGE = LANGUAGES[0]


@dataclass(frozen=True)
class Category:
    name: str
    emergency_line: str
    reason: str

    @property
    def intent(self) -> str:
        return f"urgent_{self.name}"

    @property
    def response(self) -> str:
        return f"utter_urgent_{self.name}"


# In priority order: when patterns find several categories in one message, the
# most immediate danger to life wins ("I want to die, I took all my pills"
# needs 911 before 988).
CATEGORIES: tuple[Category, ...] = (
    # Someone may have taken too much, now: not breathing, won't wake, blue lips.
    Category("overdose", "911", "overdose"),
    # A medical emergency that is not an overdose: a seizure, chest pain.
    Category("medical", "911", "medical"),
    # Suicidal thoughts or self-harm, also through drugs ("not wake up").
    Category("suicide", "988", "suicide"),
    # Violence, threats, abuse or assault, also disclosed afterwards.
    Category("danger", "911", "danger"),
    # About to use or relapse right now.
    Category("about_to_use", "988", "about_to_use"),
    # "This is an emergency, I need a person now", with nothing more said.
    Category("person_now", "911", "person_now"),
)

BY_NAME: dict[str, Category] = {category.name: category for category in CATEGORIES}
URGENT_INTENTS: frozenset[str] = frozenset(category.intent for category in CATEGORIES)

# The check-in: risk is possible but unclear. Its reply names 988 and 911, asks
# whether the person is safe, and offers "I need help now" (the person_now
# handoff) or "I'm safe". Its payload: {"check_in": true, "reason": <category or UNCLEAR>}.
CHECK_IN_INTENT = "check_in"
CHECK_IN_RESPONSE = "utter_check_in"
UNCLEAR = "unclear"
# Readings whose replies already lead to a person and name 911 and 988: a
# check-in would only ask again what they answer.
CARE_INTENTS: frozenset[str] = frozenset({"request_human", "share_loss"})

# Slots the safety check fills through entities, which the replies read: the
# reply's language, and the check-in's reason.
LANGUAGE_SLOT = "language"
REASON_SLOT = "risk_reason"
