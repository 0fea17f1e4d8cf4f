"""Fixtures for the widget tests: Debian's Chromium driven by Playwright.

Each test gets a fresh browser context (own sessionStorage, no cookies) on the
demo page of the real Rasa server from the `servers` fixture. Every request
the page makes is recorded; one to a host outside loopback is aborted, and
the test fails on it, as on any script error in the page.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from tools.in_process import ROOT
from tools.local_servers import Servers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "channels" / "webchat" / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG levels axe-core checks: 2.0, 2.1 and 2.2, A and AA (2.2 adds the
# target size rule).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OUTPUT = ROOT / "test-output" / "widget"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Waits for the bot (a waiting limit, not a timing assertion): replies can be
# slow on a busy 2-core machine.
expect.set_options(timeout=30_000)


@dataclass
class Traffic:
    """What the page asked for: every request and WebSocket, and script errors."""

    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside_loopback(self) -> list[str]:
        return [url for url in self.urls if urlsplit(url).hostname not in LOOPBACK]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # One per module, not per session: while Playwright's sync API is started
    # it keeps an event loop running in this thread, and tests run after the
    # widget's in the same session (asyncio.run, the in-process assistant)
    # need none running.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def record(context: BrowserContext, traffic: Traffic) -> None:
    def filter_request(route) -> None:
        traffic.urls.append(route.request.url)
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", filter_request)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def context(browser: Browser, traffic: Traffic) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    record(context, traffic)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, traffic: Traffic) -> Iterator[Page]:
    page = context.new_page()
    page.on("websocket", lambda ws: traffic.urls.append(ws.url))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    yield page
    assert traffic.errors == [], "script errors in the page"
    assert traffic.outside_loopback() == [], "requests left loopback"


class Widget:
    """The chat widget on a page, as a visitor sees and uses it."""

    def __init__(self, page: Page, servers: Servers) -> None:
        self.page = page
        self.demo_url = servers.url + "/webchat/"

    def visit(self) -> "Widget":
        self.page.goto(self.demo_url)
        return self

    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name="Chat with us")

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Locator:
        return self.page.get_by_label("Your message")

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator(".message.bot .bubble")

    @property
    def user_messages(self) -> Locator:
        return self.page.locator(".message.user .bubble")

    @property
    def quick_replies(self) -> Locator:
        return self.page.locator(".replies button")

    @property
    def banner(self) -> Locator:
        return self.page.locator(".banner")

    def open(self) -> "Widget":
        self.launcher.click()
        expect(self.panel).to_be_visible()
        return self

    def open_and_wait_for_greeting(self) -> "Widget":
        self.open()
        expect(self.quick_replies.first).to_be_visible()
        return self

    def say(self, text: str) -> None:
        """Types and sends a message, then waits for the bot's answer to it."""
        answered = self.bot_messages.count()
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.user_messages.last).to_have_text(text)
        self.wait_for_answer(answered)

    def choose(self, title: str) -> None:
        """Clicks a quick reply, then waits for the bot's answer to it."""
        answered = self.bot_messages.count()
        self.page.get_by_role("button", name=title, exact=True).click()
        self.wait_for_answer(answered)

    def wait_for_answer(self, answered_before: int) -> None:
        expect(self.bot_messages).not_to_have_count(answered_before)
        expect(self.page.locator(".typing.on")).to_have_count(0)

    def banner_links(self) -> list[str]:
        return [link.get_attribute("href") for link in self.banner.get_by_role("link").all()]

    def call_links(self) -> list[str]:
        """The hrefs of the call bar's visible links (the banner's when it is up)."""
        links = self.page.locator(".callbar").get_by_role("link").all()
        return [link.get_attribute("href") for link in links]

    def focus_is_in_panel(self) -> bool:
        return self.page.evaluate(
            """() => {
                const host = document.getElementById('lar-webchat');
                const inner = host && host.shadowRoot.activeElement;
                return document.activeElement === host && Boolean(inner)
                    && host.shadowRoot.querySelector('.panel').contains(inner);
            }"""
        )

    def focused(self) -> dict:
        """The element with keyboard focus, looking inside the widget's shadow root."""
        return self.page.evaluate(
            """() => {
                let el = document.activeElement;
                while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                    el = el.shadowRoot.activeElement;
                }
                const style = getComputedStyle(el);
                return {
                    tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
                };
            }"""
        )

    def stored(self) -> dict:
        return self.page.evaluate("() => JSON.parse(sessionStorage.getItem('lar-webchat'))")

    def screenshot(self, name: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def axe_check(widget: Widget) -> dict:
    """axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the whole page, widget included."""
    if not widget.page.evaluate("() => 'axe' in window"):
        # Evaluated through the DevTools protocol: our pages' CSP allows no inline script.
        widget.page.evaluate(AXE.read_text())
    results = widget.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return {
        kind: [
            {
                "id": rule["id"],
                "impact": rule["impact"],
                "targets": [node["target"] for node in rule["nodes"]],
            }
            for rule in results[kind]
        ]
        for kind in ("violations", "incomplete", "passes")
    }


def serious(results: dict) -> list[dict]:
    """axe's serious and critical violations."""
    return [rule for rule in results["violations"] if rule["impact"] in ("serious", "critical")]


@pytest.fixture
def widget(page: Page, servers: Servers) -> Widget:
    return Widget(page, servers).visit()


@pytest.fixture
def phone(
    browser: Browser, servers: Servers, traffic: Traffic
) -> Iterator[Callable[[int, int], Widget]]:
    """Opens the demo page (or `url`) in a new tab of a touch phone (coarse pointer)
    of a given size."""
    contexts: list[BrowserContext] = []

    def open_phone(width: int, height: int, url: str | None = None) -> Widget:
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
        )
        contexts.append(context)
        record(context, traffic)
        page = context.new_page()
        page.on("websocket", lambda ws: traffic.urls.append(ws.url))
        page.on("pageerror", lambda error: traffic.errors.append(str(error)))
        widget = Widget(page, servers)
        if url:
            page.goto(url)
            return widget
        return widget.visit()

    yield open_phone
    for context in contexts:
        context.close()
    assert traffic.errors == [], "script errors in the page"
    assert traffic.outside_loopback() == [], "requests left loopback"


