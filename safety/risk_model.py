"""The trained risk model: how likely a message is urgent, in which category, and its language.

Two small linear models over character and word n-grams (scikit-learn, a
dependency of Rasa already), so a message costs about a millisecond:
- risk: `not_urgent` or a category of safety/categories.py. A message's risk
  score is the probability that it is urgent at all, 1 - P(not_urgent), and its
  category the most likely urgent one. Accents are stripped for it, so "esta"
  and "está", "khong" and "không" read alike, as people type them.
- language: a distribution over safety.categories.LANGUAGES, from character
  n-grams with accents kept (they tell Portuguese from Spanish and mark
  Vietnamese), learnt from data/safety/ alone, whose messages are labelled
  with their language; safety/language.py reads the message's language from it.

What the scores mean in practice is decided by thresholds chosen on a
separate validation set (safety/assessment.py, tools/safety_thresholds.py).
"""

import pickle
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from safety.normalize import normalize
from safety.training_set import NOT_URGENT, Example


@dataclass(frozen=True)
class RiskReading:
    score: float  # probability that the message is urgent at all
    category: str  # the most likely urgent category
    languages: dict[str, float]  # language -> probability, over LANGUAGES


def _risk_pipeline() -> Pipeline:
    features = make_union(
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            sublinear_tf=True,
            strip_accents="unicode",
        ),
        TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            min_df=1,
            sublinear_tf=True,
            strip_accents="unicode",
            token_pattern=r"(?u)\b\w+\b",
        ),
    )
    # Balanced classes: urgent categories are far fewer than ordinary messages,
    # and a missed emergency costs more than a check-in.
    return make_pipeline(features, LogisticRegression(C=10, max_iter=5000, class_weight="balanced"))


def language_pipeline() -> Pipeline:
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True),
        LogisticRegression(C=10, max_iter=5000),
    )


class RiskModel:
    def __init__(self, risk: Pipeline, language: Pipeline) -> None:
        self._risk = risk
        self._language = language
        classes = list(risk.classes_)
        self._not_urgent = classes.index(NOT_URGENT)
        self._categories = [(i, label) for i, label in enumerate(classes) if label != NOT_URGENT]

    @classmethod
    def train(cls, examples: list[Example], languages: list[Example] | None = None) -> "RiskModel":
        """The risk model learns from `examples`; the language model from `languages`
        (default: the same), examples whose language is known. The assistant's NLU
        examples are labelled English (safety/training_set.py) but are not all
        English: learning languages from them read Spanish as English."""
        risk = _risk_pipeline().fit(
            [normalize(e.text) for e in examples], [e.label for e in examples]
        )
        languages = examples if languages is None else languages
        language = language_pipeline().fit(
            [e.text.lower() for e in languages], [e.language for e in languages]
        )
        return cls(risk, language)

    def read(self, text: str) -> RiskReading:
        risk = self._risk.predict_proba([normalize(text)])[0]
        index, category = max(self._categories, key=lambda entry: risk[entry[0]])
        languages = self._language.predict_proba([text.lower()])[0]
        return RiskReading(
            score=float(1.0 - risk[self._not_urgent]),
            category=category,
            languages={
                str(lang): float(p)
                for lang, p in zip(self._language.classes_, languages, strict=True)
            },
        )

    def dumps(self) -> bytes:
        return pickle.dumps(self)

    @staticmethod
    def loads(data: bytes) -> "RiskModel":
        model = pickle.loads(data)  # noqa: S301 - the model's own file, written by train()
        if not isinstance(model, RiskModel):
            raise TypeError("not a RiskModel")
        return model
