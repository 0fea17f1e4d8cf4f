"""action_submit_callback: the call-back form is complete: save the request, say so.

The number is already in the queue (held by action_read_callback_answer, or
by the SMS channel); the request adds the first name, the time window and the
choices (storage/callbacks.py). Staff are then emailed in the background
(actions/callback_delivery.py): the reply never waits for the mail server,
and a mail server that is down only delays the email.

The person is told what is true: the request is saved (or, if it could not
be, that it was not), when to expect the call, and the helpline in case they
need someone sooner. The center's hours are mentioned only where they are
filled in (domain.yml, center/facts.py): never a placeholder, never a guess.
In Spanish when the conversation is (the `language` slot), else in English.
"""

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.callback_delivery import deliver_soon, start_retrying
from actions.callback_slots import NAME, TEXT_OK, VOICEMAIL, WINDOW, cleared
from center.facts import center_hours, helpline, helpline_hours
from storage import log_redaction
from storage.callbacks import CallbackQueue, NoNumberHeld

log_redaction.install()
logger = logging.getLogger(__name__)

# When the call comes, in the person's words, by window.
WHEN = {
    "now": "as soon as they can",
    "today": "later today",
    "tomorrow_morning": "tomorrow morning",
    "tomorrow_afternoon": "tomorrow afternoon",
    "tomorrow_evening": "tomorrow evening",
}
WHEN_ES = {
    "now": "lo antes posible",
    "today": "más tarde hoy",
    "tomorrow_morning": "mañana en la mañana",
    "tomorrow_afternoon": "mañana en la tarde",
    "tomorrow_evening": "mañana en la noche",
}
SPANISH = "es"


def choices_sentence(voicemail: bool, text_ok: bool, language: str = "en") -> str:
    if language == SPANISH:
        if voicemail and text_ok:
            return "Si no contesta, le pueden dejar un mensaje de voz o de texto."
        if voicemail:
            return "Si no contesta, le pueden dejar un mensaje de voz, pero no de texto."
        if text_ok:
            return "Si no contesta, le pueden enviar un texto, pero no un mensaje de voz."
        return "No le van a dejar mensajes de voz ni de texto."
    if voicemail and text_ok:
        return "If you miss the call, they may leave a voicemail or send a text."
    if voicemail:
        return "If you miss the call, they may leave a voicemail, but won't text."
    if text_ok:
        return "If you miss the call, they may text you, but won't leave a voicemail."
    return "They won't leave a voicemail or send a text."


def hours_sentences(language: str = "en") -> list[str]:
    """What the center has said about its hours; nothing where it has said nothing."""
    said = []
    spanish = language == SPANISH
    if center_hours():
        said.append(
            f"Nuestro personal llama en este horario: {center_hours()}."
            if spanish
            else f"Our staff call back during our hours: {center_hours()}."
        )
    if helpline_hours():
        said.append(
            f"Nuestra línea de ayuda atiende {helpline_hours()}."
            if spanish
            else f"Our helpline is answered {helpline_hours()}."
        )
    return said


def confirmation(
    name: str, window: str, voicemail: bool, text_ok: bool, language: str = "en"
) -> str:
    """The reply once the request is saved, in the conversation's language."""
    if language == SPANISH:
        return " ".join(
            [
                f"Gracias, {name}." if name else "Gracias.",
                "Guardamos su solicitud de llamada.",
                f"Nuestro personal le va a llamar {WHEN_ES.get(window, WHEN_ES['now'])}.",
                choices_sentence(voicemail, text_ok, language),
                *hours_sentences(language),
                f"Para hablar antes, llame al {helpline()}. Emergencia: llame al 911.",
            ]
        )
    thanks = f"Thank you, {name}." if name else "Thank you."
    return " ".join(
        [
            thanks,
            "Your call-back request is saved.",
            f"Our staff will call you {WHEN.get(window, 'as soon as they can')}.",
            choices_sentence(voicemail, text_ok),
            *hours_sentences(),
            f"To talk sooner, call {helpline()}. Emergency: call 911.",
        ]
    )


class ActionSubmitCallback(Action):
    def name(self) -> str:
        return "action_submit_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        name = tracker.get_slot(NAME) or ""
        window = tracker.get_slot(WINDOW) or "now"
        voicemail = bool(tracker.get_slot(VOICEMAIL))
        text_ok = bool(tracker.get_slot(TEXT_OK))
        queue = CallbackQueue.from_environment()
        try:
            request_id = queue.submit(tracker.sender_id, name, window, voicemail, text_ok)
        except NoNumberHeld:
            dispatcher.utter_message(response="utter_callback_not_saved")
            return cleared()
        except Exception as error:  # the database: say so, and give the helpline
            logger.error(
                "A call-back request could not be saved (%s): %s", type(error).__name__, error
            )
            dispatcher.utter_message(response="utter_callback_not_saved")
            return cleared()
        logger.info("Call-back request #%d saved.", request_id)
        start_retrying()
        deliver_soon(queue)
        language = tracker.get_slot("language") or "en"
        dispatcher.utter_message(text=confirmation(name, window, voicemail, text_ok, language))
        return cleared()
