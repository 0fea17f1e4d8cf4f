"""Trained custom components that keep what they learn as one file.

Rasa hands each component a resource in the model to write into when trained
and to read back when the model loads. StoredStateComponent does both, so a
subclass says only:
- STATE_FILE: the file's name in its resource;
- encode / decode: the state to bytes and back;
- train(): what it learns, handed to save_state();
- use_state(): how it takes its settings and state (None before training).
JsonStateComponent keeps a JSON value.
"""

import hashlib
import json
from pathlib import Path
from typing import Any, ClassVar, Dict

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class StoredStateComponent(GraphComponent):
    STATE_FILE: ClassVar[str]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "StoredStateComponent":
        return cls(config, model_storage, resource, state=None)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "StoredStateComponent":
        with model_storage.read_from(resource) as directory:
            state = cls.decode((directory / cls.STATE_FILE).read_bytes())
        return cls(config, model_storage, resource, state)

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        state: Any,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.use_state(config, state)

    @staticmethod
    def encode(state: Any) -> bytes:
        raise NotImplementedError

    @staticmethod
    def decode(data: bytes) -> Any:
        raise NotImplementedError

    def use_state(self, config: Dict[str, Any], state: Any) -> None:
        """Takes the component's settings and what `save_state` wrote (None before training)."""
        raise NotImplementedError

    def save_state(self, state: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.STATE_FILE).write_bytes(self.encode(state))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


class JsonStateComponent(StoredStateComponent):
    @staticmethod
    def encode(state: Any) -> bytes:
        return json.dumps(state).encode()

    @staticmethod
    def decode(data: bytes) -> Any:
        return json.loads(data)


def files_fingerprint(folder: Path, code: list[Path]) -> str:
    """A digest of the *.yml files in `folder` and of `code`, for fingerprint_addon.

    Rasa retrains a component when its config, inputs or class source change;
    the files a component reads itself when it trains (its training folder)
    and the modules its class calls are none of those, so they join its
    fingerprint through this.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.yml")) + code:
        digest.update(path.read_bytes())
    return digest.hexdigest()
