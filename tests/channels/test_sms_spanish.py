"""SMS in Spanish: the keywords, the channel's own texts, and a conversation.

AYUDA and INFO get the help text (911 first); ALTO and PARAR are opt-outs,
which the channel confirms itself (Twilio acts only on its English words), and
STOP and the carriers' other words still work. MENÚ shows the menu, LLAMAR
asks for a call back. The channel's own texts (help, menu hints, MENU for more,
confirmations, the help lines) come in the conversation's language, the
`language` slot, or in Spanish for a Spanish keyword, and keep to the GSM
alphabet. First without a server (a stand-in assistant), then with signed
requests to the real servers.
"""

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from center.facts import center_name, helpline
from channels.never_silent import no_reply_text
from channels.sms import rendering
from channels.sms.handling import Keyword, SmsHandler, keyword, keyword_language
from channels.sms.optouts import OptOuts
from channels.sms.rendering import SEGMENT_TARGET, SmsReplies, is_gsm, segment_count
from safety.pattern_detector import shared_detector
from tests import stored
from tests.channels.sms_client import conversation_id, text
from tests.replies import LINES
from tools.content import ROOT, fill
from tools.local_servers import Servers

SENDER = "sms-spanish-test"
PHONE = "+14135550120"
MENU = [{"title": "Detox", "payload": "/menu_detox"}, {"title": "MAT", "payload": "/menu_mat"}]


def lines_in_order(reply: str) -> list[str]:
    """911, 988 and the helpline as the reply names them, a repeat in a row once."""
    lines = LINES.findall(reply)
    return [line for i, line in enumerate(lines) if i == 0 or lines[i - 1] != line]


# --- keywords ---


@pytest.mark.parametrize(
    ("message", "expected", "language"),
    [
        *[(w, Keyword.OPT_OUT, "es") for w in ["ALTO", "alto", " Alto. ", "PARAR", "parar!"]],
        *[(w, Keyword.HELP, "es") for w in ["AYUDA", "ayuda", "Ayuda."]],
        *[(w, Keyword.MENU, "es") for w in ["MENÚ", "menú", "Menú"]],
        *[(w, Keyword.YES, "es") for w in ["SÍ", "si", "Sí!"]],
        *[(w, Keyword.CALL, "es") for w in ["LLAMAR", "llámeme", "Llámenme!", "llamada"]],
        # The carriers' words and MENU, which Spanish speakers text too, set no language.
        *[(w, Keyword.OPT_OUT, None) for w in ["STOP", "stop", "CANCEL", "END", "QUIT"]],
        *[(w, Keyword.HELP, None) for w in ["HELP", "INFO", "info"]],
        ("MENU", Keyword.MENU, None),
        ("START", Keyword.OPT_IN, None),
        ("CALL ME", Keyword.CALL, None),
        # Sentences are the assistant's to read.
        ("alto ahí, no respira", None, None),
        ("quiero parar de usar", None, None),
        ("necesito ayuda con mi hijo", None, None),
        ("llamar al 911", None, None),
        ("2", None, None),
    ],
)
def test_spanish_keywords_are_whole_messages(message: str, expected, language):
    assert keyword(message) is expected
    assert keyword_language(message) == language


# --- the channel's own texts ---


def notices() -> dict[str, str]:
    return {
        "help": rendering.help_text("es"),
        "stopped": rendering.stopped("es"),
        "resumed": rendering.resumed("es"),
        "callback": rendering.callback_unavailable("es"),
        "text_only": rendering.text_only("es"),
        "wrong": rendering.wrong_number(5, "es"),
        "no_menu": rendering.wrong_number(0, "es"),
        "no_reply": no_reply_text("es"),
    }


@pytest.mark.parametrize("name", sorted(notices()))
def test_spanish_notices_are_gsm_and_fit_two_segments(name: str):
    notice = notices()[name]
    assert is_gsm(notice), notice
    assert segment_count(notice) <= SEGMENT_TARGET, (len(notice), notice)


