"""action_start_callback: before the call-back form asks anything.

Run by the rule for /request_callback (data/rules/callbacks.yml). When
numbers can be kept (CALLBACK_KEY is set and the queue's database answers), it
hands over to utter_callback_consent, what is kept and for how long, after
which a rule starts the form. Otherwise it says it cannot take the request and
gives the helpline. If it cannot run at all (action server down), nothing is
said, and the channel's never-silent reply gives the helpline: no form starts
that could not finish.

It also starts each request afresh: the form's slots are emptied, and a number
held for an earlier, unfinished request is deleted, except on SMS, where the
channel has just held the number it knows and the form does not ask for it.
"""

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.callback_delivery import start_retrying
from actions.callback_slots import NUMBER_HELD, SMS_CHANNEL, cleared
from storage import log_redaction
from storage.callbacks import CallbackQueue

# The action server's logs are redacted like the Rasa server's.
log_redaction.install()
logger = logging.getLogger(__name__)

# What is kept, who sees it and for how long: said before the first question.
CONSENT = "utter_callback_consent"


class ActionStartCallback(Action):
    def name(self) -> str:
        return "action_start_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        queue = CallbackQueue.from_environment()
        if not queue.available:
            dispatcher.utter_message(response="utter_callback_unavailable")
            return cleared()
        start_retrying()
        number_held = None
        try:
            if tracker.get_latest_input_channel() == SMS_CHANNEL and queue.has_held_number(
                tracker.sender_id
            ):
                number_held = True
            else:
                queue.discard(tracker.sender_id)
        except Exception as error:  # the database: the person is given the helpline
            logger.error("The call-back queue cannot be used (%s): %s", type(error).__name__, error)
            dispatcher.utter_message(response="utter_callback_unavailable")
            return cleared()
        return [*cleared(), SlotSet(NUMBER_HELD, number_held), FollowupAction(CONSENT)]
