"""The widget on a phone at night (Debian's Chromium against the real server).

A frightened person on a small screen: the log reopens at the last message
after a reload; the ways to call are one bar (the banner takes its place), so
the helpline shows there once; every call choice is a tel: or sms: link,
quick replies that call the helpline included; every target is at least
44 px; focus stays in the open panel; "Clear conversation" asks first and is
away from the input; the conversation keeps at least half the panel with the
banner up; axe-core's WCAG 2.2 AA rules find nothing serious; and the widget
adds no landmark to the page.

Screenshots at 320x568 and 375x740, and the measured heights and target
sizes, are written to test-output/widget/ (phone-*.png, phone-*.json).
"""

import json
from typing import Callable

import pytest
from playwright.sync_api import Page, expect

from center.facts import helpline, helpline_tel
from tests.widget.conftest import OUTPUT, Widget, axe_check, serious

HELPLINE_LINK = "tel:" + helpline_tel()
PHONES = [(320, 568), (375, 740)]
PHONE_IDS = [f"{width}x{height}" for width, height in PHONES]
OVERDOSE = "my friend is not breathing"
MIN_TARGET = 44  # px: WCAG 2.2 target size (enhanced), above its 24 px minimum

Phone = Callable[[int, int], Widget]


def shadow(page: Page, script: str, arg=None):
    """Runs `script` (a function of the widget's shadow root and `arg`) in the page."""
    return page.evaluate(
        f"([arg]) => ({script})(document.getElementById('lar-webchat').shadowRoot, arg)", [arg]
    )


def write_json(name: str, data) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / name).write_text(json.dumps(data, indent=2))


def seed(widget: Widget, messages: list[dict], banner: dict | None = None) -> None:
    """A conversation as a tab stored it, reloaded: what the server cannot send on cue.

    Seeded before the widget is opened, so no reply of a live socket overwrites it.
    """
    state = {
        "sessionId": None,
        "greeted": True,
        "open": True,
        "banner": banner,
        "messages": messages,
    }
    widget.page.evaluate("s => sessionStorage.setItem('lar-webchat', JSON.stringify(s))", state)
    widget.page.reload()
    expect(widget.panel).to_be_visible()


def heights(widget: Widget) -> dict:
    return shadow(
        widget.page,
        """root => {
            const height = selector => {
                const node = root.querySelector(selector);
                return node ? Math.round(node.getBoundingClientRect().height) : 0;
            };
            return {panel: height('.panel'), log: height('.log'), head: height('.head'),
                    callbar: height('.callbar'), composer: height('.composer')};
        }""",
    )


def targets(widget: Widget) -> list[dict]:
    """Every visible control in the widget but links inside a message's text
    (inline links, which WCAG's target size exempts)."""
    return shadow(
        widget.page,
        """root => [...root.querySelectorAll('a[href], button, input')]
            .filter(node => node.getClientRects().length && !node.closest('.bubble'))
            .map(node => {
                const box = node.getBoundingClientRect();
                const name = node.textContent.trim() || node.placeholder || node.className;
                return {name, width: Math.round(box.width * 10) / 10,
                        height: Math.round(box.height * 10) / 10};
            })""",
    )