def test_the_spanish_help_text_leads_with_911_then_988_then_the_helpline():
    help_text = rendering.help_text("es")
    assert help_text.startswith("Emergencia: llame al 911.")
    assert lines_in_order(help_text)[:3] == ["911", "988", helpline()]
    assert "marque 2" in help_text and "AYUDA" in help_text  # 988 in Spanish
    assert center_name() in help_text and "STOP" in help_text
    assert help_text.index(helpline()) < help_text.rindex("STOP")


def test_the_spanish_notices_name_the_emergency_lines_first():
    for name in ("stopped", "callback", "no_reply"):
        notice = notices()[name]
        lines = lines_in_order(notice)
        assert lines.index("911") < lines.index("988"), notice
    assert helpline() in notices()["callback"] and helpline() in notices()["no_reply"]
    assert "START" in notices()["stopped"]


def test_spanish_menu_hints():
    assert rendering.wrong_number(5, "es") == "Responda 1-5 o MENU"
    assert rendering.wrong_number(1, "es") == "Responda 1 o MENU"
    assert rendering.wrong_number(0, "es") == "Responda MENU para ver los temas"
    # Any other language: English, as before.
    assert rendering.wrong_number(5, "pt") == "Reply 1-5, or MENU"


def test_a_bare_ayuda_gets_the_urgent_reply_then_the_program_and_stop_in_spanish():
    urgent = (
        "Si es una emergencia, llame al 911 ahora. Si esta pensando en el suicidio, llame al "
        "988 y marque 2, o envie AYUDA por texto al 988. Para hablar ahora con una persona de "
        f"{center_name()}, llame a nuestra linea de ayuda, {helpline()}."
    )
    reply = rendering.with_help_content(urgent, "es")
    assert reply.startswith(urgent + "\n")
    assert "STOP" in reply and center_name() in reply.split("\n")[-1]
    assert "MENU" not in reply
    assert segment_count(reply) <= SEGMENT_TARGET


def test_menu_for_more_in_spanish():
    async def turn(language: str) -> str:
        replies = SmsReplies()
        await replies.send_response(
            "x", {"text": "Una respuesta corta.", "utter_action": "utter_faq/mat_methadone"}
        )
        return replies.text(language)

    assert asyncio.run(turn("es")) == "Una respuesta corta.\nMENU para otros temas"
    assert asyncio.run(turn("en")) == "Una respuesta corta.\nMENU for more"


# --- what an SMS gets, with a stand-in assistant in a given language ---


class SpanishAssistant:
    """A conversation in `language` (the slot), recording what reaches it."""

    def __init__(self, language: str = "es", menu: list[dict[str, Any]] | None = MENU) -> None:
        self.current = language
        self.asked: list[str] = []
        self.switched: list[str] = []
        self.menu = menu

    async def is_urgent(self, message: str) -> bool:
        return shared_detector().detect(message) is not None or message.upper() in {
            "HELP",
            "AYUDA",
        }

    async def last_menu(self) -> list[dict[str, Any]] | None:
        return self.menu

    async def ask(self, message: str) -> str:
        self.asked.append(message)
        return f"<{self.current}: {message}>"

    async def language(self) -> str:
        return self.current

    async def use_language(self, language: str) -> None:
        self.switched.append(language)
        self.current = language


@pytest.fixture
def optouts(tmp_path: Path) -> OptOuts:
    return OptOuts(str(tmp_path / "optouts.db"))


def answer(optouts: OptOuts, message: str, assistant: SpanishAssistant) -> str | None:
    return asyncio.run(SmsHandler(optouts).answer(SENDER, message, assistant, PHONE))


@pytest.mark.parametrize("word", ["ALTO", "parar", "Alto."])
def test_alto_and_parar_opt_out_and_are_confirmed_in_spanish(optouts, word):
    assistant = SpanishAssistant("en")
    assert answer(optouts, word, assistant) == rendering.stopped("es")
    assert optouts.is_opted_out(SENDER) and assistant.asked == []
    # Then nothing but urgent messages, help and START, as after STOP.
    assert answer(optouts, "qué es la metadona", assistant) is None
    assert answer(optouts, "START", SpanishAssistant("es")) == rendering.resumed("es")
    assert not optouts.is_opted_out(SENDER)


