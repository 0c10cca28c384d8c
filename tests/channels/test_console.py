"""The terminal chat (``gongkai chat``): a channel on the same conversation layer as the others."""

from __future__ import annotations

import asyncio
import re

from bot import texts
from bot.app import CHANNELS, Services
from bot.channels.console import Console


def test_the_terminal_chat_files_a_complaint_and_looks_it_up(answerer, store, settings):
    console = Console(Services.of(answerer, store, settings).conversation, "lisi")

    async def main() -> list[str | None]:
        said = []
        for line in ("投诉", "窗口工作人员态度差", "９", "3", "！！", "跳过", "2", "1"):
            said.append(await console.handle(line))
        number = re.search(r"编号 ([0-9-]+)", said[-1] or "")
        assert number is not None
        said.append(await console.handle(f"查询 {number.group(1)}"))
        said.append(await console.handle("查询"))
        return said

    said = asyncio.run(main())
    assert said[0] is not None and said[0].startswith(texts.WX_FORM_WHAT.format(limit=2000)[:10])
    assert said[2] is not None and said[2].startswith(texts.WX_FORM_TOPIC_AGAIN)
    assert said[3] == texts.WX_FORM_CONTACT
    assert said[4] == texts.WX_FORM_CONTACT_TEXT_ONLY
    assert said[6] == texts.WX_FORM_CONFIRM_AGAIN
    assert said[7] is not None and said[7].startswith("已收到您的投诉")
    assert said[8] is not None and "待受理" in said[8]
    assert said[9] == texts.WX_STATUS_USAGE