def too_small(measured: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """The targets, per state, under MIN_TARGET px either way."""
    return [
        (state, target)
        for state, found in measured.items()
        for target in found
        if target["width"] < MIN_TARGET or target["height"] < MIN_TARGET
    ]


# ---- 1. a reload reopens at the last message ----


@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_a_reload_reopens_at_the_last_message(phone: Phone, width: int, height: int):
    widget = phone(width, height)
    widget.open_and_wait_for_greeting()
    widget.choose("Medications (MAT)")
    widget.choose("What is MAT?")
    widget.say(OVERDOSE)

    widget.page.reload()
    expect(widget.banner).to_be_visible()
    # Scrolled to the end of a log longer than the screen...
    widget.page.wait_for_function(
        """() => {
            const log = document.getElementById('lar-webchat').shadowRoot.querySelector('.log');
            return log.scrollHeight > log.clientHeight + 100
                && log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
        }"""
    )
    # ...with the last message (the 911 instructions) in view.
    seen = shadow(
        widget.page,
        """root => {
            const log = root.querySelector('.log').getBoundingClientRect();
            const messages = root.querySelectorAll('.message');
            const last = messages[messages.length - 1].getBoundingClientRect();
            return Math.min(log.bottom, last.bottom) - Math.max(log.top, last.top);
        }""",
    )
    assert seen >= 100, "the last message is in view"
    expect(widget.bot_messages.last).to_contain_text("Call 911 now.")
    expect(widget.bot_messages.last).to_be_in_viewport()
    widget.screenshot(f"phone-{width}x{height}-reloaded")


# ---- 2. one call bar: the helpline once; the banner's real call links ----


def test_the_call_bar_and_the_banner_are_one_and_the_helpline_shows_once(widget: Widget):
    widget.open_and_wait_for_greeting()
    expect(widget.banner).to_be_hidden()
    assert widget.call_links() == [HELPLINE_LINK, "tel:911"]

    widget.say(OVERDOSE)
    expect(widget.banner).to_be_visible()
    # The banner is in the bar, in place of the bar's own links.
    expect(widget.page.locator(".callbar .banner")).to_be_visible()
    assert widget.call_links() == widget.banner_links() == ["tel:911", HELPLINE_LINK]
    assert widget.call_links().count(HELPLINE_LINK) == 1

    # Hiding the banner brings the bar's links back, with focus on the first.
    widget.page.get_by_role("button", name="Hide these phone numbers").click()
    expect(widget.banner).to_be_hidden()
    assert widget.call_links() == [HELPLINE_LINK, "tel:911"]
    assert widget.focused()["text"] == f"Call {helpline()}"
    assert widget.stored()["banner"] is None


def test_the_check_in_shows_988_and_911(widget: Widget):
    widget.open_and_wait_for_greeting()
    widget.say("/check_in")
    expect(widget.banner).to_be_visible()
    assert widget.banner_links() == ["tel:911", "tel:988", "sms:988", HELPLINE_LINK]
    # Its answers stay buttons: "I need help now" is the person_now handoff.
    expect(widget.quick_replies).to_have_text(["I need help now", "I'm safe"])
    widget.choose("I need help now")
    assert widget.banner_links() == ["tel:911", "tel:988", HELPLINE_LINK]
    # A check-in does not take an urgent banner's place.
    widget.say("/check_in")
    assert widget.banner_links() == ["tel:911", "tel:988", HELPLINE_LINK]


def test_a_check_in_that_leaned_to_suicide_puts_988_first(widget: Widget):
    seed(
        widget,
        [{"from": "bot", "text": "Are you safe right now?", "quickReplies": [], "sources": []}],
        banner={"kind": "check_in", "reason": "suicide"},
    )
    assert widget.banner_links() == ["tel:988", "sms:988", "tel:911", HELPLINE_LINK]


def test_a_banner_stored_by_an_older_widget_still_shows(widget: Widget):
    seed(widget, [{"from": "bot", "text": "Call 911 now.", "sources": []}], banner="overdose")
    assert widget.banner_links() == ["tel:911", HELPLINE_LINK]


# ---- 3. every call choice is a tel: or sms: link ----


def test_a_quick_reply_that_calls_the_helpline_is_a_tel_link(widget: Widget):
    widget.open_and_wait_for_greeting()
    widget.choose("Medications (MAT)")
    widget.choose("Methadone")
    replies = widget.page.locator(".replies")
    call = replies.get_by_role("link", name="Call the helpline")
    expect(call).to_have_attribute("href", HELPLINE_LINK)
    expect(replies.get_by_role("button", name="Call the helpline")).to_have_count(0)
    # The other replies still send their payloads.
    expect(widget.quick_replies).to_have_text(
        ["Buprenorphine (Suboxone)", "Is MAT trading one drug for another?"]
    )


def test_call_buttons_of_the_bot_become_links_and_others_stay_buttons(widget: Widget):
    quick_replies = [
        {"title": "Call the helpline", "payload": "/request_human"},
        {"title": "Call us", "payload": "/call_helpline"},
        # /call_helpline dials whatever its title: no "Call", no "helpline", no number.
        {"title": "Llamar a la línea de ayuda", "payload": "/call_helpline"},
        {"title": f"Call {helpline()}", "payload": "/faq/assessment"},
        {"title": "Call 988", "payload": "tel:988"},
        {"title": "Text 988", "payload": "sms:988"},
        {"title": "Talk to a person", "payload": "/request_human"},
        {"title": "Call me maybe", "payload": "tel:javascript:alert(1)"},
    ]
    seed(widget, [{"from": "bot", "text": "Choose.", "quickReplies": quick_replies}])
    links = widget.page.locator(".replies a")
    expect(links).to_have_text(
        [
            "Call the helpline",
            "Call us",
            "Llamar a la línea de ayuda",
            f"Call {helpline()}",
            "Call 988",
            "Text 988",
        ]
    )
    assert [link.get_attribute("href") for link in links.all()] == [
        HELPLINE_LINK,
        HELPLINE_LINK,
        HELPLINE_LINK,
        HELPLINE_LINK,
        "tel:988",
        "sms:988",
    ]
    expect(widget.quick_replies).to_have_text(["Talk to a person", "Call me maybe"])


# ---- 4. every target at least 44 px ----


@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_every_target_is_at_least_44_px(phone: Phone, width: int, height: int):
    widget = phone(width, height)
    launcher = widget.launcher.bounding_box()
    measured = {
        "closed": [{"name": "Chat with us", **{k: launcher[k] for k in ("width", "height")}}]
    }
    widget.open_and_wait_for_greeting()
    measured["greeting"] = targets(widget)
    widget.choose("Medications (MAT)")
    widget.choose("Methadone")
    measured["answer"] = targets(widget)  # with its "Call the helpline" link
    widget.say("/urgent_person_now")
    measured["banner"] = targets(widget)  # three call links and Hide
    widget.page.get_by_role("button", name="Clear conversation").click()
    expect(widget.page.get_by_role("alertdialog")).to_be_visible()
    measured["confirm"] = targets(widget)
    write_json(f"phone-{width}x{height}-targets.json", measured)

    names = {target["name"] for state in measured.values() for target in state}
    for name in (
        "Chat with us",
        "Quick exit",
        "×Close chat",
        f"Call {helpline()}",
        "Call 911",
        "Call 988",
        "Hide these phone numbers",
        "Clear conversation",
        "Detox and withdrawal",
        "Call the helpline",
        "Send",
        "Yes, clear it",
        "Cancel",
    ):
        assert name in names, name
    assert too_small(measured) == []


@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_the_spanish_widget_fits_a_phone(
    phone: Phone, site_in_language: str, width: int, height: int
):
    """Spanish labels are longer ("Enviar texto al 988", "Borrar la conversación"):
    on a Spanish page every target keeps 44 px, nothing scrolls sideways, and the
    conversation keeps half the panel with the urgent banner up."""
    widget = phone(width, height, site_in_language + "es/")
    widget.page.get_by_role("button", name="Escríbanos").click()
    expect(widget.quick_replies.first).to_have_text("Heroína y opioides")
    measured = {"greeting": targets(widget)}
    widget.page.get_by_label("Su mensaje").fill("mi hermano no respira y tiene los labios morados")
    widget.page.get_by_label("Su mensaje").press("Enter")
    expect(widget.banner).to_be_visible()
    measured["banner"] = targets(widget)
    found = heights(widget)
    widget.screenshot(f"phone-es-{width}x{height}-banner")
    widget.page.get_by_role("button", name="Borrar la conversación").click()
    expect(widget.page.get_by_role("alertdialog")).to_be_visible()
    measured["confirm"] = targets(widget)
    write_json(f"phone-es-{width}x{height}-targets.json", measured)

    names = {target["name"] for state in measured.values() for target in state}
    assert {"Salida rápida", "Llamar al 911", "Enviar", "Sí, borrarla", "Cancelar"} <= names
    assert too_small(measured) == []
    assert found["log"] >= found["panel"] / 2, found
    panel = shadow(widget.page, "root => root.querySelector('.panel').getBoundingClientRect()")
    wide = shadow(widget.page, "root => root.querySelector('.panel').scrollWidth")
    assert wide <= round(panel["width"]), (wide, panel)


# ---- 5. focus stays in the open panel ----


def tab_around(widget: Widget, key: str, presses: int) -> list[str]:
    """Presses `key` and checks after each press that focus is in the panel."""
    seen = []
    for _ in range(presses):
        widget.page.keyboard.press(key)
        assert widget.focus_is_in_panel(), f"{key} left the panel after {seen}"
        seen.append(widget.focused()["text"])
    return seen


def test_focus_stays_in_the_open_panel(widget: Widget):
    widget.open_and_wait_for_greeting()
    assert widget.focused()["id"] == "lar-input"
    forwards = tab_around(widget, "Tab", 30)
    # It cycles: from Send back to the top of the panel.
    assert forwards.count("Quick exit") >= 2
    backwards = tab_around(widget, "Shift+Tab", 30)
    assert backwards.count("Quick exit") >= 2
    assert set(forwards) == set(backwards)

    # Focus that fell out of the panel (its element went away) comes back on Tab.
    widget.page.evaluate("document.getElementById('lar-webchat').shadowRoot.activeElement.blur()")
    widget.page.keyboard.press("Tab")
    assert widget.focus_is_in_panel()

    # Escape still closes, and focus goes back to the launcher.
    widget.page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.focused()["text"] == "Chat with us"


def test_after_clearing_tab_stays_in_the_panel_on_a_phone(phone: Phone):
    widget = phone(320, 568)
    widget.open_and_wait_for_greeting()
    # A touch screen: focus on the title, not the input (no keyboard pops up).
    assert widget.focused()["id"] == "lar-title"
    widget.say(OVERDOSE)
    widget.page.get_by_role("button", name="Clear conversation").click()
    widget.page.get_by_role("button", name="Yes, clear it").click()
    expect(widget.bot_messages.first).to_be_visible()
    tab_around(widget, "Tab", 25)
    tab_around(widget, "Shift+Tab", 25)
    # The page's links are hidden behind the panel: focus does not go there.
    widget.page.evaluate("document.querySelector('nav a').focus()")
    assert widget.focus_is_in_panel()


# ---- 6. "Clear conversation" asks first, away from the input ----


@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_clear_conversation_asks_first_and_is_away_from_the_input(
    phone: Phone, width: int, height: int
):
    widget = phone(width, height)
    native_dialogs = []
    widget.page.on("dialog", lambda dialog: native_dialogs.append(dialog.message))
    widget.open_and_wait_for_greeting()
    clear = widget.page.get_by_role("button", name="Clear conversation")
    # A new conversation shows it above the greeting, with the privacy note.
    expect(clear).to_be_in_viewport()
    expect(
        widget.page.get_by_text("Don't share your name or personal details.")
    ).to_be_in_viewport()
    widget.choose("Therapy")
    clear.scroll_into_view_if_needed()
    # Above the conversation, not under the input where a thumb rests.
    clear_box, input_box = clear.bounding_box(), widget.input.bounding_box()
    first_message = widget.page.locator(".message").first.bounding_box()
    assert clear_box["y"] + clear_box["height"] <= first_message["y"]
    assert clear_box["y"] + clear_box["height"] < input_box["y"] - 150

    confirm = widget.page.get_by_role("alertdialog", name="Clear this conversation?")
    clear.click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("a new conversation starts")
    assert widget.focused()["text"] == "Cancel"
    widget.screenshot(f"phone-{width}x{height}-confirm-clear")
    # Tab stays in the question while it asks.
    assert tab_around(widget, "Tab", 3) == ["Yes, clear it", "Cancel", "Yes, clear it"]

    # Cancel keeps the conversation, and focus goes back to the button.
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(widget.log).to_contain_text("Therapy")
    assert widget.focused()["text"] == "Clear conversation"
    # Escape answers "no" too, and leaves the panel open.
    clear.click()
    widget.page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(widget.panel).to_be_visible()
    expect(widget.log).to_contain_text("Therapy")

    clear.click()
    confirm.get_by_role("button", name="Yes, clear it").click()
    expect(widget.log).not_to_contain_text("Therapy")
    expect(widget.quick_replies.first).to_be_visible()
    assert native_dialogs == [], "no window.confirm"


# ---- 7. the conversation keeps at least half the panel ----


@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_the_conversation_keeps_half_the_panel_with_the_banner_up(
    phone: Phone, width: int, height: int
):
    widget = phone(width, height)
    widget.open_and_wait_for_greeting()
    measured = {"greeting": heights(widget)}
    widget.screenshot(f"phone-{width}x{height}-greeting")
    # The check-in first: an urgent banner is not replaced by a check-in.
    for name, message in [
        ("check-in", "/check_in"),
        ("human", "/request_human"),
        ("suicide", "/urgent_suicide"),
        ("person-now", "/urgent_person_now"),
        ("overdose", OVERDOSE),
    ]:
        widget.say(message)
        expect(widget.banner).to_be_visible()
        measured[name] = heights(widget)
        widget.screenshot(f"phone-{width}x{height}-{name}")
    write_json(f"phone-{width}x{height}-heights.json", measured)
    for name, found in measured.items():
        assert found["panel"] == height, name
        assert found["log"] >= found["panel"] / 2, (name, found)


# ---- 8. WCAG 2.2 AA, and no landmark added to the page ----


def test_no_serious_wcag22_violations_on_a_phone(phone: Phone):
    widget = phone(320, 568)
    widget.open_and_wait_for_greeting()
    greeting = axe_check(widget)
    widget.say(OVERDOSE)
    banner = axe_check(widget)
    widget.page.get_by_role("button", name="Clear conversation").click()
    expect(widget.page.get_by_role("alertdialog")).to_be_visible()
    confirm = axe_check(widget)
    write_json("phone-axe.json", {"greeting": greeting, "banner": banner, "confirm": confirm})
    for results in (greeting, banner, confirm):
        assert serious(results) == []
        assert "target-size" in {rule["id"] for rule in results["passes"]}


def landmarks(page: Page) -> list[str]:
    """The landmarks in Chromium's accessibility tree of the page, shadow roots included.

    Those that are landmarks without a name (an unnamed form or section is not
    one, though Chromium lists a form's role): a <header> or <footer> in the
    widget would add a banner or contentinfo here.
    """
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    kinds = {"banner", "contentinfo", "main", "navigation", "complementary"}
    return [
        node["role"]["value"]
        for node in nodes
        if not node.get("ignored") and node.get("role", {}).get("value") in kinds
    ]


def test_the_widget_adds_no_banner_landmark(widget: Widget):
    page_alone = landmarks(widget.page)
    assert page_alone.count("banner") == 1  # the demo page's own header
    widget.open_and_wait_for_greeting()
    widget.say(OVERDOSE)
    assert landmarks(widget.page) == page_alone
    expect(widget.page.get_by_role("banner")).to_have_count(1)
