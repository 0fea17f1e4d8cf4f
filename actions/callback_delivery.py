"""Call-back requests emailed to the center's staff, and retried until they are.

Not an action: the call-back actions and the action server's start-up use it.

- Settings: SMTP_URL, `smtp://user:pass@host:587` (STARTTLS) or
  `smtps://user:pass@host:465` (TLS from the start); STAFF_EMAIL, one address or
  several, comma-separated. Without both, requests are only queued (staff see
  them with `make callbacks`) and that is logged once.
- TLS: over `smtp://` the server must offer STARTTLS, or the mail is not sent,
  except to a mail server on this machine (loopback), such as a local relay.
  Certificates are checked against the system's authorities (SSL_CERT_FILE
  names others).
- The email holds the request alone: first name, number, time window,
  voicemail and text choices, channel and time, and how to mark it done. No
  conversation text, and the sender id never reaches the queue's open requests.
- Delivery runs in a thread, off the action server's event loop, right after
  each request is saved and every CALLBACK_RETRY_SECONDS (default 300) from the
  action server, while any request is undelivered. A mail server that is down
  leaves the request queued; the next attempt sends it. Each request is
  claimed before it is sent and marked delivered after (storage/callbacks.py),
  so it is emailed once.
"""

import asyncio
import ipaddress
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from urllib.parse import unquote, urlsplit

from center.facts import center_name
from storage.callbacks import CallbackQueue, CallbackRequest

logger = logging.getLogger(__name__)

SMTP_URL_ENV = "SMTP_URL"
STAFF_EMAIL_ENV = "STAFF_EMAIL"
RETRY_ENV = "CALLBACK_RETRY_SECONDS"
RETRY_SECONDS = 300
SMTP_TIMEOUT_S = 20

# How a channel reads in the email.
CHANNEL_NAMES = {
    "webchat": "website chat",
    "rest": "website (REST)",
    "twilio": "text message (SMS)",
    "cmdline": "staff shell (a test)",
}
# When to call, as staff read it; "tomorrow" windows also get their date.
WINDOW_NAMES = {
    "now": "as soon as possible",
    "today": "later today",
    "tomorrow_morning": "tomorrow morning",
    "tomorrow_afternoon": "tomorrow afternoon",
    "tomorrow_evening": "tomorrow evening",
}

_said_once: set[str] = set()


def _log_once(message: str, *args: object) -> None:
    if message not in _said_once:
        _said_once.add(message)
        logger.warning(message, *args)


@dataclass(frozen=True)
class Mailer:
    """Where and how staff emails go: parsed from SMTP_URL and STAFF_EMAIL."""

    host: str
    port: int
    implicit_tls: bool  # smtps://
    username: str
    password: str = field(repr=False)
    recipients: tuple[str, ...] = ()

    @classmethod
    def from_environment(cls) -> "Mailer | None":
        """The mailer the environment describes; None (logged once) when it describes none."""
        url, staff = os.environ.get(SMTP_URL_ENV, ""), os.environ.get(STAFF_EMAIL_ENV, "")
        if not url or not staff:
            missing = " and ".join(
                name for name, value in ((SMTP_URL_ENV, url), (STAFF_EMAIL_ENV, staff)) if not value
            )
            _log_once(
                "%s not set: call-back requests are queued but not emailed; "
                "staff see them with `make callbacks`.",
                missing,
            )
            return None
        try:
            return cls.parse(url, staff)
        except ValueError as error:
            _log_once(
                "%s is not usable (%s): call-back requests are not emailed.", SMTP_URL_ENV, error
            )
            return None

    @classmethod
    def parse(cls, url: str, staff: str) -> "Mailer":
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://[user:password@]host[:port] or smtps://...")
        recipients = tuple(address for _, address in getaddresses([staff]) if "@" in address)
        if not recipients:
            raise ValueError(f"{STAFF_EMAIL_ENV} holds no email address")
        implicit_tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit_tls else 587),
            implicit_tls=implicit_tls,
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            recipients=recipients,
        )

    @property
    def sender(self) -> str:
        """The From address: the account's own when it is an address, else the staff's."""
        return self.username if "@" in self.username else self.recipients[0]

    def send(self, message: EmailMessage) -> None:
        """Sends one message; raises (smtplib.SMTPException, OSError) if it was not sent."""
        context = ssl.create_default_context()
        if self.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=SMTP_TIMEOUT_S, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S)
        with client:
            client.ehlo()
            if not self.implicit_tls:
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                elif not _is_loopback(self.host):
                    raise smtplib.SMTPNotSupportedError(
                        f"{self.host} does not offer STARTTLS: not sending a number in the clear"
                    )
            if self.username:
                client.login(self.username, self.password)
            client.send_message(message, from_addr=self.sender, to_addrs=list(self.recipients))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def when_to_call(request: CallbackRequest) -> str:
    """The window as staff read it, with the date for a named day (the server's local day)."""
    local = request.requested_at.astimezone()
    name = WINDOW_NAMES.get(request.window, request.window)
    if request.window == "today":
        return f"{name} ({local:%a %b} {local.day})"
    if request.window.startswith("tomorrow"):
        day = local + timedelta(days=1)
        return f"{name} ({day:%a %b} {day.day})"
    return name


