"""Outcomes and reply texts, and the enquiry log behind them."""

from __future__ import annotations

import asyncio

import pytest

from bot import texts
from bot.services.answering import MAX_QUESTION_CHARS, Answerer, pieces, pointers
from bot.services.insights import unanswered


def test_answer_fills_contacts_and_cites_source(answerer, settings):
    reply = answerer.answer("你们办公电话是多少")
    assert reply.outcome == "answer" and reply.entry_id == "office-phone"
    assert settings.office_phone in reply.text
    assert "{" not in reply.text and "依据" in reply.text


def test_clarify_offers_choices(answerer, settings):
    reply = answerer.answer("期限")
    assert reply.outcome == "clarify"
    assert 2 <= len(reply.choices) <= settings.clarify_choices
    assert all(f"{n}. {c.title}" in reply.text for n, c in enumerate(reply.choices, 1))
    chosen = answerer.answer_entry(reply.choices[0].id)
    assert chosen is not None and chosen.outcome == "answer"


def test_a_list_of_one_asks_whether_that_is_what_was_meant(answerer):
    # (Built by hand: how many entries a question's list holds moves with each refit.)
    from bot.services.answering import Choice
    from bot.services.conversation import Conversation

    one = [Choice("deadline", "申请后多久能得到答复？", 0.3)]
    reply = answerer.current._clarify("申请信息公开要几天", one)
    assert reply.text.startswith(texts.CLARIFY_ONE + "\n1. 申请后多久能得到答复？")
    assert "都不是" not in reply.text and "哪一个" not in reply.text
    prompt = Conversation.choose_prompt(reply, answerer.contacts)
    assert prompt.startswith("您是想问这个吗") and "哪一个" not in prompt
    english = answerer.current._clarify("how long", [Choice("deadline", "How long?", 0.3)], english=True)
    assert english.text.startswith(texts.CLARIFY_ONE_EN) and "none of them" not in english.text
    english.english = True
    assert Conversation.choose_prompt(english, answerer.contacts).startswith("Did you mean this?")
    two = answerer.current._clarify("费用", [*one, Choice("fee-free", "申请要收费吗？", 0.2)])
    assert two.text.startswith(texts.CLARIFY) and Conversation.choose_prompt(two, answerer.contacts).startswith(
        "您想问的是下面哪一个"
    )


def test_a_list_offered_in_english_has_english_titles_and_its_pick_is_answered_in_english(answerer):
    reply = answerer.answer("where to apply")
    assert reply.outcome == "clarify" and reply.english
    guide = answerer.matcher.knowledge
    for choice in reply.choices:  # each entry's English question where it has one
        entry = guide.entry(choice.id)
        assert choice.title == (entry.question_en or entry.question) and choice.title in reply.text
    assert reply.choices[0].title.isascii()
    picked = answerer.answer_entry(reply.choices[0].id, english=True)
    assert picked.q == reply.choices[0].title and "Article" in picked.text
    chinese = answerer.answer_entry(reply.choices[0].id)
    assert chinese.q == guide.entry(reply.choices[0].id).question and "依照" in chinese.text
    assert not answerer.answer("申请要收费吗").english


def test_a_bare_word_unsure_offers_the_entries_with_it_in_a_keyword(answerer, settings):
    # 期限 alone: whatever the calibration makes of it, the entries whose keywords hold it
    # (答复期限, 最长期限, 过期限…) are offered, not a list of one.
    reply = answerer.answer("期限")
    assert reply.outcome == "clarify" and 2 <= len(reply.choices) <= settings.clarify_choices
    keyworded = {e.id for e in answerer.matcher.knowledge.guide if any("期限" in k for k in e.keywords)}
    assert len({c.id for c in reply.choices} & keyworded) >= 2
    assert len({c.id for c in reply.choices}) == len(reply.choices)
    # The most asked first (申请后多久能得到答复), not the model's guess at two characters (the
    # 2009 deadline, whose phrasing 旧条例期限 is nearest in length).
    assert reply.choices[0].id == "deadline" and "old-deadline" not in {c.id for c in reply.choices}


