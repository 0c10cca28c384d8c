"""Matching quality on the labelled questions, and the kinds of input citizens really type."""

from __future__ import annotations

import pytest

from bot.evaluation import evaluate, read_labelled

from .conftest import DATA


@pytest.fixture(scope="module")
def report(matcher):
    from bot.evaluation import default_settings
    from bot.services.answering import Answerer

    return evaluate(Answerer(matcher, default_settings()), read_labelled(DATA / "questions.csv"))


def test_labelled_set_is_big_enough():
    rows = read_labelled(DATA / "questions.csv")
    assert len(rows) >= 150
    assert sum(r.expected == "none" for r in rows) >= 30
    assert sum(r.kind == "nearmiss" for r in rows) >= 10


# Every labelled set (a CSV with an ``expected`` column; teaching.csv and the follow-ups are not).
LABELLED = sorted(p.name for p in DATA.glob("*.csv") if "expected" in p.open(encoding="utf-8").readline())


def test_every_labelled_set_is_found():
    assert {"questions.csv", "blind3.csv", "blind17.csv", "complaints_blind4.csv"} <= set(LABELLED)
    assert "teaching.csv" not in LABELLED


@pytest.mark.parametrize("name", LABELLED)
def test_labelled_ids_exist(knowledge, name):
    ids = {e.id for e in knowledge.guide} | {"none", "complaint", "any"}
    index_numbers = {i.index_no for i in knowledge.catalogue}
    labels = set()
    for row in read_labelled(DATA / name):
        for part in row.expected.split("|"):  # a message with several questions, part by part
            if part.startswith("catalogue:"):
                assert set(part.removeprefix("catalogue:").split(";")) <= index_numbers, row
            else:
                labels.update(part.split("/"))
    unknown = labels - ids
    assert not unknown, (name, unknown)


# These pin the calibrated model (bot/calibration.json): refit with `gongkai knowledge calibrate`
# on the tuning sets (see README, Quality) when the guide changes.
def test_ranking_quality(report):
    figures = report.figures()
    assert figures["top1"] >= 0.90
    assert figures["top3"] >= 0.95


def test_decisions_are_careful(report):
    figures = report.figures()
    assert figures["answered_right"] >= 0.75
    assert figures["answered_wrong"] <= 0.02  # a confident wrong answer misleads a citizen
    assert figures["oos_false_accept"] <= 0.10
    assert figures["complaint_recall"] >= 0.9
    assert figures["false_complaints"] <= 4


@pytest.mark.parametrize("name", ["holdout.csv", "blind.csv"])
def test_questions_written_blind_to_the_guide(matcher, name):
    # Sets written by people who never saw the guide's phrasings: how the bot does on new words.
    from bot.evaluation import default_settings
    from bot.services.answering import Answerer

    figures = evaluate(Answerer(matcher, default_settings()), read_labelled(DATA / name)).figures()
    assert figures["top1"] >= 0.9 and figures["top3"] >= 0.95
    # The calibrated thresholds are chosen on cross-validated probabilities: they answer fewer
    # outright than thresholds tuned in-sample did (blind.csv 73.9%) and offer choices instead.
    assert figures["answered_right"] >= 0.6
    assert figures["answered_right"] + figures["clarified_with_right"] >= 0.8
    assert figures["answered_wrong"] <= 0.02
    assert figures["oos_false_accept"] <= 0.1


