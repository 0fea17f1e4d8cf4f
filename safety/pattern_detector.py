"""The crisis patterns' detector: deterministic matching on spaCy lemmas.

The floor under the trained risk model (safety/risk_model.py): a pattern can
only add an urgent reading, never remove one (safety/assessment.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from safety import crisis_patterns as p
from safety.categories import CATEGORIES
from safety.normalize import normalize

_WILDCARD_WIDTH = 6
PRIORITY: list[str] = [category.name for category in CATEGORIES]
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Detection:
    """What fired: the category (a name in safety.categories.CATEGORIES), the
    pattern that fired, and every category that matched, for the record."""

    category: str
    pattern: str
    matched_categories: tuple[str, ...]
    # Only `weak` patterns fired: alone they ask for a check-in, not a handoff.
    weak: bool = False


class CrisisDetector:
    """Finds urgent language in a message; `detect` returns None when there is none."""

    def __init__(self) -> None:
        # A blank English pipeline with the lookup lemmatizer from
        # spacy-lookups-data: no model download, same lemmas everywhere.
        self._nlp = spacy.blank("en")
        self._nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self._nlp.initialize()
        self._flags: dict[str, frozenset[str]] = {}
        self._parts: dict[str, int] = {}
        self._patterns = Matcher(self._nlp.vocab)
        assert set(p.PATTERNS) <= set(PRIORITY), "every pattern category is in the registry"
        for category, entries in p.PATTERNS.items():
            for entry in entries:
                key = f"{category}: {entry.text}"
                self._flags[key] = entry.flags
                # "a & b": each part is matched on its own; the pattern fires
                # when every part is found.
                parts = entry.text.split(" & ")
                self._parts[key] = len(parts)
                for i, part in enumerate(parts):
                    self._patterns.add(f"{key}#{i}", [self._compile(part)])
        self._idioms = self._matcher("idiom", p.IDIOMS)
        self._past = self._matcher("past", p.PAST_MARKERS)
        self._present = self._matcher("present", p.PRESENT_MARKERS)
        self._not_now = self._matcher("not now", p.NOT_NOW_MARKERS)

    def detect(self, text: str) -> Detection | None:
        text = normalize(text)
        # A closing mark lets `#END` match the end of the message.
        doc = self._nlp(text if text[-1:] in ".!?" else text + " .")
        idiom_tokens = {i for _, s, e in self._idioms(doc) for i in range(s, e)}
        in_past = bool(self._past(doc)) and not self._present(doc)
        not_now = bool(self._not_now(doc))
        words = [t for t in doc if not t.is_punct]
        short = len(words) <= p.SHORT_MESSAGE_WORDS

        found_parts: dict[str, set[str]] = {}
        for match_id, start, end in self._patterns(doc):
            key, part = self._nlp.vocab.strings[match_id].rsplit("#", 1)
            flags = self._flags[key]
            span = doc[start:end]
            if "short" in flags and not short:
                continue
            if idiom_tokens.intersection(range(start, end)):
                continue
            if "negated" in flags and _negated(span):
                continue
            if "past" in flags and in_past:
                continue
            if "generic" in flags and (not_now or _about_nobody_in_particular(doc, span)):
                continue
            found_parts.setdefault(key, set()).add(part)

        complete = [key for key, parts in found_parts.items() if len(parts) == self._parts[key]]
        if not complete:
            return None
        # A strong pattern outranks a weak one; then the most immediate danger wins.
        strong = [key for key in complete if "weak" not in self._flags[key]]
        key = min(strong or complete, key=lambda k: PRIORITY.index(k.split(":", 1)[0]))
        categories = sorted({k.split(":", 1)[0] for k in complete}, key=PRIORITY.index)
        # A message of a few words ("he overdosed", "sobredosis") has no calm
        # context around the word: even a weak pattern counts in full there.
        weak = not strong and not short
        return Detection(key.split(":", 1)[0], key, tuple(categories), weak=weak)

    # --- compiling the pattern language (see safety/crisis_patterns.py) ---

    def _matcher(self, name: str, texts: list[str]) -> Matcher:
        matcher = Matcher(self._nlp.vocab)
        matcher.add(name, [self._compile(t) for t in texts])
        return matcher

    def _compile(self, text: str) -> list[dict]:
        tokens: list[dict] = []
        for slot in text.split():
            if slot == "*":
                tokens.extend({"OP": "?"} for _ in range(_WILDCARD_WIDTH))
                continue
            optional = slot.endswith("?")
            slot = slot.rstrip("?")
            if slot == "#NUM":
                spec: dict = {"LIKE_NUM": True}
            elif slot == "#END":
                spec = {"IS_PUNCT": True}
            elif slot.startswith("="):
                spec = {"LOWER": {"IN": sorted(w.lstrip("=") for w in slot.split("|"))}}
            elif slot == "#YEAR":
                spec = {"TEXT": {"REGEX": _YEAR.pattern}}
            else:
                spec = {"LEMMA": {"IN": sorted(self._lemmas(slot))}}
            if optional:
                spec["OP"] = "?"
            tokens.append(spec)
        return tokens

    def _lemmas(self, slot: str) -> set[str]:
        lemmas: set[str] = set()
        for word in slot.split("|"):
            if word.startswith("@"):
                lemmas |= self._lemmas(p.GROUPS[word[1:]])
            else:
                # Lemmatize the word as the message will be, so "breathing"
                # and "breathe" meet at the same lemma.
                lemmas |= {t.lemma_ for t in self._nlp(normalize(word))}
        return lemmas


def _negated(span: Span) -> bool:
    """A negator in the three words before the match, within its clause."""
    doc = span.doc
    for i in range(span.start - 1, max(span.start - 4, -1), -1):
        word = doc[i].lower_
        if word in p.CLAUSE_BREAKS:
            return False
        if word in p.NEGATORS:
            return True
    return False


def _about_nobody_in_particular(doc: Doc, span: Span) -> bool:
    """An informational question or an "if" about someone in general.

    "What do you do if someone isn't breathing?" is a question about overdose,
    not an emergency; "what do I do, my son isn't breathing" is one.
    """
    words = [t.lower_ for t in doc]
    mentions_someone_generic = bool(set(words) & p.GENERIC_PEOPLE)
    for i in range(span.start):
        if words[i] not in p.HYPOTHETICALS:
            continue
        following = set(words[i + 1 : i + 3])
        # "if someone ..." or "someone ... if they ..."
        if following & p.GENERIC_PEOPLE or (
            mentions_someone_generic and following & {"they", "them"}
        ):
            return True
    # "can not breathe" opens with "can" but is no question.
    opens_question = words[0] in p.QUESTION_WORDS and words[1:2] != ["not"]
    question = opens_question or "?" in words
    return question and not set(words) & p.PARTICULAR_PEOPLE


@lru_cache(maxsize=1)
def shared_detector() -> CrisisDetector:
    """One detector a process: building the matchers takes a moment."""
    return CrisisDetector()