def test_a_bare_word_the_model_cannot_place_still_offers_its_entries(answerer, settings):
    # 申请 alone scored too low for a list and got the fallback's 不能确定; it is in the keywords
    # of the guide's entries on applying, offered the most asked first.
    reply = answerer.answer("申请")
    assert reply.outcome == "clarify" and len(reply.choices) == settings.clarify_choices
    assert [c.id for c in reply.choices][:2] == ["apply-who", "apply-how"]
    assert answerer.answer("医保").outcome == "fallback"  # in no keyword: nothing to offer


def test_fallback_is_honest_and_gives_contacts(answerer, settings):
    reply = answerer.answer("以前要交检素费吗")  # the bureau's business, in words it cannot place
    assert reply.outcome == "fallback"
    assert "已经记录" in reply.text and settings.office_phone in reply.text and settings.office_email in reply.text
    # Any question not placed may be another office's (我想申请低保, a work visa): 12345 is said too.
    assert "12345" in reply.text and "12345" in answerer.answer("How do I apply for a work visa?").text
    # Another office's business is told 12345 first, and the office's phone in case it is the bureau's.
    reply = answerer.answer("明天会下雨吗")
    assert reply.outcome == "fallback" and reply.text.startswith(texts.OTHER_BUSINESS[:12])
    assert "已经记录" in reply.text and "12345" in reply.text and settings.office_phone in reply.text
    # The bureau's own field, though the guide does not answer it, is never another office's.
    for typed in ("非煤矿山", "特种作业操作证咋考", "电工证去哪办"):
        reply = answerer.answer(typed)
        assert reply.outcome == "fallback" and not reply.text.startswith(texts.OTHER_BUSINESS[:12]), typed
        assert settings.office_phone in reply.text, typed


def test_complaint_says_where_to_complain(answerer, settings):
    reply = answerer.answer("我要投诉你们工作人员态度恶劣")
    assert reply.outcome == "complaint" and not reply.tipoff
    assert settings.supervision_phone in reply.text and "第51条" in reply.text and "12350" not in reply.text
    # The remedies against a reply, not 第39条 (a complaint sent as an application is not one)
    assert "60日内申请行政复议" in reply.text and "第39条" not in reply.text


def test_tipoff_names_12350(answerer):
    reply = answerer.answer("隔壁厂子有安全隐患，晚上偷偷生产")
    assert reply.outcome == "complaint" and reply.tipoff and "12350" in reply.text
    # Pollution told as a tip-off is the environmental hotline's, which the reply names too.
    polluting = answerer.answer("化工厂晚上老往河里偷排污水，味道呛人")
    assert polluting.outcome == "complaint" and "12369" in polluting.text
    # Someone hurt: the worker's own rights too (工伤, 12333), and no private settling of it.
    hurt = answerer.answer("我们车间昨天有个工人被砸伤了，老板说私了，不让往外说")
    assert hurt.outcome == "complaint" and "12350" in hurt.text and "12333" in hurt.text
    assert "12333" not in answerer.answer("工地上的工人都不戴安全帽").text
    assert "12333" in answerer.answer("My coworker got hurt by a machine and the boss told us to keep quiet").text


@pytest.mark.parametrize(
    "story,tipoff",
    [
        ("我们车间粉尘大得看不见人，口罩都不发，老板说赶工", True),  # a hazard, no word of complaining
        ("后厨煤气管子拿胶带缠着，漏了好几回了，老板不肯换", True),  # 好几回: 几 here does not ask
        ("工地那台塔吊没检验就用上了，天天吊着钢筋从人头上过", True),  # equipment, no hazard word of old
        ("老板让我们不戴防毒面具下去清罐子", True),
        ("申请交上去两个月了石沉大海，你们这效率可真高啊", False),  # irony
        ("说了多少遍网站打不开，到底有没有人管？", False),  # a rhetorical question
        # what a reply left out, though a question word (哪) is in it
        ("答复书上压根没写我不服可以去哪复议，等我知道的时候说已经过期了", False),
    ],
)
def test_a_story_of_a_grievance_or_hazard_is_offered_the_complaint_way(answerer, story, tipoff):
    reply = answerer.answer(story)
    assert reply.outcome == "complaint" and reply.tipoff == tipoff


