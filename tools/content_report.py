"""make content-report: one HTML page for clinical staff to review and sign off.

Lists every curated topic with its clinical sign-off state, topics still pending
first: its web and SMS answers as people see them, in English and Spanish side
by side, the buttons that follow, the full source titles and where to find
them, the review date and how many training examples lead to it. A topic is signed off by recording
`signoff: {status: signed, by: "...", date: "YYYY-MM-DD"}` in the metadata of
both its answers in data/content/.
"""

from datetime import date
from html import escape

from center.sources import SOURCES, WHERE
from tools.content import ROOT, Topic, fill, load_topics

REPORT = ROOT / "reports" / "content-report.html"

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;
  padding:0 1rem;color:#1a1a1a}
h2{border-bottom:2px solid #1b5e7a;padding-bottom:.2rem;margin-top:2.5rem}
section{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
h3{margin:0 0 .5rem;font-family:monospace}
table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.label{font-weight:600;color:#1b5e7a}
.sms{background:#f4f4f4;padding:.5rem;border-radius:4px}
.meta{color:#444;font-size:.9rem}
.state{font-weight:600}
.pending{color:#8a4b00}
.signed{color:#1d6b2a}
.missing{color:#8a0000;font-weight:600}
table.languages{width:100%;table-layout:fixed}
table.languages td{vertical-align:top}
body{max-width:90rem}
"""


def state_text(topic: Topic) -> str:
    """The sign-off state in words: pending, or who signed and when."""
    if topic.signed:
        return f"Signed off by {topic.signoff['by']} on {topic.signoff['date']}"
    return "Pending clinical sign-off"


def state_html(topic: Topic) -> str:
    kind = "signed" if topic.signed else "pending"
    return f'<span class="state {kind}">{escape(state_text(topic))}</span>'


def source_item(key: str) -> str:
    where = WHERE.get(key)
    return f"<li>{escape(SOURCES[key])}" + (f"<br><small>{escape(where)}</small>" if where else "")


LANGUAGES = {"en": "English", "es": "Spanish"}


def answers_html(topic: Topic, language: str) -> str:
    """One language's column: the web answer, its buttons, the SMS answer and
    its sources, as people in that language see them."""
    try:
        web, sms = topic.variant(None, language), topic.variant("twilio", language)
    except StopIteration:  # a gap the reviewer must see, not a page that fails
        gap = f"No {LANGUAGES[language]} answer yet."
        return f'<td lang="{language}"><p class="missing">{gap}</p></td>'
    buttons = ", ".join(
        f"{escape(b['title'])} <code>{escape(b['payload'])}</code>" for b in web.get("buttons", [])
    )
    sources = "".join(source_item(key) for key in web["metadata"]["sources"])
    web_text, sms_text = fill(web["text"]), fill(sms["text"])
    return f"""<td lang="{language}">
  <p><span class="label">Web ({len(web_text.split())} words):</span> {escape(web_text)}</p>
  <p class="meta"><span class="label">Buttons:</span> {buttons or "none"}</p>
  <p class="sms"><span class="label">SMS ({len(sms_text)} characters):</span> {escape(sms_text)}</p>
  <div class="meta"><span class="label">Sources:</span><ul>{sources}</ul>
  Last reviewed: {escape(str(web["metadata"]["last_reviewed"]))}</div></td>"""


def topic_html(topic: Topic) -> str:
    how_to_sign = (
        ""
        if topic.signed
        else f'<br>To sign: set <code>signoff: {{status: signed, by: "...", date: '
        f'"YYYY-MM-DD"}}</code> in every answer in <code>data/content/{topic.area}.yml</code>.'
    )
    headings = "".join(f"<th>{name}</th>" for name in LANGUAGES.values())
    columns = "".join(answers_html(topic, language) for language in LANGUAGES)
    return f"""
<section id="{topic.id}">
  <h3>{topic.id}</h3>
  <p>Clinical sign-off: {state_html(topic)}{how_to_sign}</p>
  <table class="languages"><tr>{headings}</tr><tr>{columns}</tr></table>
  <p class="meta">{len(topic.examples)} training examples</p>
</section>"""


def ordered(topics: dict[str, Topic]) -> list[Topic]:
    """Pending topics first, then signed ones; by area within each."""
    answered = [t for t in topics.values() if t.variants]
    return sorted(answered, key=lambda t: (t.signed, t.area))


def summary_html(topics: list[Topic]) -> str:
    rows = "".join(
        f'<tr><td><a href="#{t.id}">{t.id}</a></td><td>{escape(t.area)}</td>'
        f"<td>{state_html(t)}</td><td>{escape(str(t.last_reviewed))}</td></tr>"
        for t in topics
    )
    return (
        "<table><tr><th>Topic</th><th>Area</th><th>Clinical sign-off</th>"
        f"<th>Last reviewed</th></tr>{rows}</table>"
    )


def render() -> str:
    topics = ordered(load_topics())
    pending = [t for t in topics if not t.signed]
    signed = [t for t in topics if t.signed]
    body = (
        f"<h2>Pending clinical sign-off ({len(pending)})</h2>"
        + "".join(topic_html(t) for t in pending)
        + f"<h2>Signed off ({len(signed)})</h2>"
        + ("".join(topic_html(t) for t in signed) or "<p>None yet.</p>")
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Curated content for review</title><style>{STYLE}</style></head>
<body><h1>Lake Avenue Recovery assistant: curated content for review</h1>
<p>{len(topics)} topics, generated {date.today().isoformat()} from data/content/:
{len(pending)} pending clinical sign-off, {len(signed)} signed off.
Each answer must state only facts found in the sources it names.</p>
{summary_html(topics)}
{body}</body></html>
"""


def main() -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(render())
    topics = ordered(load_topics())
    print(f"Content report: {REPORT}")
    for topic in topics:
        print(f"  {'signed ' if topic.signed else 'PENDING'}  {topic.id:30} {state_text(topic)}")


if __name__ == "__main__":
    main()