def compose(request: CallbackRequest, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    """The staff email for one request: the request itself, and nothing of the conversation."""
    local = request.requested_at.astimezone()
    yes_no = {True: "yes", False: "no"}
    message = EmailMessage()
    message["Subject"] = f"Call-back request #{request.id}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(
        f"Someone asked {center_name()} to call them back.\n"
        "\n"
        f"Request:    #{request.id}\n"
        f"Name:       {request.name or '(not given)'}\n"
        f"Number:     {request.phone_display}\n"
        f"When:       {when_to_call(request)}\n"
        f"Voicemail:  {yes_no[request.voicemail]}\n"
        f"Text OK:    {yes_no[request.text_ok]}\n"
        f"Channel:    {CHANNEL_NAMES.get(request.channel, request.channel)}\n"
        f"Requested:  {local:%Y-%m-%d %H:%M %Z}\n"
        "\n"
        "When the call is done, mark it so the number is deleted on time:\n"
        f"  make callbacks DONE={request.id}\n"
        "\n"
        "Please delete this email once the call is done.\n"
    )
    return message


def deliver_pending(queue: CallbackQueue, mailer: Mailer | None = None) -> int:
    """Emails every request not yet delivered; how many were sent. Blocking: run
    it in a thread. A failure leaves the request queued for the next attempt."""
    mailer = mailer or Mailer.from_environment()
    if mailer is None or not queue.available:
        return 0
    sent = 0
    for request in queue.claim_undelivered():
        try:
            mailer.send(compose(request, mailer.sender, mailer.recipients))
        except Exception as error:  # the mail server's trouble must not lose the request
            queue.release(request.id)
            logger.warning(
                "Call-back request #%d was not emailed (%s: %s); it stays queued and "
                "will be tried again.",
                request.id,
                type(error).__name__,
                error,
            )
            continue
        queue.mark_delivered(request.id)
        sent += 1
        logger.info("Call-back request #%d emailed to staff.", request.id)
    return sent


# --- in the background, off the event loop ---

_tasks: set[asyncio.Task] = set()
_retry_loops: set[int] = set()


async def deliver_now(queue: CallbackQueue | None = None) -> int:
    """deliver_pending in a thread; never raises (a failure is logged)."""
    queue = queue or CallbackQueue.from_environment()
    try:
        return await asyncio.to_thread(deliver_pending, queue)
    except Exception:
        logger.exception("Emailing call-back requests failed; they stay queued.")
        return 0


def deliver_soon(queue: CallbackQueue | None = None) -> None:
    """Starts deliver_now on the running loop without waiting for it."""
    task = asyncio.get_running_loop().create_task(deliver_now(queue))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def retry_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get(RETRY_ENV, RETRY_SECONDS)))
    except ValueError:
        return RETRY_SECONDS


async def _retry_forever() -> None:
    while True:
        await asyncio.sleep(retry_seconds())
        queue = CallbackQueue.from_environment()
        if queue.available and os.environ.get(SMTP_URL_ENV):
            await deliver_now(queue)


def start_retrying() -> None:
    """Starts the periodic retry on the running loop, once per loop."""
    loop = asyncio.get_running_loop()
    if id(loop) in _retry_loops:
        return
    _retry_loops.add(id(loop))
    task = loop.create_task(_retry_forever())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    deliver_soon()


def _start_with_the_action_server() -> None:
    """Retries start when the action server does, not only at the first request:
    requests left undelivered before a restart are sent without waiting for one."""
    try:
        from sanic import Sanic

        app = Sanic.get_app("rasa_sdk")
    except Exception:  # imported outside the action server (tests, tools)
        return

    async def start(*_: object) -> None:
        # Says once, at start, what is missing: the key, or the mail settings.
        if CallbackQueue.from_environment().available and Mailer.from_environment():
            start_retrying()

    app.register_listener(start, "after_server_start")


_start_with_the_action_server()