@pytest.mark.parametrize(
    "question",
    [
        "今年的隐患排查治理结果公布了吗，在网站哪个栏目",  # hazard words, but asking
        "医保卡丢了，补办要去哪里",  # off-topic, asking
        "研究生复试成绩不满意，可以申请复议吗？",  # unhappy, but a question
        "液化气",  # too short to be a story
        "要是你们那里没有我要的东西，我该咋办呢",  # 咋办 asks what to do: no grievance
        "一个文件里头一半能公开一半不能，咋整",
        "啥样的信息你们不给公开",  # word for word a phrasing of the guide's, complaint words and all
        "如果我要的文件你们压根没有，会怎么答复我",  # 压根 supposes here
    ],
)
def test_questions_with_hazard_or_grievance_words_are_not_complaints(answerer, question):
    assert answerer.answer(question).outcome != "complaint"


def test_a_story_told_weighs_in_the_complaint_model_and_files_nothing_by_itself(answerer):
    # 反映问题 tells of grievances in general, in a question about how they are handled: the story
    # rule took it for a complaint; the model reads the same sign and sees it asks.
    reply = answerer.answer("老百姓反映问题的话，你们会上门核实吗，一般几天")
    assert reply.outcome != "complaint"
    # Not sure of a grievance that asks nothing of the guide, the form is still offered under it.
    reply = answerer.answer("你们拿着纳税人的钱就是这么办事的？")
    assert reply.outcome == "complaint" or reply.may_complain


@pytest.mark.parametrize(
    ("message", "offered"),
    [
        ("指南上写的地址早就搬了白跑一趟", True),  # a complaint told as a bare fact, unsure
        ("港澳通行证去哪办", False),  # another office's business
        ("今天天气怎么样", False),
    ],
)
def test_an_unsure_reply_offers_the_form_only_to_what_reads_like_a_complaint(answerer, message, offered):
    from bot.services.conversation import Conversation

    reply = answerer.answer(message)
    assert reply.outcome == "fallback" and reply.may_complain == offered
    assert (Conversation.offer(reply) is not None) == offered


def test_a_list_offers_the_form_only_under_what_reads_like_a_complaint(answerer):
    from bot.services.conversation import Conversation

    told = answerer.answer("网上写的邮箱发过去就退信")  # a complaint told as a bare fact
    assert told.outcome == "clarify" and told.may_complain and not told.tipoff
    assert Conversation.offer(told) is not None
    word = answerer.answer("期限")  # a bare word: which deadline?
    assert word.outcome == "clarify" and not word.may_complain and Conversation.offer(word) is None


def test_unhappy_question_about_complaining_is_answered(answerer):
    assert answerer.answer("对你们信息公开工作不满意可以向哪投诉").outcome == "answer"


def test_a_question_in_a_complainants_words_is_answered_only_when_the_guide_answers_it_outright(answerer):
    # 不给公开 is a complainant's word; asked as a rule the guide states, it is a question.
    question = answerer.answer("哪些信息不给公开")
    assert (question.outcome, question.entry_id) == ("answer", "exempt-overview")
    assert answerer.answer("我申请的信息你们不给公开，也不说理由").outcome == "complaint"
    assert answerer.answer("你们凭什么不给公开").outcome == "complaint"


def test_question_naming_a_document_gets_catalogue_items(answerer):
    reply = answerer.answer("关于做好国庆期间安全生产工作的紧急通知")
    assert reply.outcome == "catalogue"
    assert reply.hits and "国庆" in reply.hits[0]["title"]


