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


def test_a_complaint_reply_offers_the_form_and_1_opens_it(answerer, store, settings):
    console = Console(Services.of(answerer, store, settings).conversation, "lisi")

    async def main() -> tuple[str | None, str | None]:
        return await console.handle("我要投诉你们局的工作人员"), await console.handle("1")

    offered, opened = asyncio.run(main())
    assert offered is not None and texts.WX_OFFER.format(kind="投诉") in offered
    assert opened is not None and texts.TIPOFF_HOTLINES not in opened and "请简要描述" in opened


def test_a_new_channel_is_one_line_in_the_list():
    assert set(CHANNELS) == {"web", "wechat", "telegram", "console"}