def test_complaints_told_in_citizens_own_words(matcher):
    # complaints_fresh.csv: 30 complaints and tip-offs told as stories (none says 投诉 or 举报), 15
    # off-topic stories, 15 neutral questions using 事故, 隐患, 投诉, 不满. Written blind to the
    # lexicon; the grievance and hazard lists were then written with its misses in view.
    from bot.evaluation import default_settings
    from bot.services.answering import Answerer

    figures = evaluate(Answerer(matcher, default_settings()), read_labelled(DATA / "complaints_fresh.csv")).figures()
    assert figures["complaint_recall"] >= 0.8
    assert figures["false_complaints"] <= 3
    # complaints_blind2.csv: 80 rows written blind to all of it, and never tuned on (before the
    # story rule: 55% recall, 6 false complaints, every one an off-topic grievance).
    figures = evaluate(Answerer(matcher, default_settings()), read_labelled(DATA / "complaints_blind2.csv")).figures()
    assert figures["complaint_recall"] >= 0.9
    # Grievances against others (a landlord, a shop): the reply points to 12345. 9 before the
    # complaint model was fitted with complaints_dev.csv too, which found 72 more of the
    # never-tuned sets' 618 complaints and took 10 more of their other messages for complaints;
    # 14 since the guide's entry on a company's records (what the complaint model reads of how
    # well the guide answers moved one across).
    assert figures["false_complaints"] <= 14
    # complaints_blind4.csv: 220 complaints and tip-offs, most told as bare facts, and 100
    # look-alikes; never tuned on (75.9% found, 5 others taken, before that fit).
    figures = evaluate(Answerer(matcher, default_settings()), read_labelled(DATA / "complaints_blind4.csv")).figures()
    assert figures["complaint_recall"] >= 0.8
    assert figures["false_complaints"] <= 5


@pytest.mark.parametrize(
    "question,entry_id",
    [
        ("查个文件要花钱吗", "fee-free"),  # paraphrase: no word in common with 申请公开收费
        ("申請政府資訊公開要收費嗎", "fee-free"),  # traditional, 資訊
        ("申请公开要收废吗", "fee-free"),  # homophone typo
        ("２００９年公开了多少条信息", "proactive-2009-total"),  # full-width digits
        ("shenqing yao duojiu dafu", "deadline"),  # typed in pinyin
        ("请问一下你们办公电话是多少啊", "office-phone"),  # fillers
        ("12350", "safety-report"),
        ("申请表在哪里拿", "apply-form"),
    ],
)
def test_ranks_first(matcher, question, entry_id):
    assert matcher.rank(matcher.query(question), limit=1)[0].entry.id == entry_id


@pytest.mark.parametrize("question", ["申请护照要什么材料", "今天天气怎么样", "公开课在哪报名", "驾照年审要多少钱"])
def test_near_misses_are_not_answered(answerer, question):
    assert answerer.answer(question).outcome in ("fallback", "clarify")


@pytest.mark.parametrize(
    "message,complaint,tipoff",
    [
        ("我要投诉你们工作人员态度太差", True, False),
        ("申请两个月了超期未答复", True, False),
        ("举报某化工厂晚上偷偷违法生产", True, True),
        ("发现工地有安全隐患", True, True),
        ("投诉电话是多少", False, False),  # a question about complaining
        ("发现安全隐患去哪举报", False, True),
        ("申请信息公开要收费吗", False, False),
    ],
)
def test_intent(matcher, message, complaint, tipoff):
    intent = matcher.intent(matcher.query(message))
    assert (intent.complaint, intent.tipoff) == (complaint, tipoff)


@pytest.mark.parametrize("message", ["能网上办不", "收不收费", "举报有奖励没", "发现隐患能找你们举报不"])
def test_a_question_by_its_grammar_asks(matcher, message):
    # No asking word and no question mark: the A-not-A form or a closing 不 makes it a question,
    # so a topic word in it (举报) is what it asks about, not a complaint made.
    intent = matcher.intent(matcher.query(message))
    assert intent.asks and not intent.tells and not intent.complaint


@pytest.mark.parametrize(
    "query,title_part",
    [
        ("安全生产月", "安全生产月"),  # keyword
        ("国庆期间安全生产工作", "国庆期间安全生产工作"),  # partial title
        ("危化品", "危险化学品"),  # synonym
        ("烟花爆竹零售许可怎么办", "烟花爆竹"),  # description-like
        ("职业危害申报", "职业危害申报"),
        ("zhiye weihai", "职业危害"),  # pinyin
        ("烟花爆竹經營", "烟花爆竹"),  # traditional
    ],
)
def test_catalogue_search(matcher, query, title_part):
    hits = matcher.search(matcher.query(query), limit=3)
    assert hits and title_part in hits[0].item.title


