"""The call-back form's slots and what the call-back actions share. Not an action.

The form (callback_form in domain.yml) asks, in order: a first name or
nickname (optional), the phone number, a time window, whether a voicemail may
be left, whether a text is okay. No slot ever holds the number: the number's
slot, `callback_number_held`, is a boolean set once the number is in the queue
(storage/callbacks.py).
"""

from typing import Any

from rasa_sdk.events import SlotSet

FORM = "callback_form"
NAME = "callback_name"
NUMBER_HELD = "callback_number_held"
WINDOW = "callback_window"
VOICEMAIL = "callback_voicemail"
TEXT_OK = "callback_text_ok"
REQUESTED_SLOT = "requested_slot"
# The question whose last answer could not be read: it is asked again with a hint.
HINT = "callback_hint"
FORM_SLOTS = (NAME, NUMBER_HELD, WINDOW, VOICEMAIL, TEXT_OK)

# The one input channel that knows the person's number: the SMS channel holds
# it in the queue before it sends /request_callback.
SMS_CHANNEL = "twilio"


def cleared() -> list[dict[str, Any]]:
    """Events that empty the form's slots, for a fresh start or after the end."""
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, HINT, REQUESTED_SLOT)]
