"""Gold evaluation: the matching rule, and the quality floors on the real seed articles and on
our own articles about other products (tests/data/articles, written for this project)."""

from dataclasses import replace
from pathlib import Path

from claimlens.analysis import KINDS
from claimlens.evaluate.gold import GoldRow, evaluate_gold, load_gold, matches, score
from claimlens.scan import scan_texts

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def findings_of(texts: dict[str, str]) -> list[dict]:
    return scan_texts(texts).findings.to_dict("records")


def test_matching_rule_either_order_and_within_one_sentence():
    text = (
        "Overdosing on kratom is possible. It is a natural way to relieve pain without the "
        "risk of overdose. While safer than opioids, high doses can cause respiratory depression."
    )
    by_sentence = {f["sent_id"]: f for f in findings_of({"a.txt": text})}
    across, within = by_sentence[2], by_sentence[3]
    pair = GoldRow("a.txt", "contradiction", "overdose", "is possible", "without the risk")
    assert matches(pair, across)
    assert not matches(replace(pair, doc="b.txt"), across)
    one = GoldRow("a.txt", "contradiction", "x", "safer than opioids", "respiratory depression")
    assert matches(one, within)
    assert not matches(one, across)


def test_score_counts_recall_on_gold_rows_and_precision_on_findings():
    text = "Turmeric cures arthritis. Turmeric is a safe and effective natural remedy."
    gold = [
        GoldRow("t.txt", "unsupported", "efficacy", "Turmeric cures arthritis"),
        GoldRow("t.txt", "unsupported", "efficacy", "never said"),
    ]
    report = score(gold, findings_of({"t.txt": text}))
    unsupported = report.scores["unsupported"]
    assert (unsupported.gold, unsupported.matched_gold) == (2, 1)
    assert (unsupported.findings, unsupported.matched_findings) == (2, 1)
    assert report.missed == [gold[1]]
    text = report.format()
    assert "unmatched findings in t.txt" in text and "missed unsupported" in text


def test_seed_articles_reach_the_targets(seeds_dir):
    report = evaluate_gold(seeds_dir / "gold.jsonl", seeds_dir)
    for kind in KINDS:
        assert report.scores[kind].recall == 1.0, report.format()
        assert report.scores[kind].precision >= 0.8, report.format()


# A little below what was measured on the 198 own articles (docs/findings.md: unsupported
# R 0.81 / P 0.48, contradiction R 0.55 / P 0.57), so a rule change that loses findings fails.
# The product targets (R >= 0.6, P >= 0.5 on unseen articles) are estimated from the blind
# first runs recorded there, not from these rule-tuned figures.
OWN_FLOORS = {"unsupported": (0.78, 0.45), "contradiction": (0.52, 0.54)}


def test_own_articles_on_other_products_reach_the_floors():
    report = evaluate_gold(ARTICLES / "gold.jsonl", ARTICLES)
    for kind in KINDS:
        recall, precision = OWN_FLOORS[kind]
        assert report.scores[kind].recall >= recall, report.format()
        assert report.scores[kind].precision >= precision, report.format()


def test_own_gold_quotes_its_articles_exactly():
    for row in load_gold(ARTICLES / "gold.jsonl"):
        text = (ARTICLES / row.doc).read_text(encoding="utf-8")
        assert row.a in text and (row.b is None or row.b in text), row
