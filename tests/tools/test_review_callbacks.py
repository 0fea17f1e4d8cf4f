"""make review counts call-back requests per day and channel, and shows nothing else of them."""

import re
from datetime import date, datetime

from cryptography.fernet import Fernet

from storage.callbacks import CallbackQueue
from tools.review_report import callback_counts, callbacks_html, main

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 7)


def seed(db: str) -> None:
    queue = CallbackQueue(db, [Fernet.generate_key()])
    for sender, channel, local_time in [
        ("a", "webchat", datetime(2026, 11, 2, 9, 0)),
        ("b", "webchat", datetime(2026, 11, 2, 22, 0)),
        ("c", "twilio", datetime(2026, 11, 2, 2, 0)),
        ("d", "twilio", datetime(2026, 11, 5, 13, 0)),
        ("e", "rest", datetime(2026, 11, 9, 13, 0)),  # after the range
    ]:
        queue.hold_number(sender, "508 555 0134", channel)
        queue.submit(sender, "Jen", "today", True, True, now=local_time.astimezone())
    queue.close()


def test_counts_per_day_and_channel(tmp_path):
    db = f"sqlite:///{tmp_path / 'conversations.db'}"
    seed(db)
    counts = callback_counts(db, FIRST, LAST)
    assert counts == {
        (date(2026, 11, 2), "webchat"): 2,
        (date(2026, 11, 2), "twilio"): 1,
        (date(2026, 11, 5), "twilio"): 1,
    }
    rows = re.findall(r"<tr>(.*?)</tr>", callbacks_html(counts))
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in rows]
    assert cells == [
        ["Day", "twilio", "webchat", "Total"],
        ["2026-11-02", "1", "2", "3"],
        ["2026-11-05", "1", "0", "1"],
        ["Total", "2", "2", "4"],
    ]


def test_the_report_shows_the_counts_and_no_name_or_number(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'conversations.db'}"
    seed(db)
    out = tmp_path / "review.html"
    main(["--from", "2026-11-01", "--to", "2026-11-07", "--db", db, "--out", str(out)])
    assert "4 call-back requests" in capsys.readouterr().out
    html = out.read_text()
    section = html.split("<h2>Call-back requests</h2>", 1)[1].split("<h2>", 1)[0]
    assert "2026-11-02" in section
    assert "Jen" not in html and "555" not in html


def test_no_database_yet_no_requests_and_no_file_made(tmp_path):
    assert callback_counts(str(tmp_path / "none.db"), FIRST, LAST) == {}
    assert callback_counts(f"sqlite:///{tmp_path / 'none.db'}", FIRST, LAST) == {}
    assert not list(tmp_path.iterdir())
    assert "None in this period." in callbacks_html({})