def test_a_complaint_reply_offers_the_form_and_1_files_what_was_told(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    console = Console(services.conversation, "lisi")
    told = "我要投诉你们局的工作人员，窗口的人态度很差"

    async def main() -> list[str | None]:
        return [await console.handle(line) for line in (told, "1", "3", "跳过", "1")]

    offered, opened, *_, filed = asyncio.run(main())
    assert offered is not None and texts.WX_OFFER.format(kind="投诉") in offered
    assert opened is not None and opened.startswith(texts.FORM_TOLD.format(kind="投诉"))
    assert texts.TIPOFF_HOTLINES not in opened and "请简要描述" not in opened  # not asked again
    assert filed is not None and filed.startswith("已收到您的投诉")
    [complaint], _ = services.complaints.search()
    assert complaint.text == told


def test_under_a_list_the_numbers_pick_a_question_and_the_word_files_what_was_told(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    console = Console(services.conversation, "lisi")
    told = "网上写的邮箱发过去就退信"  # a complaint told as a bare fact, near questions the guide answers
    first = answerer.answer(told).choices[0]
    first_answer = answerer.answer_entry(first.id)
    assert first_answer is not None

    async def main() -> list[str | None]:
        return [await console.handle(line) for line in (told, "1", told, "投诉", "4", "跳过", "1")]

    listed, picked, _, opened, *_, filed = asyncio.run(main())
    assert listed is not None and f"1. {first.title}" in listed
    assert texts.WX_OFFER_WORD.format(kind="投诉") in listed
    assert picked == first_answer.text  # 1: the question, not the form
    assert opened is not None and opened.startswith(texts.FORM_TOLD.format(kind="投诉"))
    assert filed is not None and filed.startswith("已收到您的投诉")
    [complaint], _ = services.complaints.search()
    assert complaint.text == told


def test_a_list_offered_in_english_is_answered_in_english(answerer, store, settings):
    console = Console(Services.of(answerer, store, settings).conversation, "lisi")
    first = answerer.answer("where to apply").choices[0]

    async def main() -> list[str | None]:
        return [await console.handle(line) for line in ("where to apply", "1")]

    _, picked = asyncio.run(main())
    assert picked == answerer.answer_entry(first.id, english=True).text and "Article" in (picked or "")


def test_a_new_channel_is_one_line_in_the_list():
    assert set(CHANNELS) == {"web", "wechat", "telegram", "console"}


def test_the_terminal_chat_takes_an_application_step_by_step_and_looks_it_up(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    console = Console(services.conversation, "lisi")
    lines = [
        "申请公开",
        "9",  # not an option
        "1",  # 自然人
        "王小明",
        "1",  # 居民身份证
        "370303199001011230",  # a wrong check code
        "370303199001011239",
        "跳过",  # no contact: refused
        "13912345678 wang@example.com",
        "2026年本局烟花爆竹经营许可证的发放名单",
        "2",  # 电子
        "2",  # 电子邮件
    ]

    async def main() -> list[str | None]:
        said = [await console.handle(line) for line in lines]
        said.append(await console.handle("1"))  # 提交
        number = re.search(r"编号 (申[0-9-]+)", said[-1] or "")
        assert number is not None, said
        said.append(await console.handle(f"查询 {number.group(1)}"))
        said.append(await console.handle(number.group(1)))
        return said

    said = asyncio.run(main())
    assert said[0] is not None and "1. 自然人" in said[0] and "6. 其他" in said[0]
    assert said[1] is not None and said[1].startswith(texts.APPLY_PICK)
    assert said[5] is not None and said[5].startswith(texts.APPLY_BAD_ID_CHECK)
    assert said[7] is not None and said[7].startswith(texts.APPLY_NO_CONTACT)
    summary, applied, looked_up, typed_alone = said[-4:]
    assert summary is not None and "370***********1239" in summary and "370303199001011239" not in summary
    assert applied is not None and "已收到您的政府信息公开申请" in applied
    assert looked_up is not None and "办理中" in looked_up and "答复期限" in looked_up
    assert typed_alone == looked_up
    (application,) = services.applications.all()
    assert (application.channel, application.email, application.phone) == ("console", "wang@example.com", "13912345678")


def test_an_application_that_is_a_complaint_is_offered_the_complaint_form(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    console = Console(services.conversation, "lisi")

    async def main() -> list[str | None]:
        lines = ["申请公开", "1", "王小明", "1", "370303199001011239", "13912345678"]
        said = [await console.handle(line) for line in lines]
        said.append(await console.handle("我要投诉你们窗口工作人员态度恶劣，拒绝受理我的申请"))
        said.append(await console.handle("1"))  # 改为提交投诉
        return said

    said = asyncio.run(main())
    assert said[-2] is not None and "第39条" in said[-2]
    topic = texts.FORM_TOLD.format(kind="投诉")  # the description is its text
    topic += "\n" + texts.WX_FORM_TOPIC_SUGGESTED.format(topic="工作人员作风", number=3) + "\n" + texts.WX_FORM_TOPIC
    assert said[-1] is not None and said[-1].startswith(topic)
    assert console.form is not None and "态度恶劣" in console.form.text
    assert services.applications.all() == []


def test_an_application_for_what_is_published_says_where_and_may_be_dropped(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    console = Console(services.conversation, "lisi")

    async def main() -> list[str | None]:
        lines = ["申请公开", "1", "王小明", "1", "370303199001011239", "13912345678", "安全生产月活动方案"]
        said = [await console.handle(line) for line in lines]
        said.append(await console.handle("2"))  # 不提交
        return said

    said = asyncio.run(main())
    assert said[-2] is not None and "可能已经主动公开" in said[-2] and "安全生产月" in said[-2]
    assert said[-1] == texts.APPLY_DROPPED
    assert services.applications.all() == []


def test_search_with_nothing_after_it_says_how(answerer, store, settings):
    console = Console(Services.of(answerer, store, settings).conversation, "lisi")
    assert asyncio.run(console.handle("/search")) == texts.SEARCH_USAGE
    assert "安全生产月" in (asyncio.run(console.handle("/search 安全生产月")) or "")


def test_help_is_help_not_a_question(answerer, store, settings):
    console = Console(Services.of(answerer, store, settings).conversation, "lisi")
    assert asyncio.run(console.handle("/help")) == texts.CONSOLE_HELP
    assert asyncio.run(console.handle("帮助")) == texts.CONSOLE_HELP
