"""The conversation layer: the complaint form's steps and rules, once for every channel."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot import texts, tracking
from bot.channels.typed import render
from bot.services.answering import Reply
from bot.services.applications.form import check as check_application
from bot.services.complaints import MAX_NAME, MAX_TEXT, Complaints, Draft, topics_for
from bot.services.conversation import (
    FOLLOW_UP_SECONDS,
    AskContact,
    AskText,
    Choose,
    Conversation,
    Done,
    Form,
    Invalid,
    Limited,
    Summary,
    check_contact,
    check_form,
    pick,
)
from bot.services.insights import unanswered


@pytest.fixture
def conversation(answerer, store, settings) -> Conversation:
    return Conversation(answerer, Complaints(store, settings), store)


def test_the_form_takes_each_step_in_turn_and_files(conversation, store):
    form, prompt = conversation.start("举报")
    assert prompt == AskText("what", "举报", MAX_TEXT)
    topics = conversation.step(form, "楼道堆放杂物")
    assert isinstance(topics, Choose) and form.step == "topic"
    assert [label for _, label in topics.options] == ["安全隐患", "违法生产经营", "事故瞒报", "其他"]
    assert conversation.step(form, "２") == AskContact() and form.topic == "illegal"
    summary = conversation.step(form, "张三 13812345678")
    assert isinstance(summary, Summary) and summary.contact == "张三 13812345678" and form.step == "confirm"
    done = asyncio.run(conversation.submit(form, channel="console", chat_id="u", user_id="u", dedupe_key="k"))
    assert isinstance(done, Done) and done.complaint.kind == "举报" and done.complaint.name == "张三"


def test_a_tip_off_begun_with_a_complaints_topic_is_filed_under_other(conversation):
    # Saved before tip-offs had topics of their own: a 举报 under 依申请公开's topic.
    form = Form("举报", "confirm", "厂里安全出口锁着", "application", "张三", "13812345678")
    done = asyncio.run(conversation.submit(form, channel="web", chat_id="u", user_id="u", dedupe_key="old"))
    assert isinstance(done, Done) and (done.complaint.kind, done.complaint.topic) == ("举报", "other")
    assert done.complaint.text == "厂里安全出口锁着" and done.complaint.phone == "13812345678"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("！！", "no_contact"),  # refused on WeChat, once accepted on Telegram
        ("张三 138123", "bad_phone"),
        ("张" * (MAX_NAME + 1), "name_too_long"),  # once cut silently by the service
    ],
)
def test_a_contact_is_refused_by_the_same_rule_on_every_channel(conversation, typed, reason):
    form = Form("投诉", "contact", "事", "other")
    assert conversation.contact(form, typed) == Invalid(
        "contact", reason, *((MAX_NAME + 1, MAX_NAME) if reason == "name_too_long" else ())
    )
    assert form.step == "contact"
    checked = check_form("投诉", "other", "事", *(("", typed) if reason == "bad_phone" else (typed, "")))
    assert [p.reason for p in checked[1]] == [reason]


def test_more_of_the_matter_sent_for_a_name_is_added_to_the_complaint(conversation):
    # Asked for a name and phone, citizens often tell more instead: it was filed as the contact.
    form = Form("投诉", "contact", "窗口的人态度太差了", "staff")
    told = "上周三去窗口交申请表，工作人员说不归他们管，表也不收"
    assert conversation.contact(form, told) == AskContact(added=True)
    assert form.text == "窗口的人态度太差了\n" + told and form.step == "contact" and not form.name
    summary = conversation.contact(form, "王先生 13800138000")
    assert isinstance(summary, Summary) and summary.contact == "王先生 13800138000"
    assert render(AskContact(added=True)).startswith(texts.FORM_DETAIL_ADDED)


@pytest.mark.parametrize("typed", ["跳过", "不留", "0"])
def test_a_skip_word_leaves_no_contact(conversation, typed):
    form = Form("投诉", "contact", "事", "other", "x", "1")
    assert conversation.contact(form, typed) == Summary("投诉", "其他", "事", texts.FORM_NO_CONTACT)


def test_the_web_form_reports_every_problem_at_once():
    form, problems = check_form("?", "nope", " ", "", "123")
    assert form.kind == "投诉"
    assert [p.reason for p in problems] == ["not_text", "topic", "bad_phone"]
    assert check_form("投诉", "other", "x" * (MAX_TEXT + 1), "", "")[1] == [
        Invalid("what", "too_long", MAX_TEXT + 1, MAX_TEXT)
    ]


@pytest.mark.parametrize("typed", ["\x1b[2J", "[2J", "13812345678", "😡😡😡", "？？？"])
def test_what_says_nothing_in_words_is_asked_for_words(conversation, typed):
    # A terminal's escape code (ESC[2J, shown as [2J) was filed as a complaint's whole text.
    form = Form("投诉")
    assert conversation.what(form, typed) == Invalid("what", "not_text") and form.step == "what"
    assert conversation.what(form, "窗口态度差") == Choose("topic", topics_for("投诉"), suggested="conduct")


def test_the_topic_a_complaint_tells_of_is_suggested_where_the_citizen_chooses(conversation):
    # The web form started at the topic the story told of; Telegram and WeChat asked it bare.
    form, prompt = conversation.told("举报", "那个厂出了事故一直瞒报，压着不上报")
    assert isinstance(prompt, Choose) and prompt.suggested == "coverup" and prompt.suggestion == (3, "事故瞒报")
    assert texts.WX_FORM_TOPIC_SUGGESTED.format(topic="事故瞒报", number=3) in render(prompt)
    plain = conversation.what(Form("投诉"), "有个事情想反映一下")
    assert isinstance(plain, Choose) and plain.suggested == "" and plain.suggestion is None
    assert "看内容像是" not in render(plain)


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff \u200b", "\u202e", "\u2066\u2069"])
def test_what_shows_nothing_is_nothing_typed(conversation, invisible):
    # A complaint whose text was only U+200B was filed blank; a name of only U+202E was taken.
    form = Form("投诉")
    assert conversation.what(form, invisible) == Invalid("what", "not_text") and form.step == "what"
    form, problems = check_form("投诉", "other", invisible, invisible, "")
    assert [p.reason for p in problems] == ["not_text"] and form.name == ""  # no name given
    assert conversation.told("投诉", invisible)[1] == AskText("what", "投诉")
    assert check_application({"name": invisible})[1]["name"]
    number = "20261127-007-5"
    assert tracking.parse(f"{invisible}{number}{invisible}") == tracking.Parsed(number)


def test_check_contact_allows_nothing_and_cleans_a_phone():
    assert check_contact("", "") == ("", "")
    assert check_contact(" 李四 ", "138 1234 5678") == ("李四", "13812345678")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0533-2181234", "0533-2181234"),  # regression: was stored as 05332181234
        ("０５３３－２１８１２３４", "0533-2181234"),  # full-width, folded
        ("0533—2181234", "0533-2181234"),  # an input method's long dash
        ("0533 2181234", "05332181234"),
        ("0533-2181234转801", "0533-2181234转801"),
        ("0533-2181234-801", "0533-2181234-801"),
        ("010-12345678", "010-12345678"),
        ("138-1234-5678", "138-1234-5678"),
        ("+86 13812345678", "13812345678"),
    ],
)
def test_a_phone_field_keeps_the_citizens_form(typed, kept):
    assert check_contact("王", typed) == ("王", kept)


@pytest.mark.parametrize("typed", ["12345", "0533-21812", "23812345678", "0533-2181234 办公室", "电话"])
def test_a_phone_field_that_is_no_number_is_refused(typed):
    assert check_contact("王", typed) == Invalid("contact", "bad_phone")


@pytest.mark.parametrize(
    ("kind", "topic", "fits"),
    [
        ("投诉", "application", True),
        ("投诉", "hazard", False),
        ("举报", "hazard", True),
        ("举报", "coverup", True),
        ("举报", "application", False),
        ("举报", "other", True),
    ],
)
def test_a_topic_must_be_one_of_its_kinds(conversation, kind, topic, fits):
    _, problems = check_form(kind, topic, "情况", "", "")
    assert (problems == []) is fits
    form = Form(kind, "topic", "情况")
    prompt = conversation.topic(form, topic)
    if fits:
        assert prompt == AskContact() and form.topic == topic
    else:
        assert isinstance(prompt, Invalid) and prompt.reason == "topic" and form.topic == ""
        assert prompt.options == topics_for(kind)


def test_a_complaint_and_a_tipoff_offer_their_own_topics():
    complaint = dict(topics_for("投诉"))
    tipoff = dict(topics_for("举报"))
    assert list(tipoff.values()) == ["安全隐患", "违法生产经营", "事故瞒报", "其他"]
    assert "依申请公开的答复" in complaint.values() and "依申请公开的答复" not in tipoff.values()


@pytest.mark.parametrize(
    ("typed", "value"), [("1", "a"), ("２", "b"), ("乙", "b"), ("3", None), ("0", None), ("x", None)]
)
def test_pick_takes_a_number_or_a_label(typed, value):
    assert pick([("a", "甲"), ("b", "乙")], typed) == value


def test_status_says_how_for_nothing_and_what_is_wrong_for_a_slip(conversation):
    assert conversation.status("  ", channel="web", chat_id="x").outcome == "usage"
    assert conversation.status("hello", channel="web", chat_id="x").outcome == "not_a_number"
    assert conversation.status("\ufffd\ufffd", channel="web", chat_id="x").outcome == "usage"  # ?number=%FF%FE


def test_over_the_limit_a_complaint_is_not_filed_but_a_repeated_submission_still_gets_its_number(
    conversation, store, settings
):
    async def main() -> list[Done | Limited]:
        done = []
        for n in range(settings.complaints_per_hour + 1):
            form = Form("投诉", "confirm", f"第{n}件", "other")
            done.append(await conversation.submit(form, channel="wechat", chat_id="o", user_id="o", dedupe_key=f"k{n}"))
        # The last one filed, delivered again: the same number, and nothing counted.
        again = Form("投诉", "confirm", "重复", "other")
        done.append(await conversation.submit(again, channel="wechat", chat_id="o", user_id="o", dedupe_key="k0"))
        return done

    *filed, refused, again = asyncio.run(main())
    assert all(isinstance(d, Done) for d in filed) and isinstance(refused, Limited)
    assert "次数已达到上限" in refused.text and settings.supervision_phone in refused.text
    assert isinstance(again, Done) and again.complaint.number == filed[0].complaint.number
    assert len(list(store.reader.query("select id from complaints"))) == settings.complaints_per_hour


def test_the_same_submission_sent_in_parallel_files_once_and_counts_once(conversation, store, settings):
    async def main() -> list[Done | Limited]:
        form = Form("投诉", "confirm", "同一件，连点四次", "other")
        same = [conversation.submit(form, channel="web", chat_id="o", user_id="o", dedupe_key="k") for _ in range(4)]
        done = list(await asyncio.gather(*same))
        # Counted once: the citizen may still file all but one of the hour's others.
        for n in range(settings.complaints_per_hour - 1):
            other = Form("投诉", "confirm", f"第{n}件", "other")
            done.append(await conversation.submit(other, channel="web", chat_id="o", user_id="o", dedupe_key=f"k{n}"))
        return done

    done = asyncio.run(main())
    assert all(isinstance(d, Done) for d in done)
    assert len({d.complaint.number for d in done[:4]}) == 1  # type: ignore[union-attr]
    assert len(list(store.reader.query("select id from complaints"))) == settings.complaints_per_hour


def test_status_look_ups_over_the_limit_are_refused_and_the_empty_one_is_not_counted(conversation, settings):
    for _ in range(settings.status_per_minute):
        assert conversation.status("20261127-001-6", channel="telegram", chat_id=7).outcome != "limited"
    assert conversation.status("  ", channel="telegram", chat_id=7).outcome == "usage"
    refused = conversation.status("20261127-001-6", channel="telegram", chat_id=7)
    assert refused.outcome == "limited" and "查询次数太多" in refused.text and refused.complaint is None
    assert conversation.status("20261127-001-6", channel="telegram", chat_id=8).outcome != "limited"


def test_the_example_numbers_shown_to_citizens_pass_their_own_check():
    # 20261127-001-5 was shown as the shape of a number, and typed back was told it was mistyped.
    import re
    from pathlib import Path

    from bot import texts as all_texts
    from bot import tracking

    shown = " ".join(v for v in vars(all_texts).values() if isinstance(v, str))
    shown += (Path(all_texts.__file__).parent / "channels/web/templates/status.html").read_text(encoding="utf-8")
    examples = re.findall(r"(\d{8})-(\d{3,4})-(\d)", shown)
    assert len(examples) >= 3
    assert all(tracking.is_valid("".join(parts)) for parts in examples), examples


@pytest.mark.parametrize(
    ("typed", "asks"),
    [
        ("删除记录", True),
        ("请删除我的聊天记录", True),  # was answered with the privacy notice, and nothing deleted
        ("删掉我的记录", True),
        ("把我的聊天记录删了。", True),
        ("ｆｏｒｇｅｔ ｍｅ", True),
        ("Please delete my data", True),
        ("你们会删除我的信息吗", False),  # a question about deleting, not a request
        ("怎么删除记录", False),
    ],
)
def test_asking_to_delete_ones_records_is_understood_in_ordinary_words(typed, asks):
    assert Conversation.asks_to_forget(typed) is asks


def test_a_rating_of_a_number_that_is_none_says_it_back_at_most_forty_characters(conversation):
    # 5,000 x's were said back, and kept in the citizen's chat.
    rated, said = asyncio.run(conversation.rate("x" * 5000, "fair", channel="web", chat_id="c"))
    assert not rated and "x" * 40 in said and "x" * 41 not in said


def test_an_unsatisfied_rating_is_told_what_can_be_done_next(conversation, settings):
    complaints = conversation.complaints
    filed = complaints.file(Draft("窗口态度差"), channel="web", chat_id="c", user_id="c", dedupe_key="k")
    complaints.act(filed.number, "closed", "cli:wang", "已批评教育。")
    rated, said = asyncio.run(conversation.rate(filed.number, "unsatisfied", channel="web", chat_id="c"))
    assert rated and said.startswith(texts.RATED.format(rating="不满意"))
    assert settings.supervision_phone in said and "第47条" in said


def test_a_phone_sent_after_the_name_at_the_summary_completes_the_contact(conversation):
    # 张三, then 13800138000: the name went to the summary, the phone was refused and the
    # complaint filed without it.
    form, _ = conversation.start("投诉")
    conversation.step(form, "窗口的人态度很差")
    conversation.step(form, "1")
    assert isinstance(conversation.step(form, "张三"), Summary) and form.step == "confirm"
    summary = conversation.step(form, "13800138000")
    assert isinstance(summary, Summary) and summary.contact == "张三 13800138000"
    assert conversation.step(form, "随便说点什么") == Invalid("confirm", "confirm")


def test_an_english_complaint_is_offered_the_form_in_english(conversation):
    # The offer and its buttons were in Chinese under an English reply.
    reply = conversation.answerer.answer("I want to complain about your staff, they ignored my request for 2 months")
    assert reply.english and reply.outcome == "complaint"
    offer = Conversation.offer(reply)
    assert offer.text == texts.COMPLAINT_OFFER_EN and offer.options[0] == ("投诉", texts.COMPLAINT_YES_EN)
    # "I want to report …" is a report however little else it says: filed, offered the form.
    reported = conversation.answerer.answer("I want to report a factory that is storing chemicals illegally")
    assert reported.outcome == "complaint" and Conversation.offer(reported).text == texts.COMPLAINT_OFFER_EN
    chinese = Conversation.offer(conversation.answerer.answer("我要投诉你们窗口态度差"))
    assert chinese.text == texts.COMPLAINT_OFFER


def test_asked_how_to_follow_ones_case_the_answer_lists_ones_own(conversation):
    # The answer said only how to look a number up, though the chat had filed one.
    complaints = conversation.complaints
    filed = complaints.file(Draft("窗口态度差"), channel="web", chat_id="c", user_id="c", dedupe_key="k1")
    mine = asyncio.run(conversation.ask("投诉进度怎么查", channel="web", user_id="c"))
    assert mine.entry_id == "bot-progress" and texts.OWN_CASES in mine.text and filed.number in mine.text
    theirs = asyncio.run(conversation.ask("投诉进度怎么查", channel="web", user_id="someone else"))
    assert texts.OWN_CASES not in theirs.text and filed.number not in theirs.text
    assert filed.number not in conversation.answerer.answer("投诉进度怎么查").text  # the cached reply untouched


def test_asked_how_soon_with_a_complaint_open_the_answer_is_about_theirs(conversation):
    # 多久有结果 just after filing a complaint was answered with the 20 working days an application
    # takes; a complaint has its own deadline, which the citizen's own line says, first.
    complaints = conversation.complaints
    filed = complaints.file(Draft("窗口态度差"), channel="web", chat_id="c", user_id="c", dedupe_key="k1")
    for asked in ("多久有结果", "什么时候给我回复", "得多久"):  # the last a list headed by the deadline, alone
        mine = asyncio.run(conversation.ask(asked, channel="web", user_id="c"))
        assert mine.entry_id == "bot-progress" and mine.text.startswith(texts.OWN_CASES), asked
        assert f"{filed.number}：待受理，办理期限 {filed.due_on}" in mine.text.split("\n\n")[0]
    # One that says it asks of applying is answered so (this chat applied for nothing); another
    # chat, with no case of its own, is told how soon an application is answered.
    assert asyncio.run(conversation.ask("申请多久答复", channel="web", user_id="c")).entry_id == "deadline"
    assert asyncio.run(conversation.ask("多久有结果", channel="web", user_id="d")).entry_id == "deadline"
    complaints.act(filed.number, "closed", "cli:wang", "已处理。")
    assert asyncio.run(conversation.ask("多久有结果", channel="web", user_id="c")).entry_id == "deadline"


def test_asked_how_soon_after_a_complaint_told_the_answer_is_a_complaints_time(conversation):
    # Before the form is filed: 多久有结果 after a complaint asks how long a complaint takes.
    told = asyncio.run(conversation.ask("我上午去你们窗口交材料，工作人员爱答不理还摔东西", channel="web", user_id="e"))
    assert told.outcome == "complaint"
    after = asyncio.run(conversation.ask("多久有结果", channel="web", user_id="e"))
    assert after.entry_id == "bot-progress" and "15个工作日" in after.text


def test_a_short_question_after_an_answer_asks_of_its_subject(conversation, store):
    # 有时间限制没 on its own reads as a question about applying (how soon what is applied for is
    # published); after 能直接上法院告不, in the same chat, it asks the time limit for suing.
    def ask(text: str, user: str = "u1") -> str | None:
        return asyncio.run(conversation.ask(text, channel="web", user_id=user)).entry_id

    assert ask("能直接上法院告不") == "review-before-suit"
    assert ask("有时间限制没") == "litigation"
    assert ask("有时间限制没", user="u2") != "litigation"  # another citizen's chat has no such answer
    assert store.enquiries()[1]["entry_id"] == "litigation"  # recorded as answered (newest first)
    # Answered with the entry before again where that is what it asks of (the time limit for review).
    assert ask("申请被拒了怎么办", user="u3") == "admin-review"
    assert ask("多久内", user="u3") == "admin-review"
    # Asked again after the chat fell silent for longer than FOLLOW_UP_SECONDS: on its own words.
    ask("能直接上法院告不")
    later = time.monotonic() + FOLLOW_UP_SECONDS + 1
    conversation.clock = lambda: later
    assert ask("有时间限制没") != "litigation"


def test_then_and_what_about_are_asked_of_what_came_before(conversation):
    # 那要多久 and 那要带啥材料 were lists or not-sure replies where 要多久 and 要带啥材料 are answered;
    # 期限呢 after review asked a reply's deadline; 那网上呢 after 去哪交申请 was the office again.
    def ask(text: str, user: str = "u1") -> str | None:
        return asyncio.run(conversation.ask(text, channel="web", user_id=user)).entry_id

    assert ask("申请信息要钱不") == "fee-free"
    assert ask("那要多久") == "deadline"
    assert ask("那要带啥材料") == "apply-id"
    assert ask("怎么申请行政复议", user="u2") == "admin-review"
    assert ask("那期限呢", user="u2") == "admin-review"
    assert ask("去哪交申请", user="u3") == "apply-in-person"
    assert ask("那网上呢", user="u3") == "apply-online"
    assert ask("那个编号是干嘛的", user="u4") == "index-number"  # 那个 names something
    # A case supposed is no more of the question before: not its answer again.
    assert ask("申请后多久答复", user="u5") == "deadline"
    supposed = asyncio.run(conversation.ask("要是不给我呢", channel="web", user_id="u5"))
    assert (supposed.outcome, supposed.entry_id) != ("answer", "deadline")
    assert ask("要是超期了呢", user="u5") == "overdue"
    # 那…呢 asks what about (it was taken for a complaint told: 我要两百多页的复印件).
    assert ask("复印要钱吗", user="u6") == "fee-free"
    copies = asyncio.run(conversation.ask("那我要两百多页的复印件呢", channel="web", user_id="u6"))
    assert (copies.outcome, copies.entry_id) == ("answer", "fee-per-page")


def test_that_is_not_it_after_an_answer_offers_what_else_the_question_may_be(conversation, store):
    # It was asked to put the question in other words: the next likeliest entries, which hold the
    # right one for half the labelled questions answered wrongly, were never offered.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("多久答复").entry_id == "deadline"
    missed = ask("答非所问")
    assert missed.outcome == "clarify" and missed.missed == "多久答复"
    assert missed.text.startswith("抱歉，没有答到您想问的。您问的“多久答复”，是下面哪一个？")
    ids = [c.id for c in missed.choices]
    assert ids[0] == "old-deadline" and "deadline" not in ids and len(ids) <= 3
    shown = Conversation.choose_prompt(missed, conversation.answerer.contacts)
    assert shown.startswith("抱歉，没有答到您想问的。您问的“多久答复”，是下面哪一个？请点选。")
    # The question waits for staff among those not answered, in the words it was asked.
    [group] = [g for g in unanswered(store) if "多久答复" in g.wordings]
    assert group.outcomes == {"clarify"} and "答非所问" not in group.wordings
    # A choice picked answers it; said of an entry chosen, or after no answer, it is only asked
    # again in other words (the entry's question is no question of the citizen's to offer again).
    picked = conversation.entry(ids[0], channel="web", user_id="u1")
    assert picked is not None and picked.reply.entry_id == ids[0]
    for user in ("u1", "u2"):
        plain = ask("不是这个", user=user)
        assert plain.outcome == "greeting" and not plain.choices
    # In English, in English.
    assert ask("how long does a reply take", user="u3").entry_id == "deadline"
    english = ask("that's not what I asked", user="u3")
    assert english.outcome == "clarify"
    assert english.text.startswith('Sorry, I missed. Which of these did you mean by "how')
    assert "deadline" not in [c.id for c in english.choices] and all(c.title.isascii() for c in english.choices)


def test_none_of_these_under_a_list_offers_the_next_likeliest(conversation):
    # 都不是 under a list was only asked to put the question in other words: of the labelled sets'
    # lists without the right entry, the next three hold it for 21 of 37.
    def ask(text: str):
        return asyncio.run(conversation.ask(text, channel="web", user_id="u1"))

    listed = ask("期限")
    assert listed.outcome == "clarify" and len(listed.choices) == 3
    assert "可以回复“都不是”看看别的" in listed.text  # the list says so
    more = ask("都不是")
    assert more.outcome == "clarify" and more.missed == "期限"
    assert "都不是的话，请换个说法再问" in more.text  # and the list offered instead does not
    assert more.choices and not {c.id for c in more.choices} & {c.id for c in listed.choices}
    assert more.choices[0].id == "old-deadline"
    # Under the list offered instead, 都不是 again: only asked to put it in other words (the first
    # list's entries would come back).
    assert ask("都不是").outcome == "greeting"


def test_not_it_after_a_question_read_after_the_one_before_ranks_it_as_read(conversation, store):
    # 有时间限制没 answered as the time limit for suing (read after 能直接上法院告不): ranked on its
    # own words, what else it may be was the deadlines of publishing and of a reply.
    def ask(text: str):
        return asyncio.run(conversation.ask(text, channel="web", user_id="u1"))

    ask("能直接上法院告不")
    assert ask("有时间限制没").entry_id == "litigation"
    missed = ask("不是这个")
    assert missed.missed == "有时间限制没" and [c.id for c in missed.choices][0] == "review-before-suit"
    # Logged in its own words, as the web chat's button (which holds the question) logs it too.
    logged = store.enquiries()[0]
    assert logged["typed"] == "有时间限制没" and "法院" not in logged["text"]
    held = Reply("有时间限制没", "answer", "", "litigation", read="能直接上法院告不，有时间限制没")
    again = asyncio.run(conversation.instead(held, channel="web", user_id="u2"))
    assert again is not None and again.choices == missed.choices and store.enquiries()[0]["text"] == logged["text"]


def test_only_a_year_after_an_answer_asks_that_question_of_the_year(conversation):
    # 那2010年呢 on its own is a look-up of the documents that name 2010 (烟花爆竹 网点); after
    # 2009年收到多少申请 it asks 2010's figures, which the guide has not: said so, with where.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("那2010年呢", "u0").outcome == "catalogue"
    assert ask("2009年收到多少申请").entry_id == "apply-2009"
    again = ask("那2010年呢")
    assert (again.outcome, again.entry_id, again.q) == ("answer", "annual-report-where", "那2010年呢")
    assert again.text.startswith(texts.YEAR_NOT_HELD.format(asked="2010年", held="2009年"))
    assert ask("2018年收到多少申请", "u2").entry_id == "annual-report-where"
    assert ask("零九年呢", "u2").entry_id == "apply-2009"  # and back to a year it has
    # After a year's documents, the documents of the year named now: none of 2010, and those whose
    # title names it, said so; after documents found for words, a year alone is read alone.
    assert ask("2009年有什么文件", "u3").outcome == "catalogue"
    listed = ask("那2010年呢", "u3")
    assert listed.outcome == "catalogue" and listed.text.startswith("公开目录中没有2010年")
    assert ask("安全生产月", "u4").outcome == "catalogue"
    assert ask("那2010年呢", "u4").text == ask("那2010年呢", "u0").text
    # After a question that named no year, a year whose figures are not held asks that question of
    # it (the year alone offered how to prove one's identity); one held finds its own (the report).
    assert ask("年度报告在哪看", "u5").entry_id == "annual-report-where"
    reports = ask("2015年的呢", "u5")
    assert reports.entry_id == "annual-report-where" and "没有2015年的" in reports.text
    assert ask("申请多久答复", "u6").entry_id == "deadline"
    assert ask("那2015年呢", "u6").entry_id == "old-deadline"  # the 2007 Regulations, in force then
    assert ask("那2020年呢", "u6").entry_id == "deadline"
    assert ask("零九年呢", "u6").entry_id == "old-deadline"  # still how soon, asked of 2009
    # A year held asked of a rule whose earlier form was in force then: that rule then (was the
    # 2009 report's summary).
    assert ask("申请多久答复", "u7").entry_id == "deadline"
    assert ask("那零九年呢", "u7").entry_id == "old-deadline"


def test_a_short_question_after_a_tip_off_asks_of_it(conversation):
    # 打哪个电话 on its own is answered with the office's phone; after a tip-off it asks for the line
    # to report on (12350), and 能匿名吗 whether a tip-off may be anonymous (an application may not).
    def ask(text: str, user: str) -> tuple[str, str | None]:
        reply = asyncio.run(conversation.ask(text, channel="web", user_id=user))
        return reply.outcome, reply.entry_id

    assert ask("打哪个电话", "u0") == ("answer", "office-phone")
    assert ask("能匿名吗", "u0") == ("answer", "apply-id")
    for user, follow_up in (("u1", "打哪个电话"), ("u2", "能匿名吗")):
        assert ask("俺要举报一个厂子违规生产", user) == ("complaint", "safety-report")
        reply = asyncio.run(conversation.ask(follow_up, channel="web", user_id=user))
        assert (reply.outcome, reply.entry_id) == ("answer", "safety-report")
        assert "12350" in reply.text
    assert "匿名" in reply.text
    # A tip-off told as a story gives the same subject: its follow-ups are asked of it all the same.
    for user, follow_up in (("u4", "打哪个电话"), ("u5", "能匿名吗")):
        assert ask("我要举报一个厂子 晚上偷偷开工", user) == ("complaint", "safety-report")
        assert ask(follow_up, user) == ("answer", "safety-report")
    # After a complaint, a question of its own is still answered on its own words.
    assert ask("我要投诉你们窗口的人态度差", "u3")[0] == "complaint"
    assert ask("怎么申请信息公开", "u3") == ("answer", "apply-how")


def test_questions_after_a_tip_off_keep_to_it_turn_after_turn(conversation):
    # 能匿名吗 was told an application may not be anonymous; 多久给我回复, a turn later, how soon
    # an application is answered.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("我要投诉一个卖烟花的没证").tipoff
    anonymous = ask("能匿名吗")
    assert anonymous.entry_id == "safety-report" and "匿名举报" in anonymous.text
    later = ask("多久给我回复")
    assert later.entry_id == "bot-progress" and "15个工作日" in later.text
    # A question that names its own subject is answered on it, as ever.
    assert ask("我们厂晚上把安全出口锁了", "u2").tipoff
    assert ask("怎么申请信息公开", "u2").entry_id == "apply-how"


def test_a_short_question_after_an_answer_on_another_subject_asks_of_that(conversation):
    # After where to report, 能匿名吗 was told an application may not be anonymous; after how to apply
    # for a review, 要交钱不 was told applying for information is free. The entries say their subject
    # (subject: 举报, 行政复议); a question that names its own is answered on it.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("去哪举报安全隐患").entry_id == "safety-report"
    anonymous = ask("能匿名吗")
    assert anonymous.entry_id == "safety-report" and "匿名举报" in anonymous.text
    assert ask("复议找谁申请", "u2").entry_id == "admin-review"
    fee = ask("要交钱不", "u2")
    assert fee.entry_id == "admin-review" and "不收费（第87条）" in fee.text
    assert ask("怎么申请信息公开", "u2").entry_id == "apply-how"
    assert ask("复议找谁申请", "u4").entry_id == "admin-review"
    assert ask("复议完还不服能告吗", "u4").entry_id == "litigation"  # names the subject: read alone
    # A subject follows the answer: after a tip-off, then the review, 要交钱不 asks of the review.
    assert ask("俺想举报个厂子晚上偷偷生产烟花", "u6").outcome == "complaint"
    assert ask("复议找谁申请", "u6").entry_id == "admin-review"
    assert ask("要交钱不", "u6").entry_id == "admin-review"
    assert ask("去哪举报安全隐患", "u3").entry_id == "safety-report"
    assert ask("你们电话多少", "u3").entry_id == "office-phone"  # answered alone: not read with the one before


def test_a_short_english_question_after_a_tip_off_or_a_review_asks_of_it(conversation):
    # can I stay anonymous? after an English tip-off was told that proof of identity is required (an
    # application's rule); how long do i have? after the review, how soon an application is answered.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("can I stay anonymous?", "u0").entry_id == "apply-id"
    assert ask("A factory near my home stores gas cylinders in the open and the workers smoke there").tipoff
    anonymous = ask("can I stay anonymous?")
    assert anonymous.entry_id == "safety-report" and "anonymously" in anonymous.text
    # will i get a reward? (offered, unsure, how soon an application is answered) was told how long
    # a report takes; a question of a reply still is.
    reward = ask("will i get a reward?")
    assert reward.entry_id == "safety-report" and "reward" in reward.text.lower()
    assert ask("when will I hear back?").entry_id == "bot-progress"
    assert ask("how do I request information?").entry_id == "apply-how"  # names its own subject
    assert ask("how do I apply for administrative review?", "u2").entry_id == "admin-review"
    for follow_up in ("how long do i have?", "does it cost anything?"):
        reply = ask(follow_up, "u2")
        assert reply.entry_id == "admin-review" and "free of charge" in reply.text
    assert ask("what is your phone number?", "u2").entry_id == "office-phone"  # answered alone, as ever


def test_what_is_done_with_documents_listed_asks_of_them(conversation):
    # 咋看 after documents found offered 索引号 and 年度报告; 能下载不 got the not-sure reply.
    def ask(text: str, user: str = "u1"):
        return asyncio.run(conversation.ask(text, channel="web", user_id=user))

    assert ask("恁这有没有应急预案").outcome == "catalogue"
    assert ask("咋看").entry_id == "read-in-person"
    assert ask("能下载不").entry_id == "read-in-person"
    # A question answered on its own is answered so: how soon, of applying (公开的文件要多久 asks nothing).
    assert ask("安全生产月", "u2").outcome == "catalogue"
    assert ask("要多久", "u2").entry_id == "deadline"
    # After a licence's 办理指南 found, what it takes, how long and what it costs are asked of the licence
    # (were the not-sure reply, how soon an application for information is answered, and that applying
    # for information is free): its guide again, turn after turn.
    assert ask("咱们厂要办危险化学品经营许可证，咋办", "u3").outcome == "catalogue"
    for follow_up in ("要准备啥材料", "多长时间能批下来", "要钱吗"):
        reply = ask(follow_up, "u3")
        assert reply.outcome == "catalogue" and "危险化学品经营许可证办理指南" in reply.text
        assert "以它的办理指南为准" in reply.text
    assert ask("你们电话多少", "u3").entry_id == "office-phone"  # nothing of applying: as ever
    assert ask("烟花爆竹经营许可证咋办", "u4").outcome == "catalogue"
    assert ask("怎么申请信息公开", "u4").entry_id == "apply-how"
    # After an answer listing documents (a website column's), 能下载不 asks of them.
    assert ask("你们公开过哪些关于重大危险源的文件", "u5").hits
    assert ask("能下载不", "u5").entry_id == "read-in-person"


@pytest.mark.parametrize(
    ("first", "now", "entry"),
    [
        ("零九年那会儿申请信息要交钱吗", "那现在呢", "fee-free"),
        ("2009年收费吗", "现在呢", "fee-free"),
        ("2009年申请信息公开要多久答复", "那现在呢", "deadline"),
        ("In 2009, how long did the bureau have to answer an information request?", "And now?", "deadline"),
    ],
)
def test_now_after_a_question_of_a_year_asks_it_of_todays_rules(conversation, first, now, entry):
    # 那现在呢 after 零九年…交钱吗 got the not-sure reply; after 2009年收费吗, 2009's answer again.
    asyncio.run(conversation.ask(first, channel="web", user_id="u1"))
    reply = asyncio.run(conversation.ask(now, channel="web", user_id="u1"))
    assert (reply.outcome, reply.entry_id, reply.q) == ("answer", entry, now)


@pytest.mark.parametrize(
    "typed",
    [
        "我要举报一个厂子",
        "举报个作坊",
        "俺娘在厂里干活，手被机器绞了，厂里不给报，俺该咋办",
        "The smoke detectors in our workshop were disconnected months ago and the boss does not care",
    ],
)
def test_a_workplace_reported_is_told_the_work_safety_line(conversation, typed):
    # It had the template for complaints about disclosure work, with no word of 12350.
    reply = asyncio.run(conversation.ask(typed, channel="web", user_id="u1"))
    assert reply.outcome == "complaint" and reply.tipoff and "12350" in reply.text


@pytest.mark.parametrize(
    "typed,hotline", [("举报", True), ("我要举报", True), ("我要举报你们局的工作人员吃拿卡要", False)]
)
def test_a_report_of_nothing_named_is_told_both_ways(conversation, typed, hotline):
    # 我要举报 may be of the office's work or of a hazard: both lines are said; of its staff, one.
    reply = asyncio.run(conversation.ask(typed, channel="web", user_id="u1"))
    assert reply.outcome == "complaint" and not reply.tipoff
    assert reply.text.startswith(texts.COMPLAINT.format(**conversation.contacts)) and ("12350" in reply.text) == hotline


def test_a_short_question_after_a_choice_picked_asks_of_it(conversation):
    # 申请被拒了咋整 offered a list; the citizen picked the entry on review, then asked 多久内.
    picked = conversation.entry("admin-review", channel="web", user_id="u1")
    assert picked is not None
    reply = asyncio.run(conversation.ask("多久内", channel="web", user_id="u1"))
    assert (reply.outcome, reply.entry_id) == ("answer", "admin-review")
    # A choice shown with no chat to speak of (a preview) sets nothing.
    conversation.entry("admin-review")
    assert asyncio.run(conversation.ask("多久内", channel="web", user_id="u2")).entry_id != "admin-review"
