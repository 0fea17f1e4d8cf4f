"""What `make review` counts, read from the tracker store and the handoff audit.

The tracker store keeps one row per Rasa event (its JSON in `data`); a sender's
rows in id order are one conversation. The review walks them once, a sender at a
time, and keeps only counts and the redacted text of unanswered questions, never
who wrote them. Days are the server's local days.
"""

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from itertools import groupby
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url

from nlu_components.topics import selected_topic
from storage.redaction import redact

# A question went unanswered when the NLU gave up on it, or the dialogue answered
# it with one of the "I can't help with that" replies; action_default_fallback is
# the dialogue policy's own fallback, for when no next step is certain.
UNANSWERED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
UNANSWERED_ACTIONS = frozenset({"utter_fallback", "utter_out_of_scope", "action_default_fallback"})

# Two questions are alike when they share at least half their meaningful words.
SIMILARITY = 0.5
EXAMPLES = 3

# Words that say nothing about the topic; left in, "what is the cost of detox" and
# "what is the cost of rehab" would look alike.
STOP_WORDS = frozenset(
    """
    a an and are as at be can could do does for from get have how i if in is it me my of on
    or so that the there this to what when where which who why will with would you your
    im i'm it's please hi hello
    """.split()  # noqa: SIM905 (fifty quoted words would read worse)
)
WORD = re.compile(r"[a-z0-9']+")

events = sa.table(
    "events",
    sa.column("id"),
    sa.column("sender_id"),
    sa.column("type_name"),
    sa.column("timestamp"),
    sa.column("intent_name"),
    sa.column("action_name"),
    sa.column("data"),
)


@dataclass
class QuestionGroup:
    """Unanswered messages that ask much the same thing (redacted texts)."""

    messages: list[str]

    @property
    def representative(self) -> str:
        """The wording people used most; the earliest on a tie."""
        return Counter(self.messages).most_common(1)[0][0]

    @property
    def examples(self) -> list[str]:
        """Up to EXAMPLES other wordings, most frequent first."""
        others = [text for text, _ in Counter(self.messages).most_common()]
        return [text for text in others if text != self.representative][:EXAMPLES]


@dataclass
class Review:
    first: date
    last: date
    conversations_per_day: dict[date, int]
    conversations: int = 0
    messages: int = 0
    unanswered: list[QuestionGroup] = field(default_factory=list)
    topics: Counter[str] = field(default_factory=Counter)
    handoffs_by_category: Counter[str] = field(default_factory=Counter)
    handoffs_by_channel: Counter[str] = field(default_factory=Counter)
    # True when handoffs were counted by the audit, False when recovered from
    # the conversations (which are purged after 30 days, so may undercount).
    handoffs_from_audit: bool = False

    @property
    def unanswered_count(self) -> int:
        return sum(len(group.messages) for group in self.unanswered)

    @property
    def handoffs(self) -> int:
        return sum(self.handoffs_by_category.values())