def test_stop_is_still_silent_in_a_spanish_conversation(optouts):
    assert answer(optouts, "STOP", SpanishAssistant("es")) is None
    assert optouts.is_opted_out(SENDER)
    # Sí from an opted-out number opts in, as YES does.
    assert answer(optouts, "Sí", SpanishAssistant("es")) == rendering.resumed("es")


def test_info_and_help_text_follow_the_conversations_language(optouts):
    assert answer(optouts, "INFO", SpanishAssistant("es")) == rendering.help_text("es")
    assert answer(optouts, "INFO", SpanishAssistant("en")) == rendering.help_text("en")
    assert answer(optouts, "INFO", SpanishAssistant("pt")) == rendering.help_text("en")


def test_a_bare_ayuda_switches_the_conversation_to_spanish_and_gets_the_urgent_reply(optouts):
    assistant = SpanishAssistant("en")
    reply = answer(optouts, "AYUDA", assistant) or ""
    assert assistant.switched == ["es"] and assistant.asked == ["AYUDA"]
    assert reply.startswith("<es: AYUDA>\n") and "STOP" in reply
    assert reply.endswith(rendering._programs(False, "es")[0])


def test_menu_and_llamar_switch_the_conversation_to_spanish(optouts):
    assistant = SpanishAssistant("en")
    assert answer(optouts, "MENÚ", assistant) == "<es: /show_menu>"
    assert assistant.switched == ["es"]
    # MENU without its accent is the carriers' word too: no switch.
    english = SpanishAssistant("en")
    assert answer(optouts, "MENU", english) == "<en: /show_menu>" and english.switched == []


def test_a_wrong_number_gets_the_spanish_hint(optouts):
    assert answer(optouts, "7", SpanishAssistant("es")) == "Responda 1-2 o MENU"
    assert answer(optouts, "7", SpanishAssistant("es", menu=[])) == (
        "Responda MENU para ver los temas"
    )


def test_when_the_assistant_fails_the_help_lines_come_in_spanish(optouts):
    class Failing(SpanishAssistant):
        async def ask(self, message: str) -> str:
            raise RuntimeError("down")

    assert answer(optouts, "qué es la metadona", Failing("es")) == no_reply_text("es")
    assert answer(optouts, "what is methadone", Failing("en")) == no_reply_text("en")


def test_a_call_back_that_cannot_be_taken_says_so_in_spanish(optouts):
    class NoQueue:
        def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
            raise RuntimeError("no queue")

    handler = SmsHandler(optouts, callback_queue=NoQueue)
    assistant = SpanishAssistant("en")
    reply = asyncio.run(handler.answer(SENDER, "LLAMAR", assistant, PHONE))
    assert reply == rendering.callback_unavailable("es") and assistant.asked == []


# --- with the real servers, signed as Twilio signs ---

PHONES = {
    "ayuda": "+14135550121",
    "info": "+14135550122",
    "alto": "+14135550123",
    "parar": "+14135550124",
    "stop": "+14135550125",
    "menu": "+14135550126",
}


def user_intents(servers: Servers, phone: str) -> list[str]:
    return stored.user_intents(servers.db, conversation_id(phone))


def stored_events(servers: Servers, phone: str) -> list[tuple[str, str]]:
    return stored.stored_events(servers.db, conversation_id(phone))


def test_ayuda_gets_the_help_reply_911_first_in_spanish(servers: Servers):
    phone = PHONES["ayuda"]
    reply = text(servers, phone, "AYUDA") or ""
    # The safety check reads a bare AYUDA as a plea: the urgent reply, in
    # Spanish, then what carriers require of a HELP reply.
    assert reply.startswith("Si es una emergencia, llame al 911 ahora."), reply
    assert lines_in_order(reply)[:3] == ["911", "988", helpline()]
    assert center_name() in reply.split("\n")[-1] and "STOP" in reply
    assert is_gsm(reply) and segment_count(reply) <= SEGMENT_TARGET
    assert user_intents(servers, phone) == ["urgent_person_now"]


