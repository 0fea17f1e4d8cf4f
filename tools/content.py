"""Reading the curated content as reviewers see it: one record per topic."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "data" / "content"
OUTLINE = ROOT.parent / "shared" / "content-outline.md"


def outline_ids() -> list[str]:
    """Topic ids in the order of ../shared/content-outline.md."""
    return [
        topic_id
        for topic_id in re.findall(r"^\| ([a-z_]+) \|", OUTLINE.read_text(), re.MULTILINE)
        if topic_id != "id"
    ]


@dataclass
class Topic:
    id: str
    area: str
    examples: list[str] = field(default_factory=list)
    variants: list[dict] = field(default_factory=list)

    @property
    def web(self) -> dict:
        return next(v for v in self.variants if "channel" not in v)

    @property
    def sms(self) -> dict:
        return next(v for v in self.variants if v.get("channel") == "twilio")


def examples_of(block: str) -> list[str]:
    return [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]


def load_topics() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for path in sorted(CONTENT_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text())
        for block in data.get("nlu", []):
            topic_id = block["intent"].split("/", 1)[1]
            topic = topics.setdefault(topic_id, Topic(topic_id, path.stem))
            topic.examples += examples_of(block["examples"])
        for name, variants in (data.get("responses") or {}).items():
            topic_id = name.split("/", 1)[1]
            topics.setdefault(topic_id, Topic(topic_id, path.stem)).variants = variants
    return topics


def fill(text: str) -> str:
    """The text as a person reads it, with the center's facts filled in."""
    from center.facts import center_name, helpline

    return text.replace("{helpline}", helpline()).replace("{center_name}", center_name())