@pytest.mark.parametrize(
    "text", ["", "   ", "\u3000", "\u200b\u200b", "\x00", "\ufeff\u202e \n", "问" * (MAX_QUESTION_CHARS + 1)]
)
def test_invalid_input_gets_a_polite_reply(answerer, text):
    reply = answerer.answer(text)
    assert reply.outcome == "invalid" and reply.text
    if len(text) < 10:  # nothing that shows: asked to type a question
        assert reply.text == texts.EMPTY


def test_a_story_too_long_to_file_is_asked_to_be_shortened_not_offered_the_form(answerer):
    # WeChat offered "回复 1 在这里提交举报" for 3,605 characters, then refused them at 2,000.
    story = "我要举报：某厂违规存放危险化学品，"
    offered = answerer.answer(story * 40)  # 680 characters: filed as they are
    assert offered.outcome == "invalid" and offered.may_complain and offered.tipoff
    long = answerer.answer(story * 200)  # 3,400
    assert long.outcome == "invalid" and not long.may_complain and "请精简到2000字以内再发送" in long.text


def test_a_number_alone_is_no_question(answerer):
    # A phone number matched the hotlines' digits (12345, 12350) and was answered with an entry.
    for typed in ("123456", "13812345678", "0533-2181234"):
        assert (answerer.answer(typed).outcome, answerer.answer(typed).text) == ("invalid", texts.ONLY_DIGITS)
    assert answerer.answer("2009").outcome != "invalid"  # a year may name what is asked
    assert answerer.answer("12350").entry_id == "safety-report"  # and a hotline's number what it is


@pytest.mark.parametrize("typed", ["110", "31m", "5G", "a1", "３１ｍ"])
def test_digits_with_no_word_are_no_question(answerer, typed):
    # 110 was answered with the fee per item, 31m (a terminal's colour code) with 1月31日's deadline.
    assert (answerer.answer(typed).outcome, answerer.answer(typed).text) == ("invalid", texts.ONLY_DIGITS)


@pytest.mark.parametrize("typed", ["？？？", "。", "...", "👍", ":)", "a"])
def test_punctuation_or_emoji_alone_is_asked_for_words_and_not_left_for_staff(answerer, store, typed):
    # ？？？ and 。 got "您的问题已经记录" and were listed for staff to teach.
    reply = answerer.ask(store, typed, channel="web", user_id="u")
    assert (reply.outcome, reply.text) == ("invalid", texts.NO_WORDS)
    assert not unanswered(store)


@pytest.mark.parametrize(
    "typed",
    ["AAAA", "xxxxxxxxxx", "A" * 500, "asdfasdfasdfasdfasdfasdfasdfg", "zzz zzz", "qwertyuiop", "asdkjfh qwe zxc"],
)
def test_letters_that_make_no_word_are_asked_for_words_not_matched(answerer, store, typed):
    # AAAA was offered 我要找人工, 500 A's 申请时需要提供身份证明吗.
    reply = answerer.ask(store, typed, channel="web", user_id="u")
    assert (reply.outcome, reply.choices, reply.entry_id) == ("invalid", [], None) and "没看懂" in reply.text
    assert not unanswered(store)


@pytest.mark.parametrize("typed", ["fee", "How do I apply", "shenqingyaoshoufeima", "hello", "property", "strengths"])
def test_words_and_pinyin_are_still_read(answerer, typed):
    assert answerer.answer(typed).outcome != "invalid"


@pytest.mark.parametrize("typed", ["3天", "GB/T", "abc 123", "20个工作日"])
def test_a_word_beside_digits_is_read(answerer, typed):
    assert answerer.answer(typed).outcome != "invalid"