def test_catalogue_search_scores_descend_and_limit(matcher):
    hits = matcher.search(matcher.query("安全"), limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_empty_and_junk_queries(matcher):
    for text in ["", "   ", "？？？", "😀", "a", "<script>alert(1)</script>"]:
        query = matcher.query(text)
        matcher.rank(query)
        matcher.search(query)


def test_several_questions_are_scored_part_by_part():
    from bot.evaluation import Labelled
    from bot.services.answering import Part, Reply

    replies = {
        "公积金咋提 你们管不管": Reply("公积金咋提 你们管不管", "fallback", ""),  # neither part answered
        "复议找谁 能直接告吗": Reply(
            "复议找谁 能直接告吗",
            "answer",
            "",
            parts=[
                Part("复议找谁", "answer", "admin-review", 0.9),
                Part("能直接告吗", "answer", "review-before-suit", 0.9),
            ],
        ),
        "收不收费 多久答复": Reply("收不收费 多久答复", "answer", "", "fee-free"),  # answered as one
        # Two questions of one entry: answered once, right whether labelled once or twice.
        "几点上班 周六有人没": Reply("几点上班 周六有人没", "answer", "", "office-hours"),
    }

    class Fixed:
        def answer(self, text: str) -> Reply:
            return replies[text]

    report = evaluate(
        Fixed(),  # type: ignore[arg-type]
        [
            Labelled("公积金咋提 你们管不管", "none|none", ""),
            Labelled("复议找谁 能直接告吗", "admin-review|litigation/review-before-suit", ""),
            Labelled("收不收费 多久答复", "fee-free|deadline", ""),
            Labelled("几点上班 周六有人没", "office-hours|office-hours", ""),
        ],
    )
    assert (report.multi, report.multi_right, report.multi_parts, report.multi_parts_right) == (4, 3, 7, 6)
    assert [m[0] for m in report.misses] == ["收不收费 多久答复"]


def test_the_complaint_threshold_is_the_highest_that_meets_the_targets():
    import numpy as np

    from bot.evaluation import _complaint_threshold

    # 20 complaints at 0.555..0.915 (two by two), 80 other messages below 0.5 but two at 0.7 and 0.9.
    complaints = np.repeat(0.555 + 0.04 * np.arange(10), 2)
    others = np.concatenate([np.linspace(0.0, 0.45, 78), [0.7, 0.9]])
    predicted, y = np.concatenate([complaints, others]), np.concatenate([np.ones(20), np.zeros(80)])
    at, found, taken = _complaint_threshold(predicted, y)
    # 90% found needs 18 of 20 (from 0.59); the highest such keeps to 2 of 80 others taken (2.5%).
    assert at == 0.59 and found == 0.9 and taken == 0.025
    # Where no threshold meets both targets, the best trade: three found are worth one taken.
    others = np.concatenate([np.linspace(0.0, 0.45, 70), np.linspace(0.6, 0.9, 10)])
    at, found, taken = _complaint_threshold(np.concatenate([complaints, others]), y)
    assert found < 0.9 or taken > 0.03
    trade = {
        round(t, 2): int((complaints >= t).sum()) - 3 * int((others >= t).sum()) for t in np.arange(0.05, 0.96, 0.01)
    }
    assert trade[at] == max(trade.values()) and at > 0.59


def test_an_index_of_more_fields_than_its_keys_hold_is_refused():
    from bot.ngram import Field, NgramIndex

    # Two fields (a title, its details) are the catalogue's; a third's number would overflow a
    # pair's 64 bits and be read as the first's, so the postings would be wrong without a word.
    NgramIndex([Field(["安全生产"]), Field(["生产安全"])])
    with pytest.raises(ValueError, match="at most 2 fields"):
        NgramIndex([Field(["安全生产"]), Field(["生产安全"]), Field(["信息公开"])])


def test_an_english_questions_focus_is_read_as_english(matcher):
    # Without its preamble, an English question was scored as a Chinese one (its focus lost the
    # English mark, which the calibrated models weigh): a deaf colleague's question about writing
    # or a sign language interpreter was answered with the fees' entry at 0.73.
    asked = (
        "I'm asking for my deaf colleague. Can he communicate with your staff in writing or through a sign "
        "language interpreter when he applies in person?"
    )
    query = matcher.query(asked)
    assert query.english and query.focus is not None and query.focus.english
    assert all(best.entry.id != "fee-free" or best.score < 0.5 for best in matcher.rank(query.focus, limit=1))
