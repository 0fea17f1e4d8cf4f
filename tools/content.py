"""Reading the curated content as reviewers see it: one record per topic.

The project's own list of topics is what data/content/ answers: every topic id
is the `<id>` of a response `utter_faq/<id>` there (and of its intent
`faq/<id>`), in the order the files and their responses are written.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "data" / "content"

PENDING = "pending"
SIGNED = "signed"


@dataclass
class Topic:
    id: str
    area: str
    examples: list[str] = field(default_factory=list)
    variants: list[dict] = field(default_factory=list)

    def variant(self, channel: str | None = None, language: str = "en") -> dict:
        """The answer on a channel (None: the web, "twilio": SMS) in a language,
        as readers see it once the center's facts are given: the variant with
        no condition but the language's ("en" has none at all)."""
        wanted = (
            [] if language == "en" else [{"type": "slot", "name": "language", "value": language}]
        )
        return next(
            v
            for v in self.variants
            if v.get("channel") == channel and (v.get("condition") or []) == wanted
        )

    @property
    def web(self) -> dict:
        return self.variant(None)

    @property
    def sms(self) -> dict:
        return self.variant("twilio")

    @property
    def signoff(self) -> dict:
        """Who signed the topic off clinically and when, or {"status": "pending"}.

        Recorded in the web answer's metadata (the SMS answer repeats it); a topic
        with no record is pending.
        """
        return (self.web.get("metadata") or {}).get("signoff") or {"status": PENDING}

    @property
    def signed(self) -> bool:
        return self.signoff.get("status") == SIGNED

    @property
    def last_reviewed(self) -> date:
        return date.fromisoformat(str(self.web["metadata"]["last_reviewed"]))


def examples_of(block: str) -> list[str]:
    return [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]


def load_topics() -> dict[str, Topic]:
    """Every curated topic, keyed by id, in the order of data/content/."""
    topics: dict[str, Topic] = {}
    for path in sorted(CONTENT_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        for name, variants in (data.get("responses") or {}).items():
            topic_id = name.split("/", 1)[1]
            topics.setdefault(topic_id, Topic(topic_id, path.stem)).variants = variants
        for block in data.get("nlu", []):
            topic_id = block["intent"].split("/", 1)[1]
            topic = topics.setdefault(topic_id, Topic(topic_id, path.stem))
            topic.examples += examples_of(block["examples"])
    return topics


def topic_ids() -> list[str]:
    """The ids of the topics data/content/ answers, in the order they are written."""
    return [topic.id for topic in load_topics().values() if topic.variants]


def fill(text: str) -> str:
    """The text as a person reads it, with the center's facts filled in."""
    from center.facts import center_name, helpline

    return text.replace("{helpline}", helpline()).replace("{center_name}", center_name())