def test_bytes_that_are_no_text_are_read_and_logged_as_the_replacement_character(answerer, store):
    # A terminal decodes bytes that are not UTF-8 as lone surrogates (surrogateescape), which no
    # encoder takes: the question is still answered, its search run, and its enquiry stored.
    typed = b"\xe7\x94\xb3\xe8\xaf\xb7\xff\xe6\x94\xb6\xe8\xb4\xb9\xe5\x90\x97".decode("utf-8", "surrogateescape")
    reply = answerer.ask(store, typed, channel="web", user_id=1)
    assert (reply.outcome, reply.entry_id) == ("answer", "fee-free") and reply.q == "申请\ufffd收费吗"
    assert [row["outcome"] for row in store.enquiries()] == ["answer"]
    assert answerer.catalogue.search("安全\udcff生产").hits
    assert asyncio.run(answerer.aanswer("\ud800")).outcome in {"fallback", "invalid"}


def test_a_terminals_escape_sequences_are_not_read_as_words(answerer, store):
    # Pasted from a terminal: ESC [31m (red). Shown, its ESC is dropped; read, [31m was 31, and
    # \x1b[31mred\x1b[0m was answered with the entry citing Article 31's neighbours.
    reply = answerer.ask(store, "\x1b[1;31m申请\x1b[0m要钱吗\x1b]0;title\x07", channel="web", user_id=1)
    assert (reply.outcome, reply.entry_id, reply.q) == ("answer", "fee-free", "申请要钱吗")
    assert answerer.answer("\x01\x1b[31mred\x1b[0m\x07").outcome in {"fallback", "invalid"}
    assert (answerer.answer("\x1b[31m").outcome, answerer.answer("\x1b[31m").text) == ("invalid", texts.EMPTY)
    [row] = store.enquiries()
    assert "\x1b" not in row["text"] and "31" not in row["text"] and "title" not in row["text"]


def test_a_question_padded_with_empty_lines_is_read_as_the_question(answerer, store):
    # Pasted with 3,000 empty lines under it, a short question was refused as too long.
    padded = "申请要钱吗" + "\n" * 3000 + "   \n" * 50 + "\n"
    reply = answerer.ask(store, padded, channel="web", user_id=1)
    assert (reply.outcome, reply.entry_id, reply.q) == ("answer", "fee-free", "申请要钱吗\n\n")
    story = "我们厂\n\n\n\n\n晚上偷偷开工" + " " * 4000 + "没人管"
    assert answerer.answer(story).q == "我们厂\n\n晚上偷偷开工 没人管"


def test_a_search_typed_by_its_command_is_a_search_wherever_it_is_asked(answerer):
    # gongkai ask "/search 安全生产月" was offered three guide entries; the chat searches.
    reply = answerer.answer("/search 安全生产月")
    assert reply.outcome == "catalogue" and reply.hits
    assert all("安全生产月" in hit["title"] for hit in reply.hits[:3])
    assert [h["index_no"] for h in reply.hits] == [
        h["index_no"] for h in answerer.catalogue.search("安全生产月").as_json()["hits"]
    ]
    none = answerer.answer("搜索：火星移民")
    assert (none.outcome, none.text) == ("fallback", texts.SEARCH_NONE.format(q="火星移民"))
    assert answerer.answer("/search").entry_id == answerer.answer("搜索功能怎么用").entry_id  # how to search


def test_how_long_a_complaint_takes_is_the_configured_time(matcher, settings):
    # The progress answer told only an application's 20 working days; a complaint's are the
    # bureau's setting (GONGKAI_COMPLAINT_DUE_WORKING_DAYS), filled into the guide's answer.
    for days in (15, 10):
        configured = Answerer(matcher, settings.model_copy(update={"complaint_due_working_days": days}))
        reply = configured.answer_entry("bot-progress")
        assert reply is not None and f"在{days}个工作日内答复" in reply.text and "{" not in reply.text


def test_json_shape(answerer):
    data = answerer.answer("申请要多久答复").as_json()
    assert {"q", "outcome", "text", "entry_id", "score", "choices", "ms"} <= data.keys()


