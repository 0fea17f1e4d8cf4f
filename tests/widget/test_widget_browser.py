"""The chat widget in a real browser (Debian's Chromium) against the real server."""

import json

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from center.facts import center_name, helpline, helpline_tel
from tests.replies import default_variant, domain_text
from tests.stored import user_texts
from tests.widget.conftest import OUTPUT, Traffic, Widget, axe_check, serious, set_offline
from tools.content import fill, load_topics
from tools.local_servers import Servers

HELPLINE_LINK = "tel:" + helpline_tel()


def test_opening_the_widget_greets_with_the_menu(widget: Widget):
    expect(widget.panel).to_be_hidden()
    widget.open_and_wait_for_greeting()
    expect(widget.bot_messages.first).to_have_text(domain_text("utter_greet"))
    menu = [fill(button["title"]) for button in default_variant("utter_menu")["buttons"]]
    assert "Talk to a person" in menu
    expect(widget.quick_replies).to_have_text(menu)
    # The helpline is always one tap away, from center/facts.py via config.json.
    call = widget.panel.get_by_role("link", name=f"Call {helpline()}").first
    expect(call).to_have_attribute("href", HELPLINE_LINK)
    expect(widget.panel).to_contain_text(center_name())


def test_a_quick_reply_sends_its_payload_and_shows_its_title(widget: Widget):
    widget.open_and_wait_for_greeting()
    widget.choose("Detox and withdrawal")
    expect(widget.user_messages.last).to_have_text("Detox and withdrawal")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_menu_detox"))

    widget.choose("What is detox?")
    topic = load_topics()["detox_what_is"]
    expect(widget.bot_messages.last).to_have_text(fill(topic.web["text"]))
    expect(widget.log).not_to_contain_text("/faq/")
    # The answer's sources are shown under it.
    expect(widget.page.locator(".message.bot").last.locator(".sources")).to_contain_text("Sources:")


@pytest.mark.parametrize(
    ("message", "links"),
    [
        ("my friend is not breathing", ["tel:911", HELPLINE_LINK]),
        ("/urgent_medical", ["tel:911", HELPLINE_LINK]),
        ("/urgent_danger", ["tel:911", HELPLINE_LINK]),
        ("/urgent_suicide", ["tel:988", "sms:988", HELPLINE_LINK]),
        ("/urgent_about_to_use", ["tel:988", "sms:988", HELPLINE_LINK]),
        ("/urgent_person_now", ["tel:911", "tel:988", HELPLINE_LINK]),
        # Asking for a person: its reply names 911 and 988 first, and so does the banner.
        ("/request_human", ["tel:911", "tel:988", HELPLINE_LINK]),
    ],
)
def test_an_urgent_handoff_shows_the_banner_with_the_right_numbers_first(
    widget: Widget, message: str, links: list[str]
):
    widget.open_and_wait_for_greeting()
    expect(widget.banner).to_be_hidden()
    widget.say(message)
    expect(widget.banner).to_be_visible()
    expect(widget.banner).to_have_attribute("role", "alert")
    assert widget.banner_links() == links
    # The banner survives a reload. It takes the call bar's place, so the
    # helpline shows there once.
    widget.page.reload()
    expect(widget.banner).to_be_visible()
    assert widget.banner_links() == links
    assert widget.call_links().count(HELPLINE_LINK) == 1


def test_a_reload_keeps_the_conversation_in_the_tab(widget: Widget, servers: Servers):
    widget.open_and_wait_for_greeting()
    widget.choose("Therapy")
    before = widget.log.inner_text()
    session_id = widget.stored()["sessionId"]

    widget.page.reload()
    expect(widget.panel).to_be_visible()
    assert widget.log.inner_text() == before
    assert widget.stored()["sessionId"] == session_id
    # The same conversation goes on: the reply reaches the reloaded tab.
    widget.choose("What is CBT?")
    expect(widget.bot_messages.last).to_have_text(fill(load_topics()["cbt_what_is"].web["text"]))
    # Rasa stores the tracker just after it sends the reply: wait for it.
    expected = ["/greet", "/menu_therapy", "/faq/cbt_what_is"]
    texts = []
    for _ in range(60):
        texts = user_texts(servers.db, session_id.split(".")[0])
        if texts == expected:
            break
        widget.page.wait_for_timeout(500)
    assert texts == expected


