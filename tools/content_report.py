"""make content-report: one HTML page for clinical staff to review and sign off.

Lists every curated topic, by area, with its web and SMS answers as people see
them, the buttons that follow, full source titles, the review date and how many
training examples lead to it.
"""

from datetime import date
from html import escape

from center.sources import SOURCES
from tools.content import ROOT, Topic, fill, load_topics, outline_ids

REPORT = ROOT / "reports" / "content-report.html"

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;
  padding:0 1rem;color:#1a1a1a}
h2{border-bottom:2px solid #1b5e7a;padding-bottom:.2rem;margin-top:2.5rem}
section{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
h3{margin:0 0 .5rem;font-family:monospace}
.label{font-weight:600;color:#1b5e7a}
.sms{background:#f4f4f4;padding:.5rem;border-radius:4px}
.meta{color:#444;font-size:.9rem}
.sign{margin-top:.75rem;color:#444}
"""


def topic_html(topic: Topic) -> str:
    web, sms = topic.web, topic.sms
    buttons = ", ".join(
        f"{escape(b['title'])} <code>{escape(b['payload'])}</code>" for b in web.get("buttons", [])
    )
    sources = "".join(f"<li>{escape(SOURCES[key])}</li>" for key in web["metadata"]["sources"])
    web_text, sms_text = fill(web["text"]), fill(sms["text"])
    return f"""
<section id="{topic.id}">
  <h3>{topic.id}</h3>
  <p><span class="label">Web ({len(web_text.split())} words):</span> {escape(web_text)}</p>
  <p class="meta"><span class="label">Buttons:</span> {buttons or "none"}</p>
  <p class="sms"><span class="label">SMS ({len(sms_text)} characters):</span> {escape(sms_text)}</p>
  <div class="meta"><span class="label">Sources:</span><ul>{sources}</ul>
  Last reviewed: {escape(str(web["metadata"]["last_reviewed"]))} ·
  {len(topic.examples)} training examples</div>
  <p class="sign">Clinical sign-off: ____________________ Date: __________</p>
</section>"""


def render() -> str:
    topics = load_topics()
    by_area: dict[str, list[Topic]] = {}
    for topic_id in outline_ids():
        topic = topics[topic_id]
        by_area.setdefault(topic.area, []).append(topic)
    body = "".join(
        f"<h2>{escape(area.title())}</h2>" + "".join(topic_html(t) for t in area_topics)
        for area, area_topics in by_area.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Curated content for review</title><style>{STYLE}</style></head>
<body><h1>Lake Avenue Recovery assistant: curated content for review</h1>
<p>{len(topics)} topics, generated {date.today().isoformat()} from data/content/.
Each answer must state only facts found in the sources it names.</p>
{body}</body></html>
"""


def main() -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(render())
    print(f"Content report: {REPORT}")


if __name__ == "__main__":
    main()