def test_ask_records_normalised_text_and_a_pseudonym(answerer, store):
    answerer.ask(store, "請問申請要收費嗎？", channel="telegram", user_id=123456)
    [row] = store.enquiries()
    assert row["channel"] == "telegram" and row["outcome"] == "answer" and row["entry_id"] == "fee-free"
    assert row["text"] == "申请要收费"
    assert row["user_ref"] and "123456" not in row["user_ref"]
    assert row["user_ref"] == store.user_ref("telegram", 123456) != store.user_ref("wechat", 123456)
    assert row["latency_ms"] >= 0 and row["at"]


def test_aask_records_without_blocking(answerer, store):
    async def main():
        return await asyncio.gather(
            *(answerer.aask(store, q, channel="web", user_id=i) for i, q in enumerate(["收费吗", "天气", "投诉"]))
        )

    replies = asyncio.run(main())
    assert len(replies) == 3
    assert sorted(r["outcome"] for r in store.enquiries()) == sorted(r.outcome for r in replies)


def test_unanswered_groups_the_same_question(answerer, store):
    for user in range(3):
        answerer.ask(store, "明天会下雨吗", channel="web", user_id=user)
    answerer.ask(store, "明天会下雨吗？", channel="web", user_id=9)
    answerer.ask(store, "收费吗", channel="web", user_id=1)
    [row] = store.unanswered()
    assert row["text"] == "明天会下雨" and row["times"] == 4
    assert row["wordings"] == ["明天会下雨吗", "明天会下雨吗？"]  # as typed, most typed first


@pytest.mark.parametrize(
    "text",
    [
        "你好",
        "您好！",
        "hello",
        "在吗？",
        "哈喽 有人没",
        "测试",
        "你好，我想咨询一下",
        "在吗 想问下",
        "hello, I have a question",
    ],
)
def test_greeting_says_what_the_bot_does(answerer, text):
    reply = answerer.answer(text)
    assert reply.outcome == "greeting" and "政府信息公开" in reply.text


@pytest.mark.parametrize(("text", "english"), [("hello", True), ("Good morning!", True), ("你好", False)])
def test_a_greeting_in_english_is_told_english_is_understood(answerer, text, english):
    # hello got the Chinese welcome alone; good morning the English "not sure".
    reply = answerer.answer(text)
    assert reply.outcome == "greeting" and (texts.WELCOME_EN in reply.text) is english
    assert (texts.PRIVACY_EN in reply.text) is english and texts.PRIVACY in reply.text  # what is recorded, in both


@pytest.mark.parametrize(("text", "english"), [("thanks", True), ("Thanks!", True), ("ok", False)])
def test_thanks_in_english_are_answered_in_english(answerer, text, english):
    # thanks got 不客气; ok, which a Chinese citizen types as often, keeps 好的.
    assert answerer.answer(text).text.startswith("You're welcome" if english else "好的")


@pytest.mark.parametrize("text", ["谢谢", "谢谢！", "好的，谢谢你们", "谢谢啊", "辛苦了"])
def test_thanks_get_you_are_welcome_not_the_opening_words_again(answerer, text):
    reply = answerer.answer(text)
    assert reply.outcome == "greeting" and reply.text.startswith("不客气") and "政府信息公开咨询" not in reply.text


@pytest.mark.parametrize("text", ["ok", "好的", "知道了", "明白了", "收到", "OK!", "满意", "基本满意", "挺好的"])
def test_an_acknowledgement_is_acknowledged_not_thanked(answerer, text):
    # "ok" was answered 不客气; 满意 was told where to complain (its entry is 对…不满意，向哪里投诉).
    reply = answerer.answer(text)
    assert reply.outcome == "greeting" and reply.text.startswith("好的。") and "不客气" not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "不是这个",
        "不是这个啊！",
        "你答非所问",
        "我问的不是这个",
        "不对",
        "都不是",
        "That is not what I asked",
        "thats not what i asked",
    ],
)
def test_that_is_not_it_asks_again_in_other_words(answerer, text):
    # Said after a reply that missed: no entry is matched against 不是这个 (not-exist: 不存在).
    reply = answerer.answer(text)
    assert reply.outcome == "greeting" and not reply.choices and reply.entry_id is None
    assert reply.text.startswith("Sorry" if reply.english else "抱歉，没有答到您想问的")


