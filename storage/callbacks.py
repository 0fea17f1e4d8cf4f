"""The call-back queue: the one place a phone number given for a call back is kept.

Someone who cannot talk now asks the center to call them back (the call-back
form, actions/). Their number goes here and nowhere else: never into a slot,
an event or a log line. A request lives in one row of `callback_requests`, in
the database the assistant already uses (BOT_DB_URL, else the tracker store's
SQLite file under var/), and goes through three states:

- held: the number alone, from `hold_number(sender_id, phone, channel)`, which
  the form's action calls when the person types it, and the SMS channel calls
  with the number Twilio gave it before it sends `/request_callback`. The row
  is found again by a keyed hash of the sender id (never the id itself), and
  a number held for a request never finished is deleted after a day.
- open: `submit(...)` adds the first name, the time window and the voicemail
  and text choices, stamps the request time and forgets the sender hash, so an
  open request cannot be joined to the conversation it came from.
- done: `mark_done(id)` (make callbacks DONE=<id>).

The number and the name are encrypted with Fernet (the `cryptography`
package) under CALLBACK_KEY; several keys, comma-separated, decrypt old rows
while the first encrypts new ones (key rotation). Without CALLBACK_KEY the
queue is not `available`: nothing is held (the form sends people to the
helpline instead) and that is logged once. Counting and purging need no key.

Retention (`purge`, run by make purge): a request is deleted 14 days after
it was marked done, and any request 30 days after it was made, done or not.

Delivery to staff (actions/callback_delivery.py) claims a request before it
emails it and records `delivered_at` after, so with several action servers
each request is emailed once; a failed attempt gives the claim back and the
request is tried again later.
"""

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import phonenumbers
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from storage.databases import DB_URL_ENV, conversations_url, create_tables, sqlalchemy_url
from storage.startup_checks import database_engine

logger = logging.getLogger(__name__)

KEY_ENV = "CALLBACK_KEY"
# US numbers may be typed without +1.
REGION = "US"
# A number held for a request that was never finished (cancelled, interrupted).
HELD_FOR = timedelta(days=1)
# Requests are deleted this long after the call was marked done...
KEEP_AFTER_DONE = timedelta(days=14)
# ... and this long after they were made, whatever happened.
KEEP_AT_MOST = timedelta(days=30)
# A delivery claimed this long ago and never finished (a crashed server) is tried again.
CLAIM_EXPIRES = timedelta(minutes=10)
# Named when the default database does not answer.
SETTING = "tracker_store db (endpoints.yml)"
# Said once per process when call-back requests are off.
NO_KEY = (
    "CALLBACK_KEY is not set: call-back requests are off; people who ask for one are "
    "given the helpline instead, and no number is kept."
)
# The time windows a person can pick, in the form's order.
WINDOWS = ("now", "today", "tomorrow_morning", "tomorrow_afternoon", "tomorrow_evening")

