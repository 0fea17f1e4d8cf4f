"""make content-report: every topic reaches the reviewers' page."""

from tools import content_report
from tools.content import outline_ids


def test_the_report_lists_every_topic_with_answers_sources_and_date(tmp_path, monkeypatch):
    monkeypatch.setattr(content_report, "REPORT", tmp_path / "report.html")
    content_report.main()
    html = (tmp_path / "report.html").read_text()
    for topic_id in outline_ids():
        assert f'<section id="{topic_id}">' in html
    assert html.count('<span class="label">SMS (') == 34
    assert html.count("Last reviewed: 2026-") == 34
    assert "Substance Abuse and Mental Health Services Administration" in html
    assert "{helpline}" not in html
