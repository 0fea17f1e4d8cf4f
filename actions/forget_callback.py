"""action_forget_callback: a cancelled call-back request leaves no number behind.

Run after the person cancels the form (data/rules/callbacks.yml), once the
reply has been sent: the number held for the request, if any, is deleted from
the queue at once. (A request interrupted any other way, by an urgent message
for one, has its held number deleted after a day, by the queue itself and by
make purge.)
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.callback_slots import cleared
from storage.callbacks import CallbackQueue


class ActionForgetCallback(Action):
    def name(self) -> str:
        return "action_forget_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        queue = CallbackQueue.from_environment()
        if queue.available:
            queue.discard(tracker.sender_id)
        return cleared()