_metadata = sa.MetaData()
callback_requests = sa.Table(
    "callback_requests",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # HMAC of the sender id while the number is held; NULL once submitted.
    sa.Column("holder", sa.String(64), nullable=True, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    # Fernet tokens: the number in E.164 form, and the first name ("" when not given).
    sa.Column("phone", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=True),
    sa.Column("time_window", sa.String(32), nullable=True),
    sa.Column("voicemail", sa.Boolean, nullable=True),
    sa.Column("text_ok", sa.Boolean, nullable=True),
    # Times in UTC, without a zone (the same on SQLite and PostgreSQL).
    sa.Column("held_at", sa.DateTime, nullable=False),
    sa.Column("requested_at", sa.DateTime, nullable=True, index=True),
    sa.Column("delivery_claimed_at", sa.DateTime, nullable=True),
    sa.Column("delivery_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("delivered_at", sa.DateTime, nullable=True),
    sa.Column("done_at", sa.DateTime, nullable=True),
)
T = callback_requests.c


class NoNumberHeld(Exception):
    """submit() found no number held for the sender (never given, or expired)."""


class InvalidNumber(ValueError):
    """hold_number() was given something that is not a valid phone number.

    Its message never repeats what it was given."""


@dataclass(frozen=True)
class CallbackRequest:
    id: int
    name: str  # "" when the person gave none
    phone: str  # E.164, e.g. +15085550134
    window: str  # one of WINDOWS
    voicemail: bool
    text_ok: bool
    channel: str  # the input channel's name: rest, webchat, twilio, cmdline
    requested_at: datetime  # aware, UTC
    delivered_at: datetime | None
    done_at: datetime | None

    @property
    def phone_display(self) -> str:
        """(508) 555-0134 for a US or Canadian number, +44 20 ... for any other."""
        number = phonenumbers.parse(self.phone)
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 1
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style)


@dataclass(frozen=True)
class Purged:
    held: int  # numbers held for requests never finished, after a day
    done: int  # requests done more than 14 days ago
    expired: int  # requests made more than 30 days ago

    @property
    def total(self) -> int:
        return self.held + self.done + self.expired


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _naive_utc(moment: datetime) -> datetime:
    """How times are stored: UTC without a zone (aware times are converted)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment is not None else None


def normalized_number(phone: str) -> str:
    """The number in E.164 form; InvalidNumber unless it is a valid phone number."""
    try:
        number = phonenumbers.parse(phone, REGION)
    except phonenumbers.NumberParseException:
        raise InvalidNumber("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _keys(value: str) -> list[bytes]:
    """The Fernet keys of CALLBACK_KEY, checked; ValueError for a malformed one."""
    keys = [part.strip().encode() for part in value.split(",") if part.strip()]
    for key in keys:
        Fernet(key)  # raises ValueError for anything but 32 url-safe base64 bytes
    return keys


_said_once: set[str] = set()


def _log_once(message: str, *args: object, level: int = logging.WARNING) -> None:
    if message not in _said_once:
        _said_once.add(message)
        logger.log(level, message, *args)


class CallbackQueue:
    """The queue in the database at `db_url`; `keys` encrypt and decrypt the numbers."""

    def __init__(self, db_url: str, keys: list[bytes] | None, setting: str = DB_URL_ENV) -> None:
        self._db_url = sqlalchemy_url(db_url)
        self._setting = setting
        self._keys = keys or []
        self._fernet = MultiFernet([Fernet(key) for key in self._keys]) if self._keys else None
        self._engine_: sa.engine.Engine | None = None
        self._tables_made = False

    @classmethod
    def from_environment(cls) -> "CallbackQueue":
        """The queue the environment names: BOT_DB_URL (else the tracker store's
        SQLite file, endpoints.yml) and CALLBACK_KEY. One per process and setting."""
        return _queue_for(
            os.environ.get(DB_URL_ENV) or conversations_url(), os.environ.get(KEY_ENV, "")
        )

    @property
    def available(self) -> bool:
        """Whether numbers can be taken: a valid CALLBACK_KEY is set."""
        return self._fernet is not None

    # --- the form and the SMS channel ---

    def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
        """Keeps `phone` (encrypted) for the request `sender_id` is making on `channel`.

        It replaces any number held before for the same sender. Without
        CALLBACK_KEY nothing is kept (and that is logged once); a string that is
        not a valid phone number raises InvalidNumber.
        """
        if self._fernet is None:
            _log_once(NO_KEY)
            return
        number = normalized_number(phone)
        now = _naive_utc(utc_now())
        holder = self._holder(sender_id)
        with self._engine().begin() as connection:
            connection.execute(
                callback_requests.delete().where(
                    T.requested_at.is_(None),
                    sa.or_(T.holder == holder, T.held_at < now - HELD_FOR),
                )
            )
            connection.execute(
                callback_requests.insert().values(
                    holder=holder,
                    channel=channel[:32],
                    phone=self._encrypt(number),
                    held_at=now,
                    delivery_attempts=0,
                )
            )

    def has_held_number(self, sender_id: str) -> bool:
        """Whether a number is held, not yet expired, for `sender_id`'s request."""
        if self._fernet is None:
            return False
        cutoff = _naive_utc(utc_now()) - HELD_FOR
        with self._engine().connect() as connection:
            found = connection.execute(
                sa.select(T.id).where(
                    T.holder == self._holder(sender_id),
                    T.requested_at.is_(None),
                    T.held_at >= cutoff,
                )
            ).first()
        return found is not None

    def discard(self, sender_id: str) -> int:
        """Deletes the number held for `sender_id` (a request cancelled or started
        afresh); returns how many rows went. Submitted requests are not touched."""
        if self._fernet is None:
            return 0
        with self._engine().begin() as connection:
            deleted = connection.execute(
                callback_requests.delete().where(
                    T.holder == self._holder(sender_id), T.requested_at.is_(None)
                )
            )
        return deleted.rowcount

    def submit(
        self,
        sender_id: str,
        name: str,
        window: str,
        voicemail: bool,
        text_ok: bool,
        now: datetime | None = None,
    ) -> int:
        """Turns the number held for `sender_id` into an open request; its id.

        Raises NoNumberHeld when no number is held (or it expired).
        """
        if self._fernet is None:
            raise NoNumberHeld("call-back requests are off (no CALLBACK_KEY)")
        if window not in WINDOWS:
            raise ValueError(f"unknown time window {window!r}")
        moment = _naive_utc(now or utc_now())
        holder = self._holder(sender_id)
        with self._engine().begin() as connection:
            row = connection.execute(
                sa.select(T.id)
                .where(
                    T.holder == holder,
                    T.requested_at.is_(None),
                    T.held_at >= moment - HELD_FOR,
                )
                .order_by(T.held_at.desc())
                .limit(1)
            ).first()
            if row is None:
                raise NoNumberHeld("no number is held for this conversation")
            connection.execute(
                callback_requests.update()
                .where(T.id == row.id)
                .values(
                    holder=None,
                    name=self._encrypt(name or ""),
                    time_window=window,
                    voicemail=bool(voicemail),
                    text_ok=bool(text_ok),
                    requested_at=moment,
                )
            )
        return row.id

    # --- staff ---

    def open_requests(self) -> list[CallbackRequest]:
        """Requests not yet marked done, oldest first, with their numbers decrypted."""
        with self._engine().connect() as connection:
            rows = connection.execute(
                sa.select(callback_requests)
                .where(T.requested_at.is_not(None), T.done_at.is_(None))
                .order_by(T.requested_at, T.id)
            ).all()
        return [self._request(row) for row in rows]

    def request(self, request_id: int) -> CallbackRequest | None:
        """One submitted request, done or not; None if there is none with that id."""
        with self._engine().connect() as connection:
            row = connection.execute(
                sa.select(callback_requests).where(T.id == request_id, T.requested_at.is_not(None))
            ).first()
        return self._request(row) if row is not None else None

    def mark_done(self, request_id: int, now: datetime | None = None) -> bool:
        """Marks an open request done; False if there is no open request with that id."""
        with self._engine().begin() as connection:
            updated = connection.execute(
                callback_requests.update()
                .where(T.id == request_id, T.requested_at.is_not(None), T.done_at.is_(None))
                .values(done_at=_naive_utc(now or utc_now()))
            )
        return updated.rowcount == 1

    # --- delivery (actions/callback_delivery.py) ---

    def claim_undelivered(self, now: datetime | None = None) -> list[CallbackRequest]:
        """Claims the open requests that still need emailing, for this caller alone.

        A request is claimed by one caller at a time (an UPDATE that only one
        can win), so two servers retrying together send it once. The caller
        then calls mark_delivered or release for each.
        """
        moment = _naive_utc(now or utc_now())
        undelivered = sa.and_(
            T.requested_at.is_not(None),
            T.delivered_at.is_(None),
            T.done_at.is_(None),
            sa.or_(
                T.delivery_claimed_at.is_(None),
                T.delivery_claimed_at < moment - CLAIM_EXPIRES,
            ),
        )
        claimed = []
        with self._engine().connect() as connection:
            ids = connection.execute(
                sa.select(T.id).where(undelivered).order_by(T.requested_at)
            ).scalars()
            candidates = list(ids)
        for request_id in candidates:
            with self._engine().begin() as connection:
                won = connection.execute(
                    callback_requests.update()
                    .where(T.id == request_id, undelivered)
                    .values(delivery_claimed_at=moment)
                ).rowcount
            if won:
                request = self.request(request_id)
                if request is not None:
                    claimed.append(request)
        return claimed

    def mark_delivered(self, request_id: int, now: datetime | None = None) -> None:
        with self._engine().begin() as connection:
            connection.execute(
                callback_requests.update()
                .where(T.id == request_id)
                .values(delivered_at=_naive_utc(now or utc_now()), delivery_claimed_at=None)
            )

    def release(self, request_id: int) -> None:
        """A delivery failed: the request is tried again on the next attempt."""
        with self._engine().begin() as connection:
            connection.execute(
                callback_requests.update()
                .where(T.id == request_id)
                .values(delivery_claimed_at=None, delivery_attempts=T.delivery_attempts + 1)
            )

    # --- retention and reports (no key needed) ---

    def purge(self, now: datetime | None = None) -> Purged:
        """Deletes what the retention rules say must go (see the module docstring)."""
        moment = _naive_utc(now or utc_now())
        if not self._has_table():
            return Purged(0, 0, 0)
        with self._engine().begin() as connection:
            held = connection.execute(
                callback_requests.delete().where(
                    T.requested_at.is_(None), T.held_at < moment - HELD_FOR
                )
            ).rowcount
            expired = connection.execute(
                callback_requests.delete().where(T.requested_at < moment - KEEP_AT_MOST)
            ).rowcount
            done = connection.execute(
                callback_requests.delete().where(T.done_at < moment - KEEP_AFTER_DONE)
            ).rowcount
        return Purged(held, done, expired)

    def counts_per_day_and_channel(self, first: date, last: date) -> dict[tuple[date, str], int]:
        """Requests made on each of the server's local days first..last (both
        included), by channel. Days without requests are left out."""
        start = datetime.combine(first, time.min).astimezone()
        end = datetime.combine(last + timedelta(days=1), time.min).astimezone()
        if not self._has_table():
            return {}
        with self._engine().connect() as connection:
            rows = connection.execute(
                sa.select(T.requested_at, T.channel).where(
                    T.requested_at >= _naive_utc(start), T.requested_at < _naive_utc(end)
                )
            ).all()
        counts: dict[tuple[date, str], int] = {}
        for requested_at, channel in rows:
            day = requested_at.replace(tzinfo=timezone.utc).astimezone().date()
            counts[(day, channel)] = counts.get((day, channel), 0) + 1
        return counts

    def close(self) -> None:
        if self._engine_ is not None:
            self._engine_.dispose()
            self._engine_ = None
            self._tables_made = False

    # --- inside ---

    def _engine(self) -> sa.engine.Engine:
        """The engine, with the table made on first use."""
        engine = self._connected()
        if not self._tables_made:
            create_tables(_metadata, engine)
            self._tables_made = True
        return engine

    def _connected(self) -> sa.engine.Engine:
        """The engine alone. A database that does not answer raises
        StoreUnreachable naming the setting (never its password)."""
        if self._engine_ is None:
            self._engine_ = database_engine(self._db_url, self._setting)
        return self._engine_

    def _has_table(self) -> bool:
        """For reports and purges, which never make the table."""
        return self._tables_made or sa.inspect(self._connected()).has_table(callback_requests.name)

    def _holder(self, sender_id: str) -> str:
        assert self._keys, "no key"
        return hmac.new(self._keys[0], sender_id.encode(), hashlib.sha256).hexdigest()

    def _encrypt(self, text: str) -> str:
        assert self._fernet is not None
        return self._fernet.encrypt(text.encode()).decode()

    def _decrypt(self, token: str | None) -> str:
        if not token:
            return ""
        if self._fernet is None:
            raise PermissionError(f"{KEY_ENV} is not set: the numbers cannot be read")
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise PermissionError(
                f"{KEY_ENV} does not decrypt this request (was the key changed?)"
            ) from None

    def _request(self, row: sa.engine.Row) -> CallbackRequest:
        return CallbackRequest(
            id=row.id,
            name=self._decrypt(row.name),
            phone=self._decrypt(row.phone),
            window=row.time_window,
            voicemail=bool(row.voicemail),
            text_ok=bool(row.text_ok),
            channel=row.channel,
            requested_at=_aware(row.requested_at),
            delivered_at=_aware(row.delivered_at),
            done_at=_aware(row.done_at),
        )


@lru_cache(maxsize=8)
def _queue_for(db_url: str, key_setting: str) -> CallbackQueue:
    keys: list[bytes] | None = None
    if not key_setting.strip():
        _log_once(NO_KEY)
    else:
        try:
            keys = _keys(key_setting)
        except ValueError:
            _log_once(
                "%s is not a Fernet key (32 url-safe base64 bytes; make one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`): call-back requests are off.",
                KEY_ENV,
                level=logging.ERROR,
            )
    return CallbackQueue(db_url, keys, DB_URL_ENV if os.environ.get(DB_URL_ENV) else SETTING)
