"""make content-report: every topic reaches the reviewers' page, with its sign-off state."""

from tools import content_report
from tools.content import load_topics, topic_ids


def report(tmp_path, monkeypatch) -> str:
    monkeypatch.setattr(content_report, "REPORT", tmp_path / "report.html")
    content_report.main()
    return (tmp_path / "report.html").read_text()


def test_the_report_lists_every_topic_with_answers_sources_and_date(tmp_path, monkeypatch):
    html = report(tmp_path, monkeypatch)
    ids = topic_ids()
    for topic_id in ids:
        assert f'<section id="{topic_id}">' in html
    # English and Spanish side by side: two columns of answers per topic.
    assert html.count('<span class="label">SMS (') == 2 * len(ids)
    assert html.count('<td lang="es">') == html.count('<td lang="en">') == len(ids)
    assert "answer yet" not in html
    assert html.count("Last reviewed: 2026-") == 2 * len(ids)
    assert "Substance Abuse and Mental Health Services Administration" in html
    assert "{helpline}" not in html
    assert "Llame al" in html or "llame al" in html


def test_a_topic_without_a_spanish_answer_shows_the_gap(tmp_path, monkeypatch):
    topics = load_topics()
    topic = topics["mat_methadone"]
    topic.variants[:] = [v for v in topic.variants if not v.get("condition")]
    monkeypatch.setattr(content_report, "load_topics", lambda: topics)
    html = report(tmp_path, monkeypatch)
    section = html[html.index('<section id="mat_methadone">') :]
    section = section[: section.index("</section>")]
    assert "No Spanish answer yet." in section and '<td lang="en">' in section


def test_the_report_shows_each_state_and_lists_pending_topics_first(tmp_path, monkeypatch):
    topics = load_topics()
    signed = {"mat_methadone", "relapse"}
    for topic_id in signed:
        for variant in topics[topic_id].variants:
            variant["metadata"] = {
                **variant["metadata"],
                "signoff": {"status": "signed", "by": "A. Clinician, MD", "date": "2026-12-01"},
            }
    monkeypatch.setattr(content_report, "load_topics", lambda: topics)
    html = report(tmp_path, monkeypatch)

    at = {t: html.index(f'<section id="{t}">') for t in topic_ids()}
    pending_at = [p for t, p in at.items() if t not in signed]
    signed_at = [p for t, p in at.items() if t in signed]
    assert max(pending_at) < min(signed_at)
    assert html.count("Signed off by A. Clinician, MD on 2026-12-01") == 2 * len(signed)
    assert f"Pending clinical sign-off ({len(topics) - len(signed)})" in html


def test_nothing_is_signed_yet(tmp_path, monkeypatch):
    html = report(tmp_path, monkeypatch)
    assert f"Pending clinical sign-off ({len(topic_ids())})" in html
    assert "Signed off (0)" in html
