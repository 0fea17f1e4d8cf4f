"""make review FROM=2026-11-01 TO=2026-11-30: what went unanswered, for staff.

Writes one self-contained HTML page (inline style and chart, no requests to
anywhere) for a range of days: the questions the assistant could not answer,
grouped by similarity, the topics asked most, the urgent handoffs per category
and channel, the call-back requests per day and channel, and the conversations
per day. Staff use it to decide which content to add. It names no one: no
sender ids, and phone numbers and emails in messages are shown as [phone] and
[email]; of call-back requests only their number per day is shown.

Conversations and call-back requests come from BOT_DB_URL, else
var/conversations.db; handoffs from the audit in var/handoffs.db.
"""

import argparse
import math
from collections import Counter
from datetime import date, timedelta
from html import escape
from pathlib import Path

from storage.callbacks import CallbackQueue
from storage.databases import DB_URL_ENV, conversations_url, handoffs_db
from tools.content import ROOT
from tools.review_data import Review, collect

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;
  padding:0 1rem;color:#1a1a1a}
h2{border-bottom:2px solid #1b5e7a;padding-bottom:.2rem;margin-top:2.5rem}
.explain{color:#444}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
td.n,th.n{text-align:right;width:5rem}
tfoot td{font-weight:600;border-top:2px solid #999}
ul.examples{margin:.25rem 0 0;padding-left:1.2rem;color:#444}
.totals{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}
.totals li{border:1px solid #ccc;border-radius:6px;padding:.5rem .75rem}
.totals b{display:block;font-size:1.4rem;color:#1b5e7a}
.pair{display:flex;flex-wrap:wrap;gap:2rem}.pair>div{flex:1;min-width:16rem}
svg text{font:11px system-ui,sans-serif;fill:#333}
svg rect.day{fill:#1b5e7a}
"""

# The chart's drawing area in SVG units; bars share the width, and the margin
# around it leaves room for the labels.
CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 720, 180, 24
DAY_LABELS = 15  # at most this many date labels under the bars


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def count_table(label: str, counts: Counter[str], empty: str) -> str:
    """A table of names and counts, largest first, with the total below."""
    if not counts:
        return f"<p>{escape(empty)}</p>"
    total = sum(counts.values())
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td class=n>{count}</td>"
        f"<td class=n>{percent(count, total)}</td></tr>"
        for name, count in counts.most_common()
    )
    return (
        f"<table><thead><tr><th>{escape(label)}</th><th class=n>Count</th>"
        f"<th class=n>Share</th></tr></thead><tbody>{rows}</tbody>"
        f"<tfoot><tr><td>Total</td><td class=n>{total}</td><td></td></tr></tfoot></table>"
    )


def totals_html(review: Review) -> str:
    figures = [
        (review.conversations, "conversations"),
        (review.messages, "messages people sent"),
        (
            review.unanswered_count,
            f"unanswered ({percent(review.unanswered_count, review.messages)} of messages)",
        ),
        (sum(review.topics.values()), "answered from curated topics"),
        (review.handoffs, "urgent handoffs"),
    ]
    items = "".join(f"<li><b>{n}</b>{escape(label)}</li>" for n, label in figures)
    return f'<ul class="totals">{items}</ul>'


def unanswered_html(review: Review) -> str:
    if not review.unanswered:
        return "<p>None in this period.</p>"
    rows = []
    for group in review.unanswered:
        examples = "".join(f"<li>{escape(text)}</li>" for text in group.examples)
        rows.append(
            f"<tr><td class=n>{len(group.messages)}</td><td>{escape(group.representative)}"
            + (f'<ul class="examples">{examples}</ul>' if examples else "")
            + "</td></tr>"
        )
    return (
        "<table><thead><tr><th class=n>Times</th><th>Question (and other wordings)</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody><tfoot><tr>"
        f"<td class=n>{review.unanswered_count}</td><td>in {len(review.unanswered)} groups"
        "</td></tr></tfoot></table>"
    )


def callbacks_html(counts: dict[tuple[date, str], int] | None) -> str:
    """Call-back requests per day (rows) and channel (columns), with totals."""
    if not counts:
        return "<p>None in this period.</p>"
    channels = sorted({channel for _, channel in counts})
    days = sorted({day for day, _ in counts})
    head = "".join(f"<th class=n>{escape(channel)}</th>" for channel in channels)
    body = "".join(
        f"<tr><td>{day.isoformat()}</td>"
        + "".join(f"<td class=n>{counts.get((day, channel), 0)}</td>" for channel in channels)
        + f"<td class=n>{sum(counts.get((day, c), 0) for c in channels)}</td></tr>"
        for day in days
    )
    totals = "".join(
        f"<td class=n>{sum(counts.get((day, channel), 0) for day in days)}</td>"
        for channel in channels
    )
    return (
        f"<table><thead><tr><th>Day</th>{head}<th class=n>Total</th></tr></thead>"
        f"<tbody>{body}</tbody><tfoot><tr><td>Total</td>{totals}"
        f"<td class=n>{sum(counts.values())}</td></tr></tfoot></table>"
    )


def callback_counts(db: str, first: date, last: date) -> dict[tuple[date, str], int]:
    """The call-back requests per day and channel in `db`; none (and no file made)
    when there is no database yet. No key is needed: nothing is decrypted."""
    if "://" not in db and not Path(db).exists():
        return {}
    if db.startswith("sqlite:///") and not Path(db.removeprefix("sqlite:///")).exists():
        return {}
    queue = CallbackQueue(db, None)
    try:
        return queue.counts_per_day_and_channel(first, last)
    finally:
        queue.close()


def chart_svg(per_day: dict[date, int]) -> str:
    """Bars of conversations per day, one per day of the range, zero days included."""
    days = sorted(per_day)
    highest = max(per_day.values(), default=0) or 1
    slot = CHART_WIDTH / len(days)
    label_every = math.ceil(len(days) / DAY_LABELS)
    base = CHART_MARGIN + CHART_HEIGHT
    parts = []
    for i, day in enumerate(days):
        count = per_day[day]
        height = CHART_HEIGHT * count / highest
        x = i * slot + slot * 0.1
        label = f"{day.isoformat()}: {count} conversation{'s' if count != 1 else ''}"
        parts.append(
            f'<rect class="day" x="{x:.1f}" y="{base - height:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{height:.1f}"><title>{escape(label)}</title></rect>'
        )
        middle = i * slot + slot / 2
        if count and slot >= 18:
            parts.append(
                f'<text x="{middle:.1f}" y="{base - height - 4:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="middle">'
                f"{day.strftime('%b %d')}</text>"
            )
    width, height = CHART_WIDTH, base + CHART_MARGIN
    return (
        f'<svg viewBox="-{CHART_MARGIN} 0 {width + 2 * CHART_MARGIN} {height}" '
        f'width="100%" role="img" aria-label="Conversations per day">'
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#999"/>'
        f"{''.join(parts)}</svg>"
    )


def render(review: Review, callbacks: dict[tuple[date, str], int] | None = None) -> str:
    period = f"{review.first.isoformat()} to {review.last.isoformat()}"
    handoff_source = (
        "Counted by the handoff audit (time, channel and kind of emergency only)."
        if review.handoffs_from_audit
        else "No handoff audit was found, so these are counted from the stored conversations,"
        " which are deleted after the retention period (make purge): older periods may show"
        " fewer."
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>What went unanswered: {period}</title><style>{STYLE}</style></head>
<body><h1>Lake Avenue Recovery assistant: what went unanswered</h1>
<p>{period} ({len(review.conversations_per_day)} days), generated {date.today().isoformat()}.
No one is identified in this report: it shows no sender ids, and phone numbers and
emails people typed appear as [phone] and [email].</p>
{totals_html(review)}

<h2>Questions the assistant could not answer</h2>
<p class="explain">Messages that got the "not sure I understood" or "I can only help
with..." reply. Messages that share at least half their words are grouped; the
biggest groups come first and are the best candidates for a new topic, or for more
training examples if a topic already covers them.</p>
{unanswered_html(review)}

<h2>Topics asked most</h2>
<p class="explain">Questions answered from a curated topic (<code>faq/&lt;id&gt;</code>),
by how often each topic was given.</p>
{count_table("Topic", review.topics, "No topic questions in this period.")}

<h2>Urgent handoffs</h2>
<p class="explain">Replies that hand someone over to people: the emergency replies
(911 or 988 first, then the helpline) and requests to talk with a person
(<code>human</code>). {escape(handoff_source)}</p>
<div class="pair"><div><h3>By reason</h3>
{count_table("Reason", review.handoffs_by_category, "None in this period.")}</div>
<div><h3>By channel</h3>
{count_table("Channel", review.handoffs_by_channel, "None in this period.")}</div></div>

<h2>Call-back requests</h2>
<p class="explain">Requests to be called back, by the day they were made and the channel
they came from (<code>webchat</code>: the website widget, <code>twilio</code>: text
messages, <code>rest</code>: the website's back end). Staff see the open ones with
<code>make callbacks</code>.</p>
{callbacks_html(callbacks)}

<h2>Conversations per day</h2>
<p class="explain">People who sent at least one message that day
({review.conversations} conversations in the period; someone who writes on two days
counts on both).</p>
{chart_svg(review.conversations_per_day)}
</body></html>
"""


def default_out(first: date, last: date) -> Path:
    return ROOT / "reports" / f"review-{first.isoformat()}-{last.isoformat()}.html"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    day = date.fromisoformat
    parser.add_argument("--from", dest="first", type=day, help="YYYY-MM-DD (default: --to - 29)")
    parser.add_argument("--to", dest="last", type=day, help="YYYY-MM-DD, included (default: today)")
    parser.add_argument(
        "--db",
        default=conversations_url(),
        # Not %(default)s: a database URL may hold a password.
        help=f"SQLAlchemy URL or SQLite file (default: ${DB_URL_ENV}, else endpoints.yml's)",
    )
    parser.add_argument("--audit-db", default=handoffs_db(), help="default: %(default)s")
    parser.add_argument("--out", type=Path, help="default: reports/review-<from>-<to>.html")
    args = parser.parse_args(argv)
    last = args.last or date.today()
    first = args.first or last - timedelta(days=29)
    if first > last:
        parser.error("--from must not be after --to")
    review = collect(args.db, args.audit_db, first, last)
    callbacks = callback_counts(args.db, first, last)
    out = args.out or default_out(first, last)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(review, callbacks))
    print(
        f"Review report: {out}\n{review.conversations} conversations, "
        f"{review.unanswered_count} unanswered messages in {len(review.unanswered)} groups, "
        f"{review.handoffs} urgent handoffs, {sum(callbacks.values())} call-back requests."
    )


if __name__ == "__main__":
    main()
