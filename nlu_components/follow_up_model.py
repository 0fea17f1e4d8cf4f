"""What a short follow-up asks, read with the topic of the question before it.

The ResponseSelector reads each message alone, so "how long do people stay on
it?" is about nothing in particular. This model reads the follow-up's words
together with two context features, the previous topic and its area (the
file of data/content/ the topic lives in), in one linear model over character
and word n-grams (scikit-learn, as the safety check's risk model). It learns:
- from every curated topic's examples, read with no context, so it knows each
  topic's own words; some of them once more with a random previous topic, so
  that a question that names its own subject keeps its topic whatever came
  before;
- from two-turn conversations written by separate writers (data/follow_ups/),
  whose follow-up is read with the first question's topic, so it learns where
  people go next ("how long do people stay on it?" after methadone is
  mat_duration; "can i do that at home?" after withdrawal is detox_at_home).

TopicContext (nlu_components/topic_context.py) mixes its probabilities with
the ResponseSelector's ranking.
"""

import random
from pathlib import Path
from typing import Iterable

import scipy.sparse as sp
import yaml
from scipy.special import softmax
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union

# Share of the topics' own examples also learnt after a random previous topic.
# Chosen on development conversations (a fifth of data/follow_ups/ held out,
# and the folded blind sets' follow-ups), never on a blind set: with none,
# questions that name their subject lost about 1 in 40 to the previous topic;
# with 0.3, none, for a few follow-ups.
RANDOM_CONTEXT_SHARE = 0.3
# How much the context features weigh beside the text's n-grams.
CONTEXT_WEIGHT = 3.0


def conversations(folder: Path) -> list[dict[str, str]]:
    """The two-turn conversations of data/follow_ups/: first, first_topic, then, topic."""
    found: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        found += yaml.safe_load(path.read_text()).get("follow_ups") or []
    return found


class FollowUpModel:
    def __init__(self, area: dict[str, str]) -> None:
        self._area = area  # topic id -> area
        self._text = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
            TfidfVectorizer(
                analyzer="word",
                ngram_range=(1, 2),
                sublinear_tf=True,
                token_pattern=r"(?u)\b\w+\b",
            ),
        )
        self._context = DictVectorizer()
        self._classifier = LogisticRegression(C=10, max_iter=3000)

    def _context_of(self, previous: str | None) -> dict[str, float]:
        if not previous:
            return {}
        return {
            f"topic={previous}": CONTEXT_WEIGHT,
            f"area={self._area.get(previous)}": CONTEXT_WEIGHT,
        }

    @classmethod
    def train(
        cls,
        area: dict[str, str],
        examples: Iterable[tuple[str, str]],
        follow_ups: Iterable[dict[str, str]],
    ) -> "FollowUpModel":
        """`examples`: (text, topic id) read alone; `follow_ups`: two-turn conversations."""
        model = cls(area)
        shuffle = random.Random(7)  # the same model from the same data
        topics = sorted(area)
        texts: list[str] = []
        contexts: list[dict[str, float]] = []
        labels: list[str] = []
        for text, topic in examples:
            texts.append(text)
            contexts.append({})
            labels.append(topic)
            if shuffle.random() < RANDOM_CONTEXT_SHARE:
                texts.append(text)
                contexts.append(model._context_of(shuffle.choice(topics)))
                labels.append(topic)
        for conversation in follow_ups:
            texts.append(conversation["then"])
            contexts.append(model._context_of(conversation["first_topic"]))
            labels.append(conversation["topic"])
        features = sp.hstack(
            [model._text.fit_transform(texts), model._context.fit_transform(contexts)]
        ).tocsr()
        model._classifier.fit(features, labels)
        return model

    def probabilities(self, text: str, previous: str | None) -> dict[str, float]:
        """topic id -> probability that `text`, said after `previous`, asks about it."""
        features = sp.hstack(
            [self._text.transform([text]), self._context.transform([self._context_of(previous)])]
        ).tocsr()
        # The multinomial model's own probabilities, from the message's few
        # non-zero features: predict_proba multiplies by the whole weight
        # matrix and costs about 4 ms a message, this a few microseconds.
        classifier = self._classifier
        scores = classifier.coef_[:, features.indices] @ features.data + classifier.intercept_
        return dict(zip(classifier.classes_, softmax(scores), strict=True))