def test_html_in_a_message_is_shown_as_text(widget: Widget):
    widget.open_and_wait_for_greeting()
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>hi</b>'
    widget.say(payload)
    expect(widget.user_messages.last).to_have_text(payload)
    assert widget.log.locator("img, script, b").count() == 0
    assert widget.page.evaluate("() => window.pwned") is None


def test_the_whole_flow_works_by_keyboard(widget: Widget):
    # Tab from the top of the page to the launcher.
    for _ in range(20):
        widget.page.keyboard.press("Tab")
        if widget.focused()["text"] == "Chat with us":
            break
    focused = widget.focused()
    assert focused["text"] == "Chat with us"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "focus is visible"

    widget.page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    assert widget.focused()["id"] == "lar-input"
    expect(widget.quick_replies.first).to_be_visible()

    # Back from the input to a quick reply, and choose it with Enter.
    for _ in range(10):
        widget.page.keyboard.press("Shift+Tab")
        if widget.focused()["text"] == "Therapy":
            break
    assert widget.focused()["text"] == "Therapy"
    answered = widget.bot_messages.count()
    widget.page.keyboard.press("Enter")
    widget.wait_for_answer(answered)
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_menu_therapy"))
    assert widget.focused()["id"] == "lar-input"

    # Type and send with Enter.
    answered = widget.bot_messages.count()
    widget.page.keyboard.type("thank you")
    widget.page.keyboard.press("Enter")
    widget.wait_for_answer(answered)
    expect(widget.user_messages.last).to_have_text("thank you")

    # Escape closes and gives focus back to the launcher; Enter opens again.
    widget.page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.focused()["text"] == "Chat with us"
    widget.page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.user_messages.last).to_have_text("thank you")


def test_clear_conversation_starts_a_new_one(widget: Widget):
    widget.open_and_wait_for_greeting()
    widget.say("my friend is not breathing")
    first_session = widget.stored()["sessionId"]
    widget.page.get_by_role("button", name="Clear conversation").click()
    # It asks first, in the panel.
    widget.page.get_by_role("alertdialog", name="Clear this conversation?").get_by_role(
        "button", name="Yes, clear it"
    ).click()
    expect(widget.banner).to_be_hidden()
    expect(widget.log).not_to_contain_text("not breathing")
    expect(widget.quick_replies.first).to_be_visible()
    expect(widget.bot_messages.first).to_have_text(domain_text("utter_greet"))
    assert widget.stored()["sessionId"] != first_session


def test_quick_exit_leaves_no_trace_in_the_tab(widget: Widget, context: BrowserContext):
    widget.open_and_wait_for_greeting()
    widget.choose("Aftercare")
    widget.page.get_by_role("button", name="Quick exit").click()
    widget.page.wait_for_url("**/webchat/exit.html")
    expect(widget.page).to_have_title("Weather")
    assert widget.page.evaluate("() => sessionStorage.length") == 0
    assert context.cookies() == []
    # The page was replaced: Back does not return to the chat.
    widget.page.go_back()
    assert not widget.page.url.startswith(widget.demo_url)


def test_going_offline_shows_it_and_the_chat_comes_back(widget: Widget, context: BrowserContext):
    widget.open_and_wait_for_greeting()
    widget.page.evaluate(
        "window.addEventListener('offline', () => { window.__sawOffline = true; })"
    )
    set_offline(widget, context, True)
    status = widget.page.locator(".status")
    expect(status).to_contain_text("offline")
    expect(status).to_contain_text(helpline())
    expect(widget.page.get_by_role("button", name="Send")).to_be_disabled()
    expect(widget.quick_replies.first).to_be_disabled()

    set_offline(widget, context, False)
    expect(status).to_be_empty()
    widget.choose("Aftercare")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_menu_aftercare"))