def set_offline(widget: Widget, context: BrowserContext, offline: bool) -> None:
    """The browser goes offline (or back online), as the page sees it.

    Chromium with no network interface but loopback (a network namespace, as
    in the acceptance run) reports navigator.onLine false from the start, so
    emulating the change fires no event there; the page then gets the event
    Chromium would send when the network goes.
    """
    context.set_offline(offline)
    if not widget.page.evaluate("navigator.onLine") and not offline:
        widget.page.evaluate("window.dispatchEvent(new Event('online'))")
    elif offline and not widget.page.evaluate("window.__sawOffline === true"):
        widget.page.evaluate("window.dispatchEvent(new Event('offline'))")


@contextmanager
def website(render: Callable[[str], str]) -> Iterator[str]:
    """A website on its own loopback origin; `render(path)` is each page's HTML.
    Yields its base URL."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(render(self.path).encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def other_site(servers: Servers) -> Iterator[str]:
    """Another website (its own origin on loopback) that embeds the widget with one tag."""
    # The site has its own `io` global, which the widget must leave alone, and
    # sends "Quick exit" to a page of its own.
    tag = (
        f'<script src="{servers.url}/webchat/widget.js" data-exit-url="/elsewhere" defer></script>'
    )
    own_io = "<script>window.io = 'io of the site';</script>"
    body = f"<!doctype html><html lang=en><title>Site</title><h1>Another site</h1>{own_io}{tag}"
    with website(lambda path: body) as url:
        yield url


@pytest.fixture(scope="session")
def site_in_language(servers: Servers) -> Iterator[str]:
    """A website on its own loopback origin: /<html lang>/ or /<html lang>/<data-lang>/
    is a page in that language that embeds the widget with one tag."""

    def render(path: str) -> str:
        parts = [part for part in path.split("/") if part]
        html_lang = parts[0] if parts else "es"
        data_lang = f' data-lang="{parts[1]}"' if len(parts) > 1 else ""
        tag = f'<script src="{servers.url}/webchat/widget.js"{data_lang} defer></script>'
        return (
            f"<!doctype html><html lang={html_lang}><title>Centro</title>"
            "<main><h1>La recuperación empieza con una conversación</h1></main>" + tag
        )

    with website(render) as url:
        yield url