@pytest.mark.parametrize("text", ["取消", "退出", "/cancel", "取消！", "cancel"])
def test_cancel_with_nothing_in_progress_is_told_so(answerer, store, text):
    # It was matched against the guide (取消 -> a fallback near delivery-form) and logged as a
    # question nobody could answer.
    reply = answerer.ask(store, text, channel="web", user_id="u")
    assert reply.outcome == "greeting" and reply.entry_id is None and not reply.choices
    english = text == "cancel"  # typed in English, said in English
    assert reply.text == (texts.NOTHING_TO_CANCEL_EN if english else texts.NOTHING_TO_CANCEL)
    assert not unanswered(store)


@pytest.mark.parametrize("text", ["/start", "开始"])
def test_start_is_greeted(answerer, text):
    assert answerer.answer(text).outcome == "greeting"


def test_not_it_with_a_question_is_a_question(answerer):
    assert answerer.answer("不对吧，申请不是免费的吗").entry_id == "fee-free"
    assert answerer.answer("不是本地人能申请吗").entry_id == "apply-who"


@pytest.mark.parametrize("text", ["第42条", "条例第四十二条", "《条例》第42条是什么意思"])
def test_an_article_asked_about_offers_the_answers_that_cite_it(answerer, text):
    # It was told "no choices are pending": 第42条 read as picking the 42nd.
    reply = answerer.answer(text)
    assert reply.outcome == "clarify" and reply.text.startswith("《条例》第42条")
    assert reply.choices[0].id == "fee-free"  # the answer that cites it alone
    cited = {c.id for c in reply.choices}
    assert all("第42条" in e.source or "42" in e.source for e in answerer.matcher.knowledge.guide if e.id in cited)


def test_an_article_no_answer_cites_says_so(answerer):
    uncited = next(n for n in range(1, 57) if not answerer.matcher.citing(n))
    reply = answerer.answer(f"条例第{uncited}条")
    assert reply.outcome == "fallback" and f"第{uncited}条" in reply.text and not reply.choices


@pytest.mark.parametrize("text", ["1", "２", "3.", "12", "第二个", "选3"])
def test_a_bare_number_with_no_choices_offered_says_so(answerer, text):
    reply = answerer.answer(text)
    assert reply.outcome == "invalid" and reply.text == texts.NO_CHOICES and not reply.choices


def test_thanks_with_a_question_is_a_question(answerer):
    assert answerer.answer("谢谢，那申请要收费吗").entry_id == "fee-free"


def test_greeting_with_a_question_is_a_question(answerer):
    assert answerer.answer("你好，申请要收费吗").entry_id == "fee-free"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("详情可问“什么是信息处理费”。", ["什么是信息处理费"]),
        ("可以问“怎么申请”，也可以问我“怎么用本服务查文件”。", ["怎么申请", "怎么用本服务查文件"]),
        ("直接问我“2009年度报告讲了什么”；请问“联系方式”。", ["2009年度报告讲了什么", "联系方式"]),
        ("可问“怎么申请”，再可问“怎么申请”。", ["怎么申请"]),  # each once
        ("见“延期”；收取“信息处理费”；请看“去哪投诉”。", []),  # topics named, not questions to ask
    ],
)
def test_pointers_are_the_questions_an_answer_says_to_ask(text, asks):
    assert pointers(text) == asks
    assert "".join(piece for piece, _ in pieces(text, asks)) == text
    assert [q for _, q in pieces(text, asks) if q] == [q for q in asks for _ in range(text.count(f"“{q}”"))]


def test_an_answer_carries_its_pointers_and_other_replies_none(answerer):
    assert answerer.answer("申请信息公开要收费吗").asks == ["什么是信息处理费"]
    assert answerer.answer_entry("fee-free").asks == ["什么是信息处理费"]
    assert answerer.answer("期限").asks == []  # a clarify list: its choices are the buttons
    assert answerer.answer("明天会下雨吗").asks == []


