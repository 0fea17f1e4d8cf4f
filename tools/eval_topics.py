"""make eval-nlu, blind sets: does a real question reach the right curated answer?

The blind topic sets (tests/data/topic_blind_*.yml) were written by writers
who never saw the training data; each has up to five parts:
- real_world: questions in the wording of public FAQ pages, Q&A pages and
  letters from families, each with the topic that answers it;
- paraphrases: fresh rewordings, each with its topic;
- questions: the same, in another language (the Spanish sets, *_es_*): each
  is also asked in a conversation of its own, and counts as answered in its
  language when the reply is that topic's curated answer in that language;
- follow_ups: two-turn conversations, a question and then a short follow-up
  that only makes sense after it, with the topic that answers the follow-up;
- off_topic: messages that must get no curated answer;
- off_topic_follow_ups: the same, said right after a question about a topic
  (the follow-up reading must not turn them into that topic's neighbours);
- near_miss_dose: questions that sound like dose asks but ask what a medicine
  is, where to get treatment, how MAT works or about drug tests: never declined.

For each part it reports accuracy and macro-F1 over the topics, the weakest
topics, and how often a curated answer went to a question that belongs to
another topic (a wrong answer is worse than none: the person may act on it).
"""

import argparse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

from nlu_components.topics import RETRIEVAL_INTENT, selected_topic
from tools.content import Topic, fill, load_topics
from tools.in_process import ROOT, Assistant

BLIND = sorted((ROOT / "tests" / "data").glob("topic_blind_*.yml"))
DECLINE = "ask_dose_or_drugs"
TOPIC_PREFIX = f"{RETRIEVAL_INTENT}/"


def label(parse: dict) -> str:
    """faq/<id> for a curated answer, else the intent (out_of_scope, choose_topic, ...)."""
    return selected_topic(parse) or parse["intent"]["name"]


@dataclass
class Part:
    """The outcome of one part of a blind set: (expected, predicted) per message."""

    name: str
    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(e == p for e, p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def macro_f1(self) -> float:
        truth = [e for e, _ in self.pairs]
        return f1_score(
            truth,
            [p for _, p in self.pairs],
            labels=sorted(set(truth)),
            average="macro",
            zero_division=0,
        )

    @property
    def wrong_answer_rate(self) -> float:
        """Messages given the curated answer of a topic other than theirs."""
        wrong = [p for e, p in self.pairs if p.startswith(TOPIC_PREFIX) and p != e]
        return len(wrong) / len(self.pairs) if self.pairs else 0.0

    def weakest(self, count: int = 6) -> list[tuple[str, float, int]]:
        by_topic: dict[str, list[bool]] = defaultdict(list)
        for e, p in self.pairs:
            by_topic[e].append(e == p)
        scored = [(t, sum(v) / len(v), len(v)) for t, v in by_topic.items()]
        return sorted(scored, key=lambda item: (item[1], -item[2]))[:count]

    def confusions(self, count: int = 8) -> list[tuple[str, int]]:
        return Counter(f"{e} -> {p}" for e, p in self.pairs if e != p).most_common(count)


def score(assistant: Assistant, path: Path, conversations: bool = True) -> dict[str, object]:
    """Every part of the blind set at `path`; follow-ups need a whole model (`conversations`)."""
    data = yaml.safe_load(path.read_text())
    results: dict[str, object] = {}
    for name in ("real_world", "paraphrases", "questions"):
        part = Part(name)
        for item in data.get(name) or []:
            part.pairs.append((TOPIC_PREFIX + item["topic"], label(assistant.parse(item["text"]))))
        results[name] = part
    language = "es" if "_es_" in path.stem else None
    if conversations and language and data.get("questions"):
        answered = 0
        topics = load_topics()  # parsed once: it reads every content file
        for item in data["questions"]:
            replies = assistant.say(f"eval-{uuid.uuid4().hex[:10]}", item["text"])
            texts = {reply.get("text") for reply in replies}
            answered += bool(texts & answers_in(topics[item["topic"]], language))
        results["answered_in_language"] = (answered / len(data["questions"]), language)
    if conversations and data.get("follow_ups"):
        part = Part("follow_ups")
        for item in data["follow_ups"]:
            sender = f"eval-{uuid.uuid4().hex[:10]}"
            assistant.say(sender, item["first"])
            part.pairs.append(
                (TOPIC_PREFIX + item["topic"], assistant.last_reading(sender, item["then"]))
            )
        results["follow_ups"] = part
    if conversations and data.get("off_topic_follow_ups"):
        predicted = []
        for item in data["off_topic_follow_ups"]:
            sender = f"eval-{uuid.uuid4().hex[:10]}"
            assistant.say(sender, item["first"])
            predicted.append(assistant.last_reading(sender, item["then"]))
        results["off_topic_follow_ups"] = unanswered(predicted)
    if data.get("off_topic"):
        results["off_topic"] = unanswered(
            [label(assistant.parse(item["text"])) for item in data["off_topic"]]
        )
    if data.get("near_miss_dose"):
        part = Part("near_miss_dose")
        for item in data["near_miss_dose"]:
            part.pairs.append((TOPIC_PREFIX + item["topic"], label(assistant.parse(item["text"]))))
        declined = sum(p == DECLINE for _, p in part.pairs)
        results["near_miss_dose"] = part
        results["near_miss_declined"] = (declined, len(part.pairs))
    return results


def unanswered(predicted: list[str]) -> tuple[float, int, list[tuple[str, int]]]:
    """Off-topic readings: the share given no curated answer, how many, the topics given."""
    return (
        sum(not p.startswith(TOPIC_PREFIX) for p in predicted) / len(predicted),
        len(predicted),
        Counter(p for p in predicted if p.startswith(TOPIC_PREFIX)).most_common(5),
    )


def answers_in(topic: Topic, language: str) -> set[str]:
    """The web texts of a topic's curated answer in `language`, as a person reads them."""
    return {
        fill(variant["text"].strip())
        for variant in topic.variants
        if "channel" not in variant
        and {"type": "slot", "name": "language", "value": language}
        in (variant.get("condition") or [])
    }


def print_scores(title: str, results: dict[str, object]) -> None:
    print(f"\n== {title}")
    for name in ("real_world", "paraphrases", "questions", "follow_ups", "near_miss_dose"):
        part = results.get(name)
        if not isinstance(part, Part) or not part.pairs:
            continue
        print(
            f"{name:15s} n={len(part.pairs):3d}  accuracy {part.accuracy:.3f}  "
            f"macro-F1 {part.macro_f1:.3f}  wrong curated answer {part.wrong_answer_rate:.3f}"
        )
        print("   weakest: " + ", ".join(f"{t[4:]} {a:.2f} ({n})" for t, a, n in part.weakest()))
        for pair, count in part.confusions(5):
            print(f"   {count} x {pair}")
    if "answered_in_language" in results:
        rate, language = results["answered_in_language"]
        print(f"right curated answer, in {language}: {rate:.3f}")
    if "near_miss_declined" in results:
        declined, total = results["near_miss_declined"]
        print(f"near-miss questions declined as dose asks: {declined}/{total}")
    for name in ("off_topic", "off_topic_follow_ups"):
        if name in results:
            rate, total, answered = results[name]
            print(
                f"{name:15s} n={total:3d}  given no curated answer {rate:.3f}  answered: {answered}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="blind sets (default: tests/data/topic_blind_*.yml)"
    )
    args = parser.parse_args()
    assistant = Assistant()
    for path in args.files or BLIND:
        print_scores(path.stem, score(assistant, path))


if __name__ == "__main__":
    main()