def test_no_request_leaves_loopback_and_no_cookie_is_set(
    widget: Widget, context: BrowserContext, traffic: Traffic
):
    widget.open_and_wait_for_greeting()
    widget.choose("Medications (MAT)")
    widget.choose("What is MAT?")
    widget.say("my friend is not breathing")
    widget.page.get_by_role("button", name="Quick exit").click()
    widget.page.wait_for_url("**/webchat/exit.html")

    assert any("/socket.io/" in url for url in traffic.urls), "the chat went over socket.io"
    assert traffic.outside_loopback() == []
    assert context.cookies() == []


def test_the_widget_embeds_with_one_tag_on_another_allowed_site(
    page: Page, servers: Servers, other_site: str
):
    """The one tag on a page of another origin (another port on loopback, allowed)."""
    page.goto(other_site)
    widget = Widget(page, servers)
    widget.open_and_wait_for_greeting()
    expect(widget.bot_messages.first).to_have_text(domain_text("utter_greet"))
    widget.choose("Aftercare")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_menu_aftercare"))
    assert page.evaluate("() => window.io") == "io of the site"
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(other_site + "elsewhere")
    assert page.evaluate("() => sessionStorage.length") == 0


def test_no_serious_accessibility_violations(widget: Widget):
    expect(widget.launcher).to_be_visible()
    closed = axe_check(widget)
    widget.open_and_wait_for_greeting()
    widget.choose("Medications (MAT)")
    widget.choose("What is MAT?")
    widget.say("my friend is not breathing")
    conversation = axe_check(widget)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "axe.json").write_text(
        json.dumps({"closed": closed, "conversation": conversation}, indent=2)
    )
    for results in (closed, conversation):
        assert serious(results) == []
        assert results["passes"], "axe ran its rules"
    # WCAG 2.2's target size rule was among them.
    assert "target-size" in {rule["id"] for rule in conversation["passes"]}


def test_narrow_screens_fit_without_sideways_scrolling(widget: Widget):
    widget.page.set_viewport_size({"width": 320, "height": 640})
    widget.open_and_wait_for_greeting()
    widget.say("my friend is not breathing")
    overflow = widget.page.evaluate(
        """() => {
            const panel = document.getElementById('lar-webchat').shadowRoot
                .querySelector('.panel');
            return {page: document.documentElement.scrollWidth,
                    panel: panel.scrollWidth, panelWidth: panel.clientWidth};
        }"""
    )
    assert overflow["page"] <= 320
    assert overflow["panel"] <= overflow["panelWidth"]
    for name in ("Quick exit", "Send", f"Call {helpline()}"):
        box = widget.panel.get_by_text(name, exact=True).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, name


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 375, 812)])
def test_the_panel_fits_the_screen_with_the_call_buttons_in_view(
    widget: Widget, name: str, width: int, height: int
):
    """Also saves screenshots for people to look at: test-output/widget/<name>-*.png."""
    widget.page.set_viewport_size({"width": width, "height": height})
    expect(widget.launcher).to_be_visible()
    widget.screenshot(f"{name}-closed")
    widget.open_and_wait_for_greeting()
    widget.screenshot(f"{name}-greeting")
    widget.choose("Medications (MAT)")
    widget.choose("What is MAT?")
    widget.screenshot(f"{name}-answer")
    widget.say("my friend is not breathing")
    widget.screenshot(f"{name}-urgent")

    def inside_screen(box: dict) -> bool:
        return (
            box["x"] >= 0
            and box["y"] >= 0
            and box["x"] + box["width"] <= width
            and (box["y"] + box["height"] <= height)
        )

    assert inside_screen(widget.panel.bounding_box())
    for link in (widget.banner.get_by_role("link").first, widget.page.locator(".callbar a").first):
        assert inside_screen(link.bounding_box())
