"""The trained custom components keep what they learn as one JSON value.

Rasa hands each component a resource in the model to write into when trained
and to read back when the model loads; this base class does both, so a
component only says what it learns (`train`) and how it uses it (`use_state`).
"""

import json
from typing import Any, ClassVar, Dict

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class JsonStateComponent(GraphComponent):
    # The file in the component's model resource that holds its state.
    STATE_FILE: ClassVar[str]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "JsonStateComponent":
        return cls(config, model_storage, resource, state=None)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "JsonStateComponent":
        with model_storage.read_from(resource) as directory:
            state = json.loads((directory / cls.STATE_FILE).read_text())
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

    def use_state(self, config: Dict[str, Any], state: Any) -> None:
        """Takes the component's settings and what `save_state` wrote (None before training)."""
        raise NotImplementedError

    def save_state(self, state: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.STATE_FILE).write_text(json.dumps(state))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
