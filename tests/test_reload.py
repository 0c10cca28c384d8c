"""Reloading the knowledge while serving: on demand, on SIGHUP, and when its files change."""

from __future__ import annotations

import asyncio
import logging
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.app import Services, watch_knowledge

from .conftest import ROOT, gongkai_env

NEW_WORDING = "喵星人问询费几何"  # no phrasing of the shipped guide is anything like it
OLD_ANSWER = "原则上不收费。"
NEW_ANSWER = "原则上不收费（本句是新知识）。"
FEES = Path("guide/07-fees.yaml")


@pytest.fixture
def services(folder_services):
    return folder_services


def teach(folder: Path) -> None:
    """Add NEW_WORDING as a phrasing of fee-free, as staff editing the file would."""
    path = folder / FEES
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: fee-free\n    question: 申请政府信息公开要收费吗？\n    alternatives:\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + f"      - {NEW_WORDING}\n"), encoding="utf-8")


def reword(folder: Path) -> None:
    path = folder / FEES
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_ANSWER, NEW_ANSWER, 1), encoding="utf-8")


def test_a_reload_answers_from_the_new_knowledge(services: Services, folder: Path):
    assert services.answerer.answer(NEW_WORDING).entry_id != "fee-free"
    teach(folder)
    assert asyncio.run(services.reload())
    reply = services.answerer.answer(NEW_WORDING)
    assert (reply.outcome, reply.entry_id) == ("answer", "fee-free")


def test_a_reload_indexes_the_catalogue_again_only_when_it_or_its_words_changed(services: Services, folder: Path):
    index = services.answerer.matcher._catalogue_index
    teach(folder)  # a phrasing of the guide: the catalogue's index is kept
    assert asyncio.run(services.reload())
    assert services.answerer.matcher._catalogue_index is index
    with (folder / "catalogue.csv").open("a", encoding="utf-8") as f:
        f.write("ZDAJ-99-2026-0001,喵星人安全生产宣传周活动方案,其他信息,安全动态,2026-11-30,本局,示例,\n")
    assert asyncio.run(services.reload())
    assert services.answerer.matcher._catalogue_index is not index
    [hit, *_] = services.answerer.catalogue.search("喵星人宣传周").hits
    assert hit.item.index_no == "ZDAJ-99-2026-0001"
    index = services.answerer.matcher._catalogue_index
    lexicon = folder / "lexicon.yaml"  # a synonym changes how every title reads
    synonym = "  信息: [资讯, 讯息]"
    text = lexicon.read_text(encoding="utf-8")
    lexicon.write_text(text.replace(synonym, synonym + "\n  宣传周: [宣传礼拜]"), encoding="utf-8")
    assert asyncio.run(services.reload())
    assert services.answerer.matcher._catalogue_index is not index
    [hit, *_] = services.answerer.catalogue.search("喵星人宣传礼拜").hits
    assert hit.item.index_no == "ZDAJ-99-2026-0001"


def test_a_folder_that_fails_its_check_is_not_loaded(services: Services, folder: Path, caplog):
    before = services.answerer.answer("收费吗")
    (folder / FEES).write_text("entries: [oops", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="gongkai"):
        assert not asyncio.run(services.reload())
    assert "not reloaded" in caplog.text and "07-fees.yaml" in caplog.text
    after = services.answerer.answer("收费吗")
    assert (after.outcome, after.entry_id, after.text) == (before.outcome, before.entry_id, before.text)


def test_under_load_every_question_is_answered_from_the_old_or_the_new(services: Services, folder: Path):
    reword(folder)

    async def main() -> list[str]:
        texts: list[str] = []
        reload = asyncio.create_task(services.reload())
        while not reload.done():
            texts.append((await services.answerer.aanswer("收费吗")).text)
            await asyncio.sleep(0.002)
        assert reload.result()
        texts.append((await services.answerer.aanswer("收费吗")).text)
        return texts

    texts = asyncio.run(main())
    assert len(texts) > 10
    assert all((OLD_ANSWER in t) != (NEW_ANSWER in t) for t in texts)
    assert OLD_ANSWER in texts[0] and NEW_ANSWER in texts[-1]
    switched = [NEW_ANSWER in t for t in texts]
    assert switched == sorted(switched)  # once new, never old again


def test_changed_files_are_reloaded_once_they_settle(services: Services, folder: Path):
    async def main() -> str | None:
        watcher = asyncio.create_task(watch_knowledge(services, 0.05))
        try:
            await asyncio.sleep(0.2)
            teach(folder)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                reply = services.answerer.answer(NEW_WORDING)
                if reply.entry_id == "fee-free" and reply.outcome == "answer":
                    return reply.entry_id
                await asyncio.sleep(0.05)
            return None
        finally:
            watcher.cancel()

    assert asyncio.run(main()) == "fee-free"


def test_sighup_reloads_a_running_gongkai(folder: Path, tmp_path):
    env = gongkai_env(tmp_path / "g.db", knowledge=folder, knowledge_reload_seconds=0, semantic="false")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def said_until(marker: str, timeout: float = 60) -> str:
        seen = ""
        deadline = time.monotonic() + timeout
        while marker not in seen:
            if time.monotonic() > deadline:
                raise queue.Empty
            seen += lines.get(timeout=max(0.1, deadline - time.monotonic()))
        return seen

    def new_answer_within(seconds: float) -> bool:
        try:
            said_until(NEW_ANSWER, seconds)
            return True
        except queue.Empty:
            return False

    def say(line: str) -> None:
        process.stdin.write(line + "\n")
        process.stdin.flush()

    try:
        say("收费吗")
        assert OLD_ANSWER in said_until(OLD_ANSWER)
        reword(folder)
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while True:  # the reload takes a moment: ask until the new answer comes
            say("收费吗")
            if new_answer_within(2):
                break
            assert time.monotonic() < deadline
        say("/quit")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
