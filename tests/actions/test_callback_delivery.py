"""Call-back requests emailed to staff, caught by a real SMTP server on loopback (aiosmtpd).

The email holds the request and nothing of the conversation; a mail server
that is down leaves the request queued, and it is sent once when the server is
back; STARTTLS is used (and certificates checked) whenever the server offers
it, and a remote server that does not offer it gets nothing.
"""

import asyncio
import datetime as dt
import email
import smtplib
import ssl
from email import policy

import aiosmtpd.controller as aiosmtpd_controller
import aiosmtpd.smtp as aiosmtpd_smtp
import pytest
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from actions import callback_delivery
from actions.callback_delivery import Mailer, compose, deliver_now, deliver_pending
from center.facts import center_name
from storage.callbacks import CallbackQueue
from tools.local_servers import free_port

STAFF = "intake@lakeavenue.example"
USER, PASSWORD = "assistant@lakeavenue.example", "s3cret pass/word"


class Inbox:
    """An aiosmtpd handler that keeps each message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def smtp_server(inbox: Inbox, port: int, **kwargs):
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def queue(tmp_path) -> CallbackQueue:
    q = CallbackQueue(f"sqlite:///{tmp_path / 'conversations.db'}", [Fernet.generate_key()])
    yield q
    q.close()


def submit(queue: CallbackQueue, sender: str = "web-1", name: str = "Jen") -> int:
    queue.hold_number(sender, "508 555 0134", "webchat")
    return queue.submit(sender, name, "tomorrow_morning", True, False)


def mailer(port: int, scheme: str = "smtp", host: str = "127.0.0.1", auth: bool = False) -> Mailer:
    credentials = f"{USER.replace('@', '%40')}:{PASSWORD.replace('/', '%2F')}@" if auth else ""
    return Mailer.parse(f"{scheme}://{credentials}{host}:{port}", STAFF)


def test_smtp_url_and_staff_email_are_read():
    parsed = Mailer.parse(
        "smtp://user%40example.org:p%40ss@mail.example.org", "Intake <a@x.org>, b@x.org"
    )
    assert (parsed.host, parsed.port, parsed.implicit_tls) == ("mail.example.org", 587, False)
    assert (parsed.username, parsed.password) == ("user@example.org", "p@ss")
    assert parsed.recipients == ("a@x.org", "b@x.org") and parsed.sender == "user@example.org"
    assert Mailer.parse("smtps://mail.example.org", "a@x.org").port == 465
    for bad in ("http://mail.example.org", "smtp://", "mail.example.org"):
        with pytest.raises(ValueError):
            Mailer.parse(bad, "a@x.org")


def test_without_smtp_settings_requests_are_only_queued_and_that_is_logged_once(
    queue, monkeypatch, caplog
):
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.setenv("STAFF_EMAIL", STAFF)
    callback_delivery._said_once.clear()
    submit(queue)
    with caplog.at_level("WARNING"):
        assert deliver_pending(queue) == 0
        assert deliver_pending(queue) == 0
    assert caplog.text.count("SMTP_URL not set") == 1
    assert queue.open_requests()[0].delivered_at is None


def test_the_email_holds_the_request_and_nothing_else(queue):
    inbox, port = Inbox(), free_port()
    server = smtp_server(inbox, port)
    try:
        request_id = submit(queue)
        assert deliver_pending(queue, mailer(port)) == 1
    finally:
        server.stop()
    [message] = inbox.messages
    assert message["Subject"] == f"Call-back request #{request_id}"
    assert message["To"] == STAFF and message["From"] == STAFF
    assert inbox.envelopes[0].rcpt_tos == [STAFF]
    body = message.get_content()
    for line in [
        f"Someone asked {center_name()} to call them back.",
        f"Request:    #{request_id}",
        "Name:       Jen",
        "Number:     (508) 555-0134",
        "When:       tomorrow morning (",
        "Voicemail:  yes",
        "Text OK:    no",
        "Channel:    website chat",
        "Requested:  ",
        f"make callbacks DONE={request_id}",
    ]:
        assert line in body, line
    # The request alone: no sender id, nothing of the conversation, no number in the subject.
    assert "web-1" not in message.as_string()
    assert "555" not in message["Subject"]
    assert set(body.split()) <= set(
        compose(queue.request(request_id), STAFF, (STAFF,)).get_content().split()
    )


def test_a_request_without_a_name_says_so(queue):
    submit(queue, name="")
    [request] = queue.open_requests()
    assert "Name:       (not given)" in compose(request, STAFF, (STAFF,)).get_content()


def test_mail_server_down_then_up_delivers_once(queue, caplog):
    inbox, port = Inbox(), free_port()
    first, second = submit(queue, "web-1"), submit(queue, "web-2", "Sam")
    with caplog.at_level("WARNING"):
        assert deliver_pending(queue, mailer(port)) == 0  # nobody listening
    assert "stays queued" in caplog.text and "555" not in caplog.text
    assert [r.delivered_at for r in queue.open_requests()] == [None, None]
    server = smtp_server(inbox, port)
    try:
        assert deliver_pending(queue, mailer(port)) == 2
        assert deliver_pending(queue, mailer(port)) == 0
    finally:
        server.stop()
    assert sorted(m["Subject"] for m in inbox.messages) == [
        f"Call-back request #{first}",
        f"Call-back request #{second}",
    ]
    assert all(r.delivered_at for r in queue.open_requests())


def test_two_servers_retrying_together_send_each_request_once(tmp_path):
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    key = Fernet.generate_key()
    one, two = CallbackQueue(db, [key]), CallbackQueue(db, [key])
    for sender in ("a", "b", "c"):
        submit(one, sender)
    inbox, port = Inbox(), free_port()
    server = smtp_server(inbox, port)

    async def both() -> list[int]:
        return await asyncio.gather(
            asyncio.to_thread(deliver_pending, one, mailer(port)),
            asyncio.to_thread(deliver_pending, two, mailer(port)),
        )

    try:
        assert sum(asyncio.run(both())) == 3
    finally:
        server.stop()
    assert len(inbox.messages) == 3


def test_deliver_now_runs_off_the_event_loop_and_never_raises(queue, monkeypatch):
    submit(queue)
    monkeypatch.setattr(
        callback_delivery, "deliver_pending", lambda q: (_ for _ in ()).throw(OSError("boom"))
    )
    assert asyncio.run(deliver_now(queue)) == 0


def test_a_remote_server_without_starttls_gets_nothing(queue, monkeypatch):
    inbox, port = Inbox(), free_port()
    server = smtp_server(inbox, port)
    monkeypatch.setattr(callback_delivery, "_is_loopback", lambda host: False)
    try:
        submit(queue)
        with pytest.raises(smtplib.SMTPNotSupportedError):
            mailer(port).send(compose(queue.open_requests()[0], STAFF, (STAFF,)))
        assert deliver_pending(queue, mailer(port)) == 0
    finally:
        server.stop()
    assert inbox.messages == []


# --- TLS: a certificate for localhost, trusted through SSL_CERT_FILE ---


@pytest.fixture
def tls(tmp_path, monkeypatch) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def authenticator(logins: list):
    def check(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        ok = (auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
        return aiosmtpd_smtp.AuthResult(success=ok)

    return check


def test_starttls_then_login(queue, tls):
    inbox, port, logins = Inbox(), free_port(), []
    server = smtp_server(
        inbox,
        port,
        server_hostname="localhost",
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticator(logins),
    )
    try:
        submit(queue)
        assert deliver_pending(queue, mailer(port, host="localhost", auth=True)) == 1
    finally:
        server.stop()
    assert logins == [(USER, PASSWORD)]
    assert inbox.messages[0]["From"] == USER


def test_smtps(queue, tls):
    inbox, port, logins = Inbox(), free_port(), []
    server = smtp_server(
        inbox,
        port,
        server_hostname="localhost",
        ssl_context=tls,
        authenticator=authenticator(logins),
        # aiosmtpd does not count TLS from the start as TLS for AUTH.
        auth_require_tls=False,
    )
    try:
        submit(queue)
        assert deliver_pending(queue, mailer(port, "smtps", "localhost", auth=True)) == 1
    finally:
        server.stop()
    assert logins == [(USER, PASSWORD)] and len(inbox.messages) == 1
