"""The WeChat channel end to end: real HTTP requests to the callback, built and read with wechatpy,
and a fake WeChat API on 127.0.0.1 for customer-service messages."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr
from wechatpy.crypto import PrpCrypto, WeChatCrypto

from bot import texts, tracking
from bot.app import Services
from bot.channels.wechat import OUTBOX, WEBHOOK, menu_definition, push_menu
from bot.channels.wechat import setup as setup_wechat
from bot.channels.wechat.crypto import CryptoError, MessageCipher, WrongAppId, parse_key, signature
from bot.channels.wechat.protocol import ProtocolError, cdata, parse_xml, split_text
from bot.services.complaints import RATINGS, TOPICS, Complaints

from ..conftest import ROOT
from ..wechat_fakes import (
    ACCOUNT,
    AES_KEY,
    APP_ID,
    APP_SECRET,
    CITIZEN,
    PATH,
    TOKEN,
    Citizen,
    FakeWeChatAPI,
    eventually,
    running,
    serving,
    sign,
    wechat_settings,
    xml_of,
)

STORY = "我3月申请公开的安全检查记录，过了二十个工作日还没有答复"
HOSTILE = "a]]>b]]]]><x>&amp;</Content><![CDATA[\"'<script>alert(1)</script>"


def run(coroutine) -> None:
    asyncio.run(coroutine)


def outbox_rows(store) -> list[dict]:
    return [dict(r) for r in store.reader.query("select * from outbox where channel = 'wechat' order by id")]


# --- the protocol's pieces ------------------------------------------------------------------------


def test_our_encryption_and_wechatpys_read_each_other():
    cipher = MessageCipher(parse_key(AES_KEY), APP_ID)
    theirs = PrpCrypto(base64.b64decode(AES_KEY + "="))
    for text in ["", "a", "<xml>你好</xml>", "x" * 31, "x" * 32, "申" * 1000]:
        assert theirs.decrypt(cipher.encrypt(text), APP_ID) == text
        assert cipher.decrypt(theirs.encrypt(text, APP_ID).decode()) == text


def test_a_message_for_another_app_id_or_damaged_is_refused():
    cipher = MessageCipher(parse_key(AES_KEY), APP_ID)
    foreign = PrpCrypto(base64.b64decode(AES_KEY + "=")).encrypt("<xml/>", "wxOTHER").decode()
    with pytest.raises(WrongAppId):
        cipher.decrypt(foreign)
    good = base64.b64decode(cipher.encrypt("<xml/>"))
    for damaged in [good[:-16], good[:-1], b"", good[:-16] + bytes(16)]:
        with pytest.raises(CryptoError):
            cipher.decrypt(base64.b64encode(damaged).decode())
    with pytest.raises(CryptoError):
        cipher.decrypt("not base64!")


@pytest.mark.parametrize("key", ["short", AES_KEY + "A", "!" * 43])
def test_a_bad_encoding_aes_key_is_refused(key):
    with pytest.raises(ValueError):
        parse_key(key)


def test_signature_matches_wechatpy():
    assert signature(TOKEN, "1700000000", "123", "ENC") == sign(TOKEN, "1700000000", "123", "ENC")


@pytest.mark.parametrize(
    "text",
    ["plain", "]]>", "a]]>b", "]]]]>", "]]>]]>", HOSTILE, "<![CDATA[x]]>", "&lt;&amp;", "换行\n和\t制表"],
)
def test_cdata_holds_any_text(text):
    root = ET.fromstring(f"<xml><Content>{cdata(text)}</Content></xml>")
    assert root.findtext("Content") == text


def test_characters_xml_cannot_hold_are_dropped():
    held = cdata("a\x00b\x07c\x1bd\ufffee")
    root = ET.fromstring(f"<xml><Content>{held}</Content></xml>")
    assert root.findtext("Content") == "abcde"


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><a>1</a>",
        b"not xml",
        b"<notxml><a>1</a></notxml>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xml><C>&b;</C></xml>',
        b'<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><C>&e;</C></xml>',
    ],
)
def test_parse_xml_refuses_what_is_not_a_plain_wechat_body(body):
    with pytest.raises(ProtocolError):
        parse_xml(body)


def test_split_text_keeps_every_character_within_the_limit():
    text = "\n".join(["第一行"] * 300 + ["长" * 2000])
    parts = split_text(text, 2000)
    assert all(len(p.encode()) <= 2000 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_importing_the_channel_does_not_import_aiogram():
    code = "import sys, bot.channels.wechat; assert 'aiogram' not in sys.modules, 'aiogram imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "updates,message",
    [
        ({"wechat_token": None}, "GONGKAI_WECHAT_TOKEN"),
        ({"wechat_aes_key": SecretStr("too-short")}, "GONGKAI_WECHAT_AES_KEY"),
        ({"wechat_aes_key": SecretStr(AES_KEY), "wechat_app_id": None}, "GONGKAI_WECHAT_APP_ID"),
    ],
)
def test_bad_settings_fail_at_start(answerer, store, settings, updates, message):
    configured = wechat_settings(settings, **{"wechat_aes_key": None} | updates)
    with pytest.raises(ValueError, match=message):
        setup_wechat(
            web.Application(),
            Services.of(answerer, store, configured, complaints=Complaints(store, configured)),
            configured,
        )


# --- URL verification -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_url_verification(answerer, store, settings, mode):
    async def main() -> None:
        async with running(answerer, store, settings, mode=mode) as wx:
            ts, nonce = str(int(time.time())), "4711"
            good = {"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": "e-123"}
            response = await wx.client.get(PATH, params=good)
            assert response.status == 200 and await response.text() == "e-123"
            bad = good | {"signature": sign("other-token", ts, nonce)}
            assert (await wx.client.get(PATH, params=bad)).status == 403
            stale_ts = str(int(time.time()) - 600)
            stale = good | {"timestamp": stale_ts, "signature": sign(TOKEN, stale_ts, nonce)}
            assert (await wx.client.get(PATH, params=stale)).status == 403
            huge_ts = "9" * 310  # signed, but no clock reaches it (int -> float overflows)
            huge = good | {"timestamp": huge_ts, "signature": sign(TOKEN, huge_ts, nonce)}
            assert (await wx.client.get(PATH, params=huge)).status == 403
            assert (await wx.client.get(PATH, params={k: v for k, v in good.items() if k != "echostr"})).status == 400

    run(main())


# --- questions ------------------------------------------------------------------------------------


def test_plain_mode_question_is_answered_and_recorded(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            reply = await wx.citizen.text("申请信息公开要收费吗")
            assert reply is not None and "不收费" in reply

    run(main())
    [row] = store.enquiries()
    assert row["channel"] == "wechat" and row["entry_id"] == "fee-free"
    assert row["user_ref"] == store.user_ref("wechat", CITIZEN) and CITIZEN not in row["user_ref"]


def test_a_citizen_sending_too_fast_is_told_so_and_the_others_are_not_held_up(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings, wechat_rate_limit=3) as wx:
            for _ in range(3):
                assert "不收费" in await wx.citizen.text("申请信息公开要收费吗")
            assert await wx.citizen.text("申请信息公开要收费吗") == texts.WX_THROTTLED
            other = Citizen(wx.client, openid="o-another-citizen")
            assert "不收费" in await other.text("申请信息公开要收费吗")

    run(main())
    assert len(store.enquiries()) == 4  # the one refused was not asked of the bot


@pytest.mark.parametrize("mode", ["safe", "compatible"])
def test_encrypted_modes_question_is_answered_encrypted(answerer, store, settings, mode):
    async def main() -> None:
        async with running(answerer, store, settings, mode=mode) as wx:
            # The reply is decrypted, and its signature checked, by wechatpy (Citizen.read).
            reply = await wx.citizen.text("申请信息公开要收费吗")
            assert reply is not None and "不收费" in reply

    run(main())
    assert store.enquiries()[0]["entry_id"] == "fee-free"


def test_compatible_mode_trusts_only_the_encrypted_copy(answerer, store, settings):
    """The plain fields beside Encrypt are not covered by any signature: they are ignored."""

    async def main() -> None:
        async with running(answerer, store, settings, mode="safe") as wx:
            citizen = wx.citizen
            fields = citizen.fields("text", Content="申请信息公开要收费吗", MsgId="77")
            query, body = citizen.request(fields)
            forged = xml_of(citizen.fields("text", Content="你好", MsgId="77"))[: -len("</xml>")]
            body = forged + body[body.index("<Encrypt>") :]
            response = await wx.client.post(PATH, params=query, data=body.encode())
            reply = citizen.read(await response.text())
            assert reply is not None and "不收费" in reply

    run(main())


def test_reply_is_well_formed_xml_and_the_text_round_trips(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("投诉")
            await wx.citizen.text(HOSTILE)
            await wx.citizen.text("1")
            summary = await wx.citizen.text("跳过")
            assert summary is not None and f"内容：{HOSTILE}\n" in summary

    run(main())


def test_hostile_text_is_escaped_in_safe_mode_too(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings, mode="safe") as wx:
            await wx.citizen.text("投诉")
            await wx.citizen.text(HOSTILE)
            await wx.citizen.text("1")
            summary = await wx.citizen.text("跳过")
            assert summary is not None and f"内容：{HOSTILE}\n" in summary
            filed = await wx.citizen.text("1")
            number = (filed or "").split("编号 ")[1].split("（")[0]
            # Staff text pasted from elsewhere may hold control characters XML cannot carry: dropped.
            await wx.complaints.aact(number, "replied", "cli:test", "答复\x01\x0b内容]]><b>")
            status = await wx.citizen.text(f"查询 {number}")
            assert status is not None and "答复：答复内容]]><b>" in status

    run(main())


def test_a_link_typed_by_a_citizen_or_staff_is_no_link_in_wechat(answerer, store, settings):
    # WeChat makes <a href> in a text message a link: a complaint's summary echoed the citizen's
    # <a href=javascript:…> raw, and a staff reply would carry one to the citizen.
    link = '<a href="javascript:alert(1)">点我</a>'
    shown = '＜a href="javascript:alert(1)">点我＜/a>'

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("投诉")
            await wx.citizen.text(f"窗口 {link} <b>不理人</b>")
            await wx.citizen.text("1")
            summary = await wx.citizen.text("跳过")
            assert summary is not None and f"窗口 {shown} <b>不理人</b>" in summary and "<a" not in summary
            filed = await wx.citizen.text("1")
            number = (filed or "").split("编号 ")[1].split("（")[0]
            await wx.complaints.aact(number, "replied", "cli:test", f"请看 {link}")
            [reply] = await eventually(lambda: wx.api.texts())
            assert f"请看 {shown}" in reply and "<a" not in reply

    run(main())


def test_clarify_choices_are_numbered_and_picked_by_number(answerer, store, settings):
    expected = answerer.answer("期限")
    assert expected.outcome == "clarify"
    first = expected.choices[0]

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            shown = await wx.citizen.text("期限")
            assert shown is not None and texts.CLARIFY in shown and f"1. {first.title}" in shown
            picked = await wx.citizen.text("１")  # a full-width digit, as Chinese input methods type it
            assert picked == first.title + "\n" + answerer.answer_entry(first.id).text
            assert await wx.citizen.text("第一个") == picked  # the list stays open, picked in words too
            assert await wx.citizen.text("9") == texts.CHAT_CHOICE_GONE
            assert await wx.other("oSomeoneElse").text("1") == texts.CHOICE_GONE

    run(main())
    [row] = store.enquiries()  # the question; picking from the list is not a new question
    assert row["outcome"] == "clarify"


def test_a_list_offered_in_english_is_answered_in_english_when_picked(answerer, store, settings):
    first = answerer.answer("where to apply").choices[0]

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            shown = await wx.citizen.text("where to apply")
            assert shown is not None and f"1. {first.title}" in shown and first.title.isascii()
            picked = await wx.citizen.text("1")
            assert picked == first.title + "\n" + answerer.answer_entry(first.id, english=True).text
            assert picked is not None and "Article" in picked

    run(main())


def test_not_it_after_an_answer_offers_the_others_numbered_and_one_is_picked_by_number(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("多久答复")
            shown = await wx.citizen.text("答非所问")
            assert shown is not None and shown.startswith(
                "抱歉，没有答到您想问的。您问的“多久答复”，是下面哪一个？请回复序号："
            )
            first = shown.split("\n")[1].removeprefix("1. ")
            picked = await wx.citizen.text("1")
            assert picked is not None and picked.startswith(first + "\n") and "20个工作日内答复" not in picked
            listed = await wx.citizen.text("期限")
            assert listed is not None and "可以回复“都不是”看看别的" in listed
            more = await wx.citizen.text("都不是")  # typed under the list, as it says
            assert more is not None and more.startswith("抱歉，没有答到您想问的。您问的“期限”")
            assert not {line for line in more.split("\n")[1:4]} & {line for line in listed.split("\n")[1:4]}

    run(main())


def test_a_pointer_in_an_answer_is_numbered_and_a_bare_number_asks_it(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            shown = await wx.citizen.text("申请信息公开要收费吗")
            assert shown is not None and "可问“什么是信息处理费”" in shown
            assert shown.endswith(texts.WX_ASKS + "\n1. 什么是信息处理费")
            asked = await wx.citizen.text("1")
            assert asked is not None and asked.startswith("什么是信息处理费\n信息处理费是")
            assert await wx.citizen.text("1") == texts.CHOICE_GONE  # asked once; no list now

    run(main())
    assert [r["entry_id"] for r in store.enquiries()] == ["fee-processing", "fee-free"]


def test_a_number_after_a_newer_answer_without_a_list_picks_nothing_older(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            shown = await wx.citizen.text("申请信息公开要收费吗")
            assert shown is not None and shown.endswith(texts.WX_ASKS + "\n1. 什么是信息处理费")
            newer = await wx.citizen.text("你们办公电话是多少")
            assert newer is not None and texts.WX_ASKS not in newer
            # It answered the fee list's 1 (信息处理费), two answers later.
            assert await wx.citizen.text("1") == texts.CHOICE_GONE

    run(main())


def test_an_answer_on_how_to_apply_says_how_to_apply_here(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            shown = await wx.citizen.text("怎么申请政府信息公开？有哪些申请方式？")
            assert shown is not None and texts.WX_APPLY_HERE in shown
            assert texts.WX_APPLY_HERE not in (await wx.citizen.text("申请信息公开要收费吗") or "")
            started = await wx.citizen.text("申请公开")  # the word it names starts the dialogue
            assert started is not None and "申请人" in started

    run(main())


@pytest.mark.parametrize("msg_type", ["image", "voice", "video", "shortvideo", "location", "link"])
def test_unsupported_messages_get_a_helpful_reply(answerer, store, settings, msg_type):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            fields = wx.citizen.fields(msg_type, MsgId="99", MediaId="m", PicUrl="http://x/y.jpg")
            assert await wx.citizen.post(fields) == texts.WX_NON_TEXT

    run(main())
    assert store.enquiries() == []


def test_a_voice_message_wechat_heard_is_answered_as_its_text(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            heard = wx.citizen.fields("voice", MsgId="98", MediaId="m", Format="amr", Recognition="申请要收费吗。")
            answer = await wx.citizen.post(heard)
            assert answer is not None and "不收费" in answer
            unheard = wx.citizen.fields("voice", MsgId="97", MediaId="m", Format="amr", Recognition="")
            assert await wx.citizen.post(unheard) == texts.WX_NON_TEXT

    run(main())
    assert [r["entry_id"] for r in store.enquiries()] == ["fee-free"]


def test_help(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            assert await wx.citizen.text("帮助") == texts.WX_HELP

    run(main())


# --- events and the menu --------------------------------------------------------------------------


def test_subscribe_welcomes_and_unsubscribe_says_nothing(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            welcome = await wx.citizen.event("subscribe")
            assert welcome is not None and "政府信息公开" in welcome and "匿名编号" in welcome and "菜单" in welcome
            assert await wx.citizen.event("unsubscribe") is None
            assert await wx.citizen.event("VIEW", "https://example.gov.cn") is None

    run(main())


def test_menu_clicks(answerer, store, settings, knowledge):
    menu = menu_definition(knowledge)
    keys = [b["key"] for top in menu["button"] for b in top["sub_button"]]
    fees = next(k for k in keys if k.endswith("收费"))
    fee_entries = [e for e in knowledge.guide if e.section == "收费"]

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            listed = await wx.citizen.event("CLICK", fees)
            assert listed is not None and listed.startswith("【收费】")
            assert f"2. {fee_entries[1].question}" in listed
            assert (
                await wx.citizen.text("2")
                == fee_entries[1].question + "\n" + answerer.answer_entry(fee_entries[1].id).text
            )
            # The list stays open: another of its questions.
            assert (await wx.citizen.text("1") or "").startswith(fee_entries[0].question)
            sections = await wx.citizen.event("CLICK", "GUIDE")
            assert sections is not None and f"1. {knowledge.sections[0]}" in sections
            assert (await wx.citizen.text(str(len(knowledge.sections))) or "").startswith(
                f"【{knowledge.sections[-1]}】"
            )
            # A section the guide no longer has: the list of the sections there are.
            assert await wx.citizen.event("CLICK", "SECTION:已删除的栏目") == sections
            assert await wx.citizen.event("CLICK", "STATUS") == texts.WX_STATUS_USAGE
            assert "监督投诉电话" in (await wx.citizen.event("CLICK", "CONTACT") or "")
            assert await wx.citizen.event("CLICK", "COMPLAINT") == texts.WX_FORM_WHAT.format(limit=2000)

    run(main())
    assert store.enquiries() == []


def test_menu_definition_fits_wechats_limits_and_reaches_every_section(knowledge):
    menu = menu_definition(knowledge)
    tops = menu["button"]
    assert len(tops) <= 3
    keys = []
    for top in tops:
        assert len(top["name"].encode()) <= 16 and 1 <= len(top["sub_button"]) <= 5
        for button in top["sub_button"]:
            assert button["type"] == "click" and len(button["name"].encode()) <= 60
            assert len(button["key"].encode()) <= 128
            keys.append(button["key"])
    assert {"COMPLAINT", "TIPOFF", "STATUS"} <= set(keys)
    shown = {k.removeprefix("SECTION:") for k in keys if k.startswith("SECTION:")}
    assert shown == set(knowledge.sections) or "GUIDE" in keys


def test_push_menu_sends_utf8_json_to_the_api(settings, knowledge):
    async def main() -> None:
        api = FakeWeChatAPI()
        async with serving(api) as base:
            configured = wechat_settings(settings, wechat_api_base=base)
            assert await push_menu(configured, menu_definition(knowledge)) == {"errcode": 0, "errmsg": "ok"}
        assert api.menus == [menu_definition(knowledge)]
        assert "办事指南".encode() in api.raw[0] and b"\\u" not in api.raw[0]

    run(main())


# --- refused requests -----------------------------------------------------------------------------


def _bomb() -> str:
    lol = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return f"<?xml version='1.0'?><!DOCTYPE xml [{''.join(lol)}]><xml><Content>&a9;</Content></xml>"


@pytest.mark.parametrize(
    "mode,tamper,status",
    [
        ("plain", "bad signature", 403),
        ("plain", "no signature", 403),
        ("plain", "stale timestamp", 403),
        ("plain", "future timestamp", 403),
        ("plain", "oversized", 413),
        ("plain", "oversized chunked", 413),
        ("plain", "malformed", 400),
        ("plain", "xml bomb", 400),
        ("plain", "external entity", 400),
        ("plain", "no sender", 400),
        ("safe", "bad msg_signature", 403),
        ("safe", "other app id", 403),
        ("safe", "plain message", 403),
        ("safe", "garbage ciphertext", 400),
        ("plain", "encrypted without a key", 400),
    ],
)
def test_bad_requests_are_refused(answerer, store, settings, mode, tamper, status):
    async def main() -> None:
        async with running(answerer, store, settings, mode=mode) as wx:
            citizen = wx.citizen
            fields = citizen.fields("text", Content="申请信息公开要收费吗", MsgId="1")
            query, body = citizen.request(fields)
            data: object = body.encode()
            if tamper == "bad signature":
                query["signature"] = sign("not-the-token", query["timestamp"], query["nonce"])
            elif tamper == "no signature":
                del query["signature"]
            elif tamper in ("stale timestamp", "future timestamp"):
                citizen_ts = int(time.time()) + (-301 if tamper == "stale timestamp" else 400)
                query, body = citizen.request(fields, timestamp=citizen_ts)
                data = body.encode()
            elif tamper == "oversized":
                data = (body[:-6] + "<Pad>" + "x" * 70_000 + "</Pad></xml>").encode()
            elif tamper == "oversized chunked":

                async def chunks():
                    for _ in range(20):
                        yield b"x" * 8192

                data = chunks()
            elif tamper == "malformed":
                data = b"<xml><Content>unclosed</xml>"
            elif tamper == "xml bomb":
                data = _bomb().encode()
            elif tamper == "external entity":
                data = b'<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>'
            elif tamper == "no sender":
                data = xml_of({k: v for k, v in fields.items() if k != "FromUserName"}).encode()
            elif tamper == "bad msg_signature":
                query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], "something else")
            elif tamper == "other app id":
                other = Citizen(wx.client, mode="safe")
                other.crypto = WeChatCrypto(TOKEN, AES_KEY, "wxSOMEONEELSE00000")
                query, body = other.request(fields)
                data = body.encode()
            elif tamper == "plain message":
                query = {k: v for k, v in query.items() if k not in ("encrypt_type", "msg_signature")}
                data = xml_of(fields).encode()
            elif tamper == "garbage ciphertext":
                garbage = base64.b64encode(b"\x00" * 48).decode()
                query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], garbage)
                data = xml_of({"ToUserName": ACCOUNT, "Encrypt": garbage}).encode()
            elif tamper == "encrypted without a key":
                query |= {"encrypt_type": "aes", "msg_signature": "x"}
            response = await wx.client.post(PATH, params=query, data=data)
            assert response.status == status

    run(main())
    assert store.enquiries() == []


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_a_captured_signed_url_cannot_carry_another_message(answerer, store, settings, mode):
    async def main() -> None:
        async with running(answerer, store, settings, mode=mode) as wx:
            citizen = wx.citizen
            query, body = citizen.request(citizen.fields("text", Content="申请信息公开要收费吗", MsgId="700"))
            first = await wx.client.post(PATH, params=query, data=body.encode())
            assert first.status == 200 and "不收费" in (citizen.read(await first.text()) or "")
            # The same URL with a message in someone else's name, within the five minutes.
            forged = dict(citizen.fields("text", Content="我要投诉", MsgId="701"), FromUserName="oVictim")
            _, other_body = citizen.request(forged)
            if mode == "plain":
                replayed = await wx.client.post(PATH, params=query, data=other_body.encode())
                assert replayed.status == 403 and "无权访问" in await replayed.text()
            # The same request again (WeChat's retry, or a replay of it): the first reply, handled once.
            again = await wx.client.post(PATH, params=query, data=body.encode())
            assert again.status == 200 and citizen.read(await again.text()) == citizen.read(await first.text())

    run(main())
    assert len(store.enquiries()) == 1


# --- WeChat's five seconds and its retries --------------------------------------------------------


def test_slow_answer_follows_as_a_customer_service_message_after_a_token_refresh(
    answerer, store, settings, monkeypatch
):
    answer = answerer.answer

    def slow(text: str, before=None):
        time.sleep(0.3)
        return answer(text, before)

    monkeypatch.setattr(answerer, "answer", slow)

    async def main() -> None:
        async with running(answerer, store, settings, wechat_reply_seconds=0.05) as wx:
            # An access token the client holds and WeChat has since expired: the first send is refused.
            await wx.app[WEBHOOK].api.token()
            wx.api.expire_tokens()
            # Not ready in time: "success", and the reply follows by the API.
            assert await wx.citizen.text("申请信息公开要收费吗", msg_id="500") is None
            # WeChat asks again: the reply is on its way, so "success" again, and nothing is redone.
            assert await wx.citizen.text("申请信息公开要收费吗", msg_id="500") is None
            [sent] = await eventually(lambda: wx.api.texts())
            assert "不收费" in sent
            assert [code for _, code in wx.api.attempts] == [42001, 0]
            assert wx.api.issued == ["ACCESS-1", "ACCESS-2"] and wx.api.attempts[1][0] == "ACCESS-2"
            await asyncio.gather(*wx.app[WEBHOOK]._background)  # nothing else is on its way
            assert len(wx.api.sent) == 1

    run(main())
    assert len(store.enquiries()) == 1


def test_a_retried_message_is_answered_and_recorded_once(answerer, store, settings, monkeypatch):
    calls = []
    answer = answerer.answer

    def counted(text: str, before=None):
        calls.append(text)
        return answer(text, before)

    monkeypatch.setattr(answerer, "answer", counted)

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            first = await wx.citizen.text("申请信息公开要收费吗", msg_id="600")
            again = [await wx.citizen.text("申请信息公开要收费吗", msg_id="600") for _ in range(2)]
            assert first is not None and again == [first, first]
            # Two deliveries at once: the second waits for the first's reply.
            both = await asyncio.gather(*(wx.citizen.text("多久答复", msg_id="601") for _ in range(2)))
            assert both[0] is not None and both[0] == both[1]
            # A menu click delivered again (same sender and CreateTime) is handled once too.
            created = int(time.time())
            assert await wx.citizen.event("CLICK", "GUIDE", create_time=created) == await wx.citizen.event(
                "CLICK", "GUIDE", create_time=created
            )

    run(main())
    assert len(calls) == 2
    assert len(store.enquiries()) == 2


def test_a_retry_while_the_first_delivery_is_still_handled_gets_the_same_reply(answerer, store, settings, monkeypatch):
    record = answerer.arecord
    recording = asyncio.Event()

    async def slow_record(*args, **kwargs):
        recording.set()
        await asyncio.sleep(0.2)  # a busy disk: the first delivery is still being handled
        await record(*args, **kwargs)

    monkeypatch.setattr(answerer, "arecord", slow_record)

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            first = asyncio.create_task(wx.citizen.text("申请信息公开要收费吗", msg_id="650"))
            await recording.wait()
            again = await wx.citizen.text("申请信息公开要收费吗", msg_id="650")
            assert again is not None and "不收费" in again and await first == again
            assert wx.api.sent == []

    run(main())
    assert len(store.enquiries()) == 1


def test_without_an_app_secret_replies_go_in_the_http_response_only(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings, wechat_app_secret=None) as wx:
            assert OUTBOX not in wx.app and wx.app[WEBHOOK].api is None
            assert "不收费" in (await wx.citizen.text("申请信息公开要收费吗") or "")
            await wx.citizen.text("投诉")
            await wx.citizen.text("长" * 1500)
            await wx.citizen.text("1")
            cut = await wx.citizen.text("跳过")  # too long for one message, and no API to send the rest
            assert cut is not None and cut.endswith(texts.WX_CUT) and len(cut.encode()) <= 2000

    run(main())


def test_a_reply_too_long_for_the_http_response_is_sent_in_parts(answerer, store, settings):
    long_story = "事" * 1500  # the summary that echoes it is over 4 KB

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("投诉")
            await wx.citizen.text(long_story)
            await wx.citizen.text("4")
            assert await wx.citizen.text("跳过") is None
            parts = await eventually(lambda: len(wx.api.texts()) >= 3 and wx.api.texts())
            assert all(len(p.encode()) <= 2000 for p in parts)
            assert long_story in "".join(parts).replace("\n", "")

    run(main())


# --- complaints -----------------------------------------------------------------------------------


async def _file(citizen: Citizen, *, text: str = STORY, contact: str = "张三 13812345678") -> str:
    assert await citizen.text("投诉") == texts.WX_FORM_WHAT.format(limit=2000)
    topics = await citizen.text(text)
    assert topics is not None and texts.WX_FORM_TOPIC in topics and f"1. {TOPICS['application']}" in topics
    assert (await citizen.text("第一个") or "").startswith(texts.WX_FORM_TOPIC_AGAIN)
    assert await citizen.text("1") == texts.WX_FORM_CONTACT
    assert await citizen.text("张三 138123") == texts.WX_FORM_CONTACT_BAD_PHONE
    summary = await citizen.text(contact)
    assert summary is not None and f"内容：{text}" in summary and "事项：依申请公开的答复" in summary
    assert await citizen.text("好的") == texts.WX_FORM_CONFIRM_AGAIN
    filed = await citizen.text("1")
    assert filed is not None and filed.startswith("已收到您的投诉，编号 ")
    number = filed.split("编号 ")[1].split("（")[0]
    assert tracking.parse(number).ok
    # WeChat delivers the confirming message again: the same reply, nothing filed twice.
    assert await citizen.text("1", msg_id=citizen.last_msg_id) == filed
    return number


def test_complaint_filed_then_staff_reply_and_closing_reach_the_citizen(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            number = await _file(wx.citizen)
            complaint = wx.complaints.get(number)
            assert complaint.channel == "wechat" and complaint.chat_id == CITIZEN
            assert (complaint.name, complaint.phone, complaint.topic) == ("张三", "13812345678", "application")
            assert wx.complaints.search()[1] == 1

            await wx.complaints.aact(number, "replied", "cli:test", "已转办公室核查，三日内答复。")
            [reply] = await eventually(lambda: wx.api.texts())
            assert reply == texts.CITIZEN_REPLIED.format(
                kind="投诉", number=number, text="已转办公室核查，三日内答复。"
            )
            await eventually(lambda: [r["status"] for r in outbox_rows(store)] == ["sent"])

            await wx.complaints.aact(number, "closed", "cli:test", "已答复申请人。")
            closing = (await eventually(lambda: len(wx.api.texts()) == 2 and wx.api.texts()))[1]
            assert closing.startswith(
                texts.CITIZEN_CLOSED.format(kind="投诉", number=number, text="\n办结说明：已答复申请人。")
            )
            assert "1 满意" in closing and "3 不满意" in closing
            assert await wx.citizen.text("1") == texts.RATED.format(rating=RATINGS["satisfied"])
            assert wx.complaints.get(number).rating == "satisfied"
            assert await wx.citizen.text("2") == texts.CHOICE_GONE  # rated once; nothing is waiting now

            status = await wx.citizen.text(f"查询 {number}")
            assert status is not None and "已办结" in status and "已转办公室核查" in status
            # Someone else looking the number up sees the status but not the replies.
            others = await wx.other("oSomeoneElse").text(number)
            assert others is not None and "已办结" in others and "已转办公室核查" not in others
            assert texts.STATUS_OTHERS in others

    run(main())
    assert store.enquiries() == []  # the form's texts are not enquiries


def test_a_complaint_over_the_citizens_limit_is_refused_with_when_and_the_phone(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            for _ in range(settings.complaints_per_hour):
                await _file(wx.citizen)
            assert (await wx.citizen.text("投诉")) is not None
            await wx.citizen.text("窗口人员态度差")
            await wx.citizen.text("3")
            await wx.citizen.text("跳过")
            refused = await wx.citizen.text("1")
            assert refused is not None and "次数已达到上限" in refused and settings.supervision_phone in refused
            assert wx.complaints.search()[1] == settings.complaints_per_hour
            assert await _file(wx.other("oSomeoneElse"))  # another citizen is not held back

    run(main())


def test_under_a_list_a_number_picks_a_question_and_the_word_files_what_was_told(answerer, store, settings):
    told = "网上写的邮箱发过去就退信"  # a complaint told as a bare fact, near questions the guide answers
    first = answerer.answer(told).choices[0]

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            listed = await wx.citizen.text(told)
            assert listed is not None and f"1. {first.title}" in listed
            assert texts.COMPLAINT_OFFER in listed and texts.WX_OFFER_WORD.format(kind="投诉") in listed
            picked = await wx.citizen.text("1")
            assert picked is not None and picked.startswith(first.title)
            form = await wx.citizen.text("投诉")
            assert form is not None and form.startswith(texts.FORM_TOLD.format(kind="投诉") + "\n")
            await wx.citizen.text("4")
            await wx.citizen.text("跳过")
            filed = await wx.citizen.text("1")
            assert filed is not None and filed.startswith("已收到您的投诉")
            [complaint], _ = wx.complaints.search()
            assert complaint.text == told

    run(main())


def test_answerer_offers_the_complaint_form_and_a_tipoff_mentions_12350(answerer, store, settings):
    hazard = "车间粉尘大，口罩都不发，到底有没有人管"
    assert answerer.answer(hazard).tipoff

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            offer = await wx.citizen.text(hazard)
            assert offer is not None and texts.TIPOFF_OFFER in offer and texts.WX_OFFER.format(kind="举报") in offer
            assert await wx.citizen.text("5") == texts.WX_OFFER.format(kind="举报")
            # What the citizen told is the tip-off's text: the form goes on to its topic.
            form = await wx.citizen.text("1")
            assert form is not None and form.startswith(texts.FORM_TOLD.format(kind="举报") + "\n")
            assert texts.WX_FORM_TOPIC in form
            await wx.citizen.text("4")
            await wx.citizen.text("跳过")
            filed = await wx.citizen.text("1")
            assert filed is not None and filed.startswith("已收到您的举报，编号 ")
            [tipoff], _ = wx.complaints.search()
            assert (tipoff.kind, tipoff.topic, tipoff.text, tipoff.phone) == ("举报", "other", hazard, "")

            await wx.citizen.text("我要投诉你们")
            assert await wx.citizen.text("0") == texts.WX_DECLINED
            # Typed on its own, the form asks what happened (the tip-off's asks with 12350 first).
            form = await wx.citizen.text("举报")
            assert form == texts.WX_FORM_WHAT_TIPOFF.format(limit=2000) and "12350" in form
            assert await wx.citizen.text("取消") == texts.CANCELLED
            await wx.citizen.text("投诉")
            await wx.citizen.text("另一件事")
            assert await wx.citizen.text("取消") == texts.CANCELLED
            assert await wx.citizen.text("取消") == texts.NOTHING_TO_CANCEL

    run(main())
    assert [r["outcome"] for r in store.enquiries()] == ["complaint", "complaint"]


def test_the_form_says_what_it_expects(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("举报")
            image = wx.citizen.fields("image", MsgId="700", PicUrl="http://x/y.jpg", MediaId="m")
            assert await wx.citizen.post(image) == texts.WX_FORM_WHAT_TEXT_ONLY
            too_long = await wx.citizen.text("长" * 2001)
            assert too_long == texts.FORM_WHAT_TOO_LONG.format(length=2001, limit=2000)
            await wx.citizen.text("问题")
            busy = await wx.citizen.event("CLICK", "GUIDE")
            assert busy is not None and busy.startswith(texts.WX_FORM_BUSY.format(kind="举报"))
            await wx.citizen.text("2")
            assert await wx.citizen.text("！！") == texts.WX_FORM_CONTACT_TEXT_ONLY
            summary = await wx.citizen.text("跳过")
            assert summary is not None and texts.FORM_NO_CONTACT in summary and "请确认您的举报" in summary
            assert await wx.citizen.text("0") == texts.CANCELLED

    run(main())
    assert store.reader.execute("select count(*) from complaints").fetchone()[0] == 0


@pytest.mark.parametrize(
    "errcode,status",
    [(45015, "failed"), (45047, "failed"), (43004, "failed"), (-1, "pending"), (500, "pending")],
)
def test_undeliverable_replies_are_marked_failed_and_transient_errors_retried(
    answerer, store, settings, errcode, status
):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            number = await _file(wx.citizen)
            wx.api.errors = [errcode]
            await wx.complaints.aact(number, "replied", "cli:test", "答复内容")
            [row] = await eventually(lambda: [r for r in outbox_rows(store) if r["attempts"]])
            assert row["status"] == status and row["last_error"].startswith("wechat")
            if errcode != 500:
                assert str(errcode) in row["last_error"]
            assert wx.api.sent == []

    run(main())


def test_a_reply_outside_the_48_hour_window_is_sent_when_the_citizen_writes_again(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            number = await _file(wx.citizen)
            wx.api.errors = [45015]
            await wx.complaints.aact(number, "replied", "cli:test", "迟到的答复")
            await eventually(lambda: [r for r in outbox_rows(store) if r["status"] == "failed"])
            await wx.citizen.text("你好")  # writing opens a new window
            await eventually(lambda: wx.api.sent)
            assert "迟到的答复" in wx.api.sent[-1]["text"]["content"]
            await eventually(lambda: [r for r in outbox_rows(store) if r["status"] == "sent"])

    run(main())


def test_status_look_up(answerer, store, settings):
    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            number = await _file(wx.citizen)
            digits = tracking.digits_of(number)
            own = await wx.citizen.text(f"查询 {number}")
            assert own is not None and own.startswith(f"投诉编号 {number}") and "待受理" in own
            assert (await wx.citizen.text(digits) or "").startswith(f"投诉编号 {number}")  # just the number
            slipped = digits[:-3] + digits[-2] + digits[-3] + digits[-1]  # two neighbours swapped
            mistyped = await wx.citizen.text(f"查询 {slipped}")
            assert mistyped == texts.STATUS_MISTYPED.format(typed=slipped, suggestions=number)
            assert await wx.citizen.text("查询") == texts.WX_STATUS_USAGE
            assert await wx.citizen.text("查询 123") == texts.STATUS_NOT_A_NUMBER.format(typed="123")
            unknown = tracking.make(tracking.dt.date(2030, 1, 2), 5)
            assert await wx.citizen.text(unknown) == texts.STATUS_UNKNOWN.format(number=unknown)
            # "查询…" that asks something else is a question.
            question = await wx.citizen.text("查询公开目录的方法")
            assert question is not None and not question.startswith(("请发送", "“"))

    run(main())


def test_logs_hold_ids_and_outcomes_not_words_or_contacts(answerer, store, settings, caplog):
    caplog.set_level(logging.DEBUG)

    async def main() -> None:
        async with running(answerer, store, settings) as wx:
            await wx.citizen.text("申请信息公开要收费吗")
            await _file(wx.citizen, text="隐私内容ABC", contact="李四 13900001111")

    run(main())
    # Ours: aiohttp's access log (the server's to configure) prints the query string, OpenID included.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "wechat" in logged
    for secret in ("收费吗", "隐私内容ABC", "李四", "13900001111", CITIZEN, TOKEN, APP_SECRET, "ACCESS-1"):
        assert secret not in logged


def test_wechat_texts_name_no_telegram_commands_or_buttons():
    for name in dir(texts):
        value = getattr(texts, name)
        if name.startswith("WX_") and isinstance(value, str):
            for telegram_only in ("/cancel", "/status", "/complaint", "/help", "点“", "点选"):
                assert telegram_only not in value, name


def test_fake_api_refuses_an_unknown_token():
    async def main() -> None:
        api = FakeWeChatAPI()
        async with serving(api) as base, aiohttp.ClientSession() as session:
            url = f"{base}/cgi-bin/message/custom/send"
            async with session.post(url, params={"access_token": "x"}, data=b"{}") as response:
                assert json.loads(await response.text())["errcode"] == 42001

    run(main())