def words(text: str) -> frozenset[str]:
    """The meaningful words of a message, lower case, plurals folded."""
    tokens = (w.strip("'") for w in WORD.findall(text.lower()))
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in tokens
        if w and w not in STOP_WORDS
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity; two messages of stop words only are alike if they are equal."""
    if a == b:
        return 1.0
    return len(a & b) / len(a | b)


def group_questions(messages: Iterable[str]) -> list[QuestionGroup]:
    """Each message joins the most similar group (compared with the group's first
    message) when it is similar enough, else starts its own; biggest group first."""
    seeds: list[frozenset[str]] = []
    groups: list[QuestionGroup] = []
    for message in messages:
        tokens = words(message)
        scores = [similarity(tokens, seed) for seed in seeds]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= SIMILARITY:
            groups[best].messages.append(message)
        else:
            seeds.append(tokens)
            groups.append(QuestionGroup([message]))
    return sorted(groups, key=lambda group: len(group.messages), reverse=True)


def topic_of(data: dict[str, Any]) -> str | None:
    """faq/<id> for a stored curated-topic question, else None."""
    return selected_topic(data.get("parse_data") or {})


def local_day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp).date()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


@dataclass
class _Tally:
    """The counts so far; fed one conversation at a time."""

    review: Review
    count_handoffs: bool
    # (time, redacted text): grouped in the order people asked them.
    unanswered: list[tuple[float, str]] = field(default_factory=list)

    def add_conversation(self, rows: Iterable[Any]) -> None:
        days: set[date] = set()
        question: str | None = None  # the last user message, until it is counted
        asked = 0.0
        channel = "unknown"
        for row in rows:
            if row.type_name == "user":
                data = json.loads(row.data or "{}")
                days.add(local_day(row.timestamp))
                self.review.messages += 1
                channel = data.get("input_channel") or "unknown"
                topic = topic_of(data)
                if topic:
                    self.review.topics[topic] += 1
                # Stored messages are redacted already; this is belt and braces.
                question = redact(data.get("text") or "").strip() or None
                asked = row.timestamp
                if question and row.intent_name in UNANSWERED_INTENTS:
                    self.unanswered.append((asked, question))
                    question = None
            elif row.type_name == "action" and row.action_name in UNANSWERED_ACTIONS:
                if question:
                    self.unanswered.append((asked, question))
                question = None
            elif row.type_name == "bot" and self.count_handoffs:
                custom = (json.loads(row.data or "{}").get("data") or {}).get("custom") or {}
                if custom.get("handoff") is True:
                    self.review.handoffs_by_category[str(custom.get("reason"))] += 1
                    self.review.handoffs_by_channel[channel] += 1
        for day in days:
            self.review.conversations_per_day[day] += 1
        self.review.conversations += bool(days)


def open_db(db: str, table: str) -> Engine | None:
    """An engine for a SQLAlchemy URL or SQLite file if it holds `table`, else None.
    Only reads: a missing SQLite file is not created."""
    url = db if "://" in db else f"sqlite:///{db}"
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and not Path(parsed.database or "").is_file():
        return None
    engine = sa.create_engine(url, future=True)
    if sa.inspect(engine).has_table(table):
        return engine
    engine.dispose()
    return None


def count_audited_handoffs(engine: Engine, review: Review) -> None:
    # Read as storage/handoff_audit.py created it; importing that module would load all of Rasa.
    handoffs = sa.Table("handoffs", sa.MetaData(), autoload_with=engine)
    # The audit stores UTC times; SQLite keeps them without the offset, and
    # comparing with UTC datetimes is right for both it and PostgreSQL.
    start = local_midnight(review.first).astimezone(timezone.utc)
    end = local_midnight(review.last + timedelta(days=1)).astimezone(timezone.utc)
    query = (
        sa.select(handoffs.c.category, handoffs.c.channel, sa.func.count())
        .where(handoffs.c.occurred_at >= start, handoffs.c.occurred_at < end)
        .group_by(handoffs.c.category, handoffs.c.channel)
    )
    with engine.connect() as connection:
        for category, channel, count in connection.execute(query):
            review.handoffs_by_category[category] += count
            review.handoffs_by_channel[channel] += count


def count_conversations(engine: Engine, tally: _Tally) -> None:
    review = tally.review
    start = local_midnight(review.first).timestamp()
    end = local_midnight(review.last + timedelta(days=1)).timestamp()
    query = (
        sa.select(
            events.c.sender_id,
            events.c.type_name,
            events.c.timestamp,
            events.c.intent_name,
            events.c.action_name,
            events.c.data,
        )
        .where(
            events.c.type_name.in_(["user", "action", "bot"]),
            events.c.timestamp >= start,
            events.c.timestamp < end,
        )
        .order_by(events.c.sender_id, events.c.id)
    )
    # Streamed a conversation at a time: a month of events need not fit in memory.
    with engine.connect() as connection:
        rows = connection.execution_options(stream_results=True).execute(query)
        for _, conversation in groupby(rows, key=lambda row: row.sender_id):
            tally.add_conversation(conversation)


def collect(db_url: str, audit_db: str, first: date, last: date) -> Review:
    """The review of the local days first..last (inclusive); each database is a
    SQLAlchemy URL or a SQLite file."""
    days = (last - first).days + 1
    review = Review(first, last, {first + timedelta(days=i): 0 for i in range(days)})
    audit = open_db(audit_db, "handoffs")
    if audit:
        count_audited_handoffs(audit, review)
        review.handoffs_from_audit = True
        audit.dispose()
    tally = _Tally(review, count_handoffs=not audit)
    conversations = open_db(db_url, "events")
    if conversations:
        count_conversations(conversations, tally)
        conversations.dispose()
    review.unanswered = group_questions(text for _, text in sorted(tally.unanswered))
    return review
