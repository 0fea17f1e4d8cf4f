"""The widget's own strings in Spanish: on a Spanish page, and once the bot answers in Spanish.

The Spanish pages are another website on loopback (an allowed origin) that
embeds the widget with its one tag, as a center's site would.
"""

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from center.facts import helpline, helpline_tel
from channels.webchat.output import response_language
from tests.widget.conftest import Widget, axe_check, serious, set_offline
from tools.local_servers import Servers

HELPLINE_LINK = "tel:" + helpline_tel()
METHADONE = "hola, necesito informacion sobre la metadona"
NOT_BREATHING = "mi hermano no respira, tiene los labios morados"


def spanish_page(page: Page, site: str, path: str = "es/") -> Page:
    page.goto(site + path)
    return page


def open_spanish(page: Page) -> None:
    page.get_by_role("button", name="Escríbanos").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".replies button").first).to_be_visible()


def say(page: Page, text: str) -> Locator:
    """Sends `text` with the widget in any language; the bot's last message once answered."""
    bot = page.locator(".message.bot .bubble")
    answered = bot.count()
    page.locator("#lar-webchat input").fill(text)
    page.locator("#lar-webchat input").press("Enter")
    expect(bot).not_to_have_count(answered)
    expect(page.locator(".typing.on")).to_have_count(0)
    return bot.last


def expect_spanish_strings(page: Page) -> None:
    panel = page.get_by_role("dialog")
    expect(page.locator("#lar-webchat")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Su mensaje")).to_have_attribute("placeholder", "Escriba su pregunta")
    expect(panel.get_by_role("button", name="Enviar")).to_be_visible()
    expect(panel.get_by_role("button", name="Borrar la conversación")).to_be_visible()
    expect(panel.get_by_role("button", name="Salida rápida")).to_be_visible()
    expect(panel.get_by_role("button", name="Cerrar el chat")).to_be_visible()
    expect(panel).to_contain_text("Automatizado, no es un médico")
    expect(page.get_by_role("log", name="Conversación")).to_be_visible()
    bar = page.locator(".callbar .bar")
    expect(bar.get_by_role("link", name=f"Llamar al {helpline()}")).to_have_attribute(
        "href", HELPLINE_LINK
    )
    expect(bar.get_by_role("link", name="Llamar al 911")).to_have_attribute("href", "tel:911")
    expect(panel).not_to_contain_text("Clear conversation")
    expect(panel).not_to_contain_text("Quick exit")


@pytest.mark.parametrize("path", ["es/", "es-US/", "es-419/", "en/es/"])
def test_a_spanish_page_shows_the_spanish_widget_before_any_message(
    page: Page, site_in_language: str, path: str
):
    spanish_page(page, site_in_language, path)
    launcher = page.get_by_role("button", name="Escríbanos")
    expect(launcher).to_be_visible()
    expect(page.locator("#lar-webchat")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Chat with us")).to_have_count(0)
    launcher.click()
    expect_spanish_strings(page)
    # The confirmation of "Borrar la conversación" asks in Spanish too.
    page.get_by_role("button", name="Borrar la conversación").click()
    confirm = page.get_by_role("alertdialog", name="¿Borrar esta conversación?")
    expect(confirm.get_by_role("button", name="Sí, borrarla")).to_be_visible()
    confirm.get_by_role("button", name="Cancelar").click()
    expect(confirm).to_be_hidden()
    # The page is greeted in Spanish (its bubble says so), with the Spanish menu.
    expect(page.locator(".replies button").first).to_be_visible()
    greeting = page.locator(".message.bot .bubble").first
    expect(greeting).to_have_attribute("lang", "es")
    expect(greeting).to_contain_text("Hola, soy el asistente")
    expect(page.locator(".replies button").first).to_have_text("Heroína y opioides")
    expect_spanish_strings(page)


def test_an_english_page_switches_when_the_visitor_writes_spanish_and_back(widget: Widget):
    widget.open_and_wait_for_greeting()
    expect(widget.page.locator("#lar-webchat")).to_have_attribute("lang", "en")
    expect(widget.input).to_have_attribute("placeholder", "Type your question")

    reply = say(widget.page, METHADONE)
    expect(reply).to_have_attribute("lang", "es")
    expect(reply).to_contain_text("metadona")
    expect_spanish_strings(widget.page)
    expect(widget.page.locator(".message.user .sr-only").last).to_have_text("Usted:")
    # A reload keeps the conversation's language.
    widget.page.reload()
    expect_spanish_strings(widget.page)

    reply = say(widget.page, "what is detox and how long does it take?")
    expect(reply).to_have_attribute("lang", "en")
    expect(widget.page.locator("#lar-webchat")).to_have_attribute("lang", "en")
    expect(widget.input).to_have_attribute("placeholder", "Type your question")
    expect(widget.panel.get_by_role("button", name="Clear conversation")).to_be_visible()
    expect(widget.panel.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")


def test_an_urgent_spanish_message_shows_the_banner_in_spanish_911_first(widget: Widget):
    widget.open_and_wait_for_greeting()
    say(widget.page, NOT_BREATHING)
    expect(widget.banner).to_be_visible()
    expect(widget.banner).to_have_attribute("role", "alert")
    expect(widget.banner.locator(".banner-title")).to_contain_text("llame al 911 ahora")
    links = widget.banner.get_by_role("link")
    expect(links.first).to_have_text("Llamar al 911")
    assert widget.banner_links()[0] == "tel:911"
    assert widget.banner_links()[-1] == HELPLINE_LINK
    expect(
        widget.banner.get_by_role("button", name="Ocultar estos números de teléfono")
    ).to_be_visible()
    expect(widget.banner).not_to_contain_text("Call")


def test_the_spanish_widget_has_no_serious_accessibility_violations(
    page: Page, servers: Servers, site_in_language: str
):
    spanish_page(page, site_in_language)
    closed = axe_check(Widget(page, servers))
    open_spanish(page)
    say(page, METHADONE)
    say(page, NOT_BREATHING)
    expect(page.locator(".banner")).to_be_visible()
    conversation = axe_check(Widget(page, servers))
    assert serious(closed) == []
    assert serious(conversation) == []


def test_the_offline_message_is_spanish_on_a_spanish_page(
    page: Page, servers: Servers, site_in_language: str, context: BrowserContext
):
    spanish_page(page, site_in_language)
    open_spanish(page)
    widget = Widget(page, servers)
    page.evaluate("window.addEventListener('offline', () => { window.__sawOffline = true; })")
    set_offline(widget, context, True)
    status = page.locator(".status")
    expect(status).to_have_text(f"Está sin conexión. Reconectando… Puede llamar al {helpline()}.")
    expect(page.get_by_role("button", name="Enviar")).to_be_disabled()
    set_offline(widget, context, False)
    expect(status).to_be_empty()


@pytest.mark.parametrize(
    ("response", "language"),
    [
        # A Spanish variant names its language in its condition.
        (
            {
                "text": "Hola",
                "utter_action": "utter_greet",
                "condition": [{"type": "slot", "name": "language", "value": "es"}],
            },
            "es",
        ),
        # A domain response's default variant is English.
        ({"text": "Hi", "utter_action": "utter_greet"}, "en"),
        # A text an action wrote itself does not say: the widget keeps its language.
        ({"text": "Gracias"}, None),
    ],
)
def test_each_bot_message_names_the_language_its_response_shows(response: dict, language):
    assert response_language(response) == language
