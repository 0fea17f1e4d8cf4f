"""What the assistant is compared with, behind the same parse() as tools.in_process.

tools/eval_nlu.py's evaluate() only calls parse(text) and reads the intent and
the `faq` response selector, so every system measured here answers in that shape.
"""

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from tools.eval_nlu import examples
from tools.in_process import ROOT, Assistant

# Where the training examples live: curated topics (faq/<id>) and the other intents.
TRAINING_DATA = [ROOT / "data" / "content", ROOT / "data" / "nlu"]


def training_examples() -> list[tuple[str, str]]:
    return [pair for folder in TRAINING_DATA for pair in examples(folder)]


def parse_result(text: str, label: str, confidence: float) -> dict[str, Any]:
    """A label (faq/<id> or an intent) in the shape of Rasa's parse data."""
    if not label.startswith("faq/"):
        return {"text": text, "intent": {"name": label, "confidence": confidence}}
    return {
        "text": text,
        "intent": {"name": "faq", "confidence": confidence},
        "response_selector": {"faq": {"response": {"intent_response_key": label}}},
    }


class TfidfNearestNeighbour:
    """The label of the most similar training example, by cosine on TF-IDF.

    Word uni/bigrams plus character n-grams within words (robust to the
    misspellings people text). No similarity threshold: it always answers,
    which is its best case for held-out accuracy.
    """

    def __init__(self, training: list[tuple[str, str]]) -> None:
        self.vectorizer = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        )
        self.matrix = self.vectorizer.fit_transform([text for text, _ in training])
        self.labels = [label for _, label in training]

    def parse(self, text: str) -> dict[str, Any]:
        # Each half of the union is unit-length, so the dot product / 2 is the mean cosine.
        similarity = (self.matrix @ self.vectorizer.transform([text]).T).toarray().ravel() / 2
        best = int(np.argmax(similarity))
        return parse_result(text, self.labels[best], float(similarity[best]))


class StockAssistant:
    """Stock Rasa's model, read the way eval_nlu reads ours.

    The default pipeline's ResponseSelector has no `retrieval_intent`, so it
    answers under the key "default" rather than "faq".
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def parse(self, text: str) -> dict[str, Any]:
        parse = self.assistant.parse(text)
        selectors = parse.get("response_selector", {})
        if "faq" not in selectors and "default" in selectors:
            selectors["faq"] = selectors["default"]
        return parse

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        return self.assistant.say(sender, text)

    def close(self) -> None:
        self.assistant.close()