def test_every_pointer_in_the_guide_is_answered_when_asked(answerer):
    """A pointer made a button must lead somewhere: asked, it is answered (or its choices offered)."""
    asked = {q for e in answerer.matcher.knowledge.guide for q in pointers(e.answer)}
    assert "什么是信息处理费" in asked
    for question in sorted(asked):
        assert answerer.answer(question).outcome in {"answer", "clarify"}, question


def test_every_pointer_of_an_english_answer_is_answered_in_english_when_asked(answerer):
    guide = answerer.matcher.knowledge.guide
    asked = {q for e in guide for q in pointers(e.answer_en)}
    assert "How do I apply?" in asked
    for question in sorted(asked):
        reply = answerer.answer(question)
        assert reply.outcome == "answer" and reply.english, question


@pytest.mark.parametrize(
    "text",
    [
        "有人被困在厂房里了，快来人",
        "液化气泄漏了怎么办",
        "着火了",
        "我闻到很大的煤气味",
        "救命",
        "隔壁化工厂冒黑烟了，火很大",
        "矿井透水了，下面还有人",
        "塌方了，有人被埋",
        "锅炉要爆了",
        "罐子现在正冒白烟 味儿呛得睁不开眼",
    ],
)
def test_a_danger_happening_now_is_told_119_before_anything_else(answerer, text):
    # Whatever the rest of the reply is (the complaint's channels, not sure, a choice), the first
    # line tells whom to call now: the bureau can send no one.
    reply = answerer.answer(text)
    assert reply.text.startswith(texts.EMERGENCY)
    english = answerer.answer("there is a gas leak in my building")
    assert english.text.startswith(texts.EMERGENCY_EN)


def test_a_danger_happening_now_taken_for_a_complaint_is_told_where_to_report_it(answerer):
    # Without a hazard's words (罐子, 冒白烟) it was told the channels for complaints about the
    # disclosure work, not 12350.
    reply = answerer.answer("厂里那个罐子冒白烟了 咋办")
    assert reply.outcome == "complaint" and reply.tipoff and "12350" in reply.text


def test_a_danger_told_as_past_is_no_emergency(answerer):
    # Past, asked about, or a word of it in a figure of speech (困在申请流程里, 被困扰, 气炸了).
    for text in (
        "去年那家厂着火了，公开了吗",
        "2009年爆炸事故统计",
        "上个月厂里有人中毒了，通报在哪看",
        "透水事故的调查报告在哪看",
        "我被困在申请流程里了，不知道怎么办",
        "我被困扰很久了，申请一直没答复",
        "我快被你们气炸了",
    ):
        assert texts.EMERGENCY not in answerer.answer(text).text


def test_how_soon_a_complaint_is_answered_is_not_an_applications_deadline(answerer):
    # 我投诉了什么时候给答复 was answered with the 20 working days an application takes (投诉多久有结果
    # was a list of that and following one's case); a complaint is answered within its own days.
    # 投诉了多久能处理 was not understood: the guide said how long an application takes, not how
    # long until it is 处理 (dealt with).
    for asked in ("投诉多久有结果", "我投诉了什么时候给答复", "举报以后多长时间有回音", "投诉了多久能处理"):
        reply = answerer.answer(asked)
        assert (reply.outcome, reply.entry_id) == ("answer", "bot-progress"), asked
        assert reply.text.startswith(texts.COMPLAINT_TAKES.format(complaint_days=15))  # what was asked, first
    assert answerer.answer("申请多久答复").entry_id == "deadline"
    assert answerer.answer("申请多久能处理").entry_id == "deadline"
    assert answerer.answer("投诉快递多久有结果").entry_id != "bot-progress"  # another office's business
    english = answerer.answer("How long until my complaint is answered?")
    assert english.entry_id == "bot-progress" and english.text.startswith(
        texts.COMPLAINT_TAKES_EN.format(complaint_days=15)
    )
    assert answerer.answer("How long does it take to get a reply to my request?").entry_id == "deadline"