def test_info_gets_the_help_reply_in_the_conversations_language(servers: Servers):
    phone = PHONES["info"]
    assert text(servers, phone, "Buenas tardes, tengo unas preguntas sobre la metadona")
    stored_before = stored_events(servers, phone)
    info = text(servers, phone, "INFO") or ""
    assert info == rendering.help_text("es")
    assert lines_in_order(info)[:3] == ["911", "988", helpline()]
    # Answered by the channel: nothing more is stored.
    assert stored_events(servers, phone) == stored_before


@pytest.mark.parametrize("word", ["ALTO", "PARAR"])
def test_alto_and_parar_opt_out(servers: Servers, word: str):
    phone = PHONES[word.lower()]
    assert text(servers, phone, "Hola, buenas tardes, tengo unas preguntas")
    stored_before = stored_events(servers, phone)
    confirmation = text(servers, phone, word) or ""
    assert confirmation == rendering.stopped("es")
    assert text(servers, phone, "qué es la metadona?") is None
    assert text(servers, phone, "MENU") is None
    assert stored_events(servers, phone) == stored_before
    # Safety beats silence, in Spanish too.
    urgent = text(servers, phone, "mi hermano no respira y tiene los labios azules") or ""
    assert urgent.startswith("Llame al 911 ahora."), urgent
    assert "vuelve a contestarle" in (text(servers, phone, "START") or "")


def test_stop_still_works(servers: Servers):
    phone = PHONES["stop"]
    assert text(servers, phone, "Hola, buenas tardes, tengo unas preguntas")
    assert text(servers, phone, "STOP") is None  # Twilio confirms its own word
    assert text(servers, phone, "qué es la metadona?") is None


RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def spanish_menu(name: str) -> dict:
    """The Spanish variant of a menu (the menus have no SMS variant of their own)."""
    return next(
        variant
        for variant in RESPONSES[name]
        if {"type": "slot", "name": "language", "value": "es"} in (variant.get("condition") or [])
    )


def as_lines(menu: dict) -> list[str]:
    """The menu as a phone shows it: its text, then one numbered choice a line."""
    return rendering.render_message({**menu, "text": fill(menu["text"])}).splitlines()


def test_a_spanish_menu_comes_back_numbered(servers: Servers):
    phone = PHONES["menu"]
    main = spanish_menu("utter_menu")
    greeting = text(servers, phone, "Hola, buenas tardes, tengo unas preguntas") or ""
    assert greeting.startswith("Hola, soy el asistente automatico de"), greeting
    assert greeting.splitlines()[-len(main["buttons"]) - 1 :] == as_lines(main)
    assert as_lines(main)[0] == "Elija un tema o escriba su pregunta:"
    assert lines_in_order(greeting) == ["911", "988", helpline()]
    assert is_gsm(greeting)

    # A number picks from it: the medications menu, numbered in turn.
    payloads = [button["payload"] for button in main["buttons"]]
    mat = spanish_menu("utter_menu_mat")
    menu = text(servers, phone, str(payloads.index("/menu_mat") + 1)) or ""
    assert menu.splitlines() == as_lines(mat)
    assert menu.splitlines()[:3] == [
        "Medicamentos (MAT): elija una pregunta.",
        "1 ¿Qué es el tratamiento con medicamentos?",
        "2 Metadona",
    ]
    assert is_gsm(menu) and segment_count(menu) <= SEGMENT_TARGET
    size = len(mat["buttons"])
    assert text(servers, phone, str(size + 3)) == f"Responda 1-{size} o MENU"
    assert (text(servers, phone, "MENÚ") or "").splitlines() == as_lines(main)
    assert user_intents(servers, phone) == ["greet", "menu_mat", "show_menu"]
