"""The flood of issue 12, replayed on 127.0.0.1 against ``gongkai run``.

One process runs Gongkai as an operator would (``python -m bot run``: the web chat, the staff
console, and Telegram's staff group, which hears of every new complaint through the outbox),
configured as behind nginx (``GONGKAI_HTTP_TRUSTED_PROXIES=127.0.0.1``: each simulated client
names its address in X-Real-IP, as nginx would). A fake Bot API (tests/fakes.py) runs in a second
process and stamps when each staff notice arrives. This process is the clients:

1. before: citizens chat (each with a session and an address of their own, a question every
   ``--pace`` seconds; every question is asked once beforehand, so that both phases find the
   same replies remembered), and the latency of each answer is taken;
2. the flood: one session, from one address, posts ``--flood`` complaints (the form and its
   confirmation, ``--concurrency`` at a time), while other citizens keep chatting and a few real
   citizens (sessions and addresses of their own) file a complaint each.

It prints how many of the flood's complaints were filed and refused, the chat's latency (p50,
p99) before and during the flood, and for each real complaint how long its staff notice took:
from the moment its confirmation was sent (the commit is later: an upper bound) and from the
moment the citizen was told the number (the commit is earlier). Times are time.monotonic(),
which on Linux is one clock for every process.

With ``--no-limits`` the complaint limits and the form's pace are lifted: the flood as it was
before issue 12. With ``--concurrency 1`` the flood meets the complaint limits before the pace.

Run: python -m bench.flood [--flood 300] [--concurrency 20] [--no-limits]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import multiprocessing as mp
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "42:TEST"
STAFF_CHAT = -1001
STAFF_USER = 7
NUMBER = re.compile(r"\d{8}-\d{3}-\d")


# --- the fake Bot API, in a process of its own -------------------------------------------------------


def _bot_api(conn: Any) -> None:
    from tests.fakes import FakeBotAPI

    class StampedAPI(FakeBotAPI):
        """The fake server, stamping when each message to the staff group arrives."""

        staff: list[tuple[float, str]] = []

        def _answer(self, method: str, params: dict[str, Any], bot_id: int) -> Any:
            if method == "sendMessage" and int(params.get("chat_id", 0)) == STAFF_CHAT:
                self.staff.append((time.monotonic(), str(params.get("text", ""))))
            return super()._answer(method, params, bot_id)

    api = StampedAPI()
    conn.send(api.start_in_thread())
    while True:
        command = conn.recv()
        if command == "staff":
            conn.send(list(api.staff))
        elif command == "stop":
            api.stop()
            conn.send(None)
            return


# --- the clients ---------------------------------------------------------------------------------------


@dataclass
class Client:
    """A browser behind nginx: its own cookie jar and its own address."""

    base: str
    address: str
    http: Any = None
    csrf: str = ""

    async def open(self) -> Client:
        import aiohttp

        # unsafe: the cookie jar otherwise ignores cookies from an IP address such as 127.0.0.1
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), headers={"X-Real-IP": self.address}
        )
        page = await (await self.http.get(self.base + "/complaint")).text()
        self.csrf = _csrf(page)
        return self

    async def close(self) -> None:
        await self.http.close()

    async def ask(self, question: str) -> float:
        started = time.monotonic()
        async with self.http.post(
            self.base + "/chat", data={"csrf": self.csrf, "q": question}, headers={"X-Requested-With": "fetch"}
        ) as response:
            assert response.status == 200, response.status
            await response.read()
        return time.monotonic() - started

    async def complain(self, text: str) -> tuple[str, str, float, float]:
        """Fill in the form and confirm it: the outcome (filed; refused by the complaint limits;
        paced: a session posting the form faster than a person is stopped before anything is
        rendered; or "draft gone": a confirmation racing another of the same session finds the
        draft taken), the number or what was said, when the confirmation was sent and when its
        answer came."""
        form = {"csrf": self.csrf, "kind": "投诉", "topic": "conduct", "text": text}
        async with self.http.post(self.base + "/complaint", data=form) as response:
            page = await response.text()
        if response.status == 429:  # the session posts faster than a person: refused at once
            return "paced", page, 0.0, 0.0
        nonce = re.search(r'name="nonce" value="([^"]+)"', page)
        assert nonce is not None, page[:300]
        sent = time.monotonic()
        async with self.http.post(
            self.base + "/complaint/confirm",
            data={"csrf": self.csrf, "nonce": nonce.group(1)},
            allow_redirects=False,
        ) as response:
            page = await response.text()
            told = time.monotonic()
        found = re.search(r'id="number">([^<]+)<', page)
        if response.status == 200 and found:
            return "filed", found.group(1), sent, told
        said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        outcome = {429: "refused" if "次数已达到上限" in said else "paced", 303: "draft gone"}.get(
            response.status, f"HTTP {response.status}"
        )
        return outcome, said, sent, told


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, page[:300]
    return found.group(1)


@dataclass
class Chat:
    """Citizens chatting, each a question every ``pace`` seconds: each answer's latency, with
    when it was asked."""

    base: str
    questions: list[str]
    pace: float
    asked: list[tuple[float, float]] = field(default_factory=list)  # (started, latency)

    async def run(self, citizens: int, each: int, first_address: int) -> None:
        async def citizen(n: int) -> None:
            address = first_address + n
            client = await Client(self.base, f"10.1.{address // 250}.{address % 250 + 1}").open()
            await asyncio.sleep(self.pace * n / citizens)  # spread over the pace, not all at once
            try:
                for k in range(each):
                    started = time.monotonic()
                    latency = await client.ask(self.questions[(n * each + k) % len(self.questions)])
                    self.asked.append((started, latency))
                    await asyncio.sleep(max(0.0, self.pace - latency))
            finally:
                await client.close()

        await asyncio.gather(*(citizen(n) for n in range(citizens)))


def _percentiles(latencies: list[float]) -> str:
    if not latencies:
        return "no questions"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * (len(ordered) - 1) + 0.5))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms   ({len(ordered)} questions)"


async def _scenario(base: str, args: argparse.Namespace, questions: list[str]) -> dict[str, Any]:
    questions = questions[: args.citizens * args.questions]
    for n in range(0, len(questions), 15):  # every question once, unmeasured: both phases find them remembered
        warm = await Client(base, f"10.0.0.{n // 15 + 1}").open()  # a session asks at most 20 a minute
        for question in questions[n : n + 15]:
            await warm.ask(question)
        await warm.close()

    # Before: the chat at its usual pace.
    before = Chat(base, questions, args.pace)
    await before.run(args.citizens, args.questions, 0)

    # The flood, with citizens chatting and a few filing real complaints meanwhile.
    flooder = await Client(base, "10.66.6.6").open()
    outcomes: dict[str, int] = {}
    refusal = paced = ""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(args.flood):
        queue.put_nowait(n)

    async def flood_worker() -> None:
        nonlocal refusal, paced
        while not queue.empty():
            n = queue.get_nowait()
            outcome, said, _, _ = await flooder.complain(f"垃圾投诉第{n}件：测试测试测试")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "refused" and not refusal:
                refusal = said
            if outcome == "paced" and not paced:
                paced = said

    async def real_citizen(n: int) -> tuple[str, float, float]:
        await asyncio.sleep(0.02 * n)  # with the flood: refused at the pace, it is over in a fraction of a second
        client = await Client(base, f"10.2.0.{n + 1}").open()
        try:
            outcome, number, sent, told = await client.complain(f"第{n + 1}位市民：窗口工作人员拒绝我查阅公开目录")
            assert outcome == "filed" and NUMBER.fullmatch(number), (outcome, number)
            return number, sent, told
        finally:
            await client.close()

    during = Chat(base, questions, args.pace)
    chat = asyncio.create_task(during.run(args.citizens, args.questions, 1000))
    await asyncio.sleep(args.pace)  # the citizens are chatting when the flood begins
    flood_started = time.monotonic()
    flood = asyncio.gather(*(flood_worker() for _ in range(args.concurrency)))
    real = asyncio.gather(*(real_citizen(n) for n in range(args.real)))
    await flood
    flood_ended = time.monotonic()
    filed_real = await real
    await chat
    await flooder.close()
    in_flood = [latency for started, latency in during.asked if flood_started <= started <= flood_ended]
    return {
        "before": [latency for _, latency in before.asked],
        "during": [latency for _, latency in during.asked],
        "in_flood": in_flood,
        "outcomes": outcomes,
        "refusal": refusal,
        "paced": paced,
        "flood_seconds": flood_ended - flood_started,
        "real": filed_real,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=300, help="complaints the flooding session posts")
    parser.add_argument("--concurrency", type=int, default=20, help="of them at a time")
    parser.add_argument("--citizens", type=int, default=20, help="citizens chatting, before and during")
    parser.add_argument("--questions", type=int, default=10, help="questions each asks (the chat allows 20 a minute)")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between a citizen's questions")
    parser.add_argument("--real", type=int, default=5, help="real complaints filed during the flood")
    parser.add_argument("--no-limits", action="store_true", help="lift the complaint limits (as before issue 12)")
    args = parser.parse_args()
    with open(ROOT / "tests" / "data" / "questions.csv", encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)]

    spawn = mp.get_context("spawn")
    parent, child = spawn.Pipe()
    api = spawn.Process(target=_bot_api, args=(child,))
    api.start()
    api_base = parent.recv()
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env.update(
            GONGKAI_DB=str(Path(folder) / "flood.db"),
            GONGKAI_HTTP_PORT=str(port),
            GONGKAI_HTTP_TRUSTED_PROXIES="127.0.0.1",
            GONGKAI_TELEGRAM_TOKEN=TOKEN,
            GONGKAI_TELEGRAM_API_BASE=api_base,
            GONGKAI_TELEGRAM_STAFF_CHAT_ID=str(STAFF_CHAT),
            GONGKAI_TELEGRAM_STAFF_IDS=str(STAFF_USER),
            PYTHONUNBUFFERED="1",
        )
        if args.no_limits:
            env.update(
                GONGKAI_COMPLAINTS_PER_HOUR="1000000",
                GONGKAI_COMPLAINTS_PER_DAY="1000000",
                GONGKAI_COMPLAINTS_PER_ADDRESS_HOUR="1000000",
                GONGKAI_COMPLAINTS_PER_ADDRESS_DAY="1000000",
                GONGKAI_WEB_FORM_RATE_LIMIT="1000000",
            )
        site = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert site.stdout is not None
            for line in site.stdout:
                if "Gongkai is running" in line:
                    break
            else:
                raise SystemExit("gongkai run did not start")
            figures = asyncio.run(_scenario(f"http://127.0.0.1:{port}", args, questions))
            time.sleep(2)  # the last staff notices
            parent.send("staff")
            staff: list[tuple[float, str]] = parent.recv()
        finally:
            site.terminate()
            site.wait(10)
            parent.send("stop")
            parent.recv()
            api.join(10)

    outcomes = figures["outcomes"]
    limits = "lifted (--no-limits)" if args.no_limits else "on (the defaults)"
    print(f"The flood: {args.flood} complaints from one session and one address, {args.concurrency} at a time;")
    print(f"  limits {limits}; over in {figures['flood_seconds']:.2f} s")
    print(
        f"  filed {outcomes.get('filed', 0)}, refused by the complaint limits {outcomes.get('refused', 0)},"
        f" by the form's pace (GONGKAI_WEB_FORM_RATE_LIMIT) {outcomes.get('paced', 0)}"
        + "".join(f", {o} {c}" for o, c in sorted(outcomes.items()) if o not in ("filed", "refused", "paced"))
    )
    if figures["refusal"]:
        said = figures["refusal"]
        print("  over the limits: " + said[said.find("您提交") :].split("。 ")[0][:160])
    if figures["paced"]:
        print("  paced: " + figures["paced"].strip()[:80])
    print(f"Chat ({args.citizens} citizens, each with its own session and address, a question every {args.pace} s):")
    print(f"  before the flood   {_percentiles(figures['before'])}")
    print(f"  during the flood   {_percentiles(figures['in_flood'])}")
    print(f"  the whole run      {_percentiles(figures['during'])}")
    print(f"Real complaints filed during the flood, and their staff notice ({len(staff)} in all to the staff group):")
    slowest = 0.0
    for number, sent, told in figures["real"]:
        arrived = next((at for at, text in staff if number in text), None)
        if arrived is None:
            print(f"  {number}: no staff notice within 2 s of the end")
            slowest = float("inf")
            continue
        slowest = max(slowest, arrived - sent)
        print(
            f"  {number}: {1000 * (arrived - sent):6.1f} ms after its confirmation was sent,"
            f" {1000 * (arrived - told):6.1f} ms after the citizen was told"
        )
    print(
        f"  slowest: {slowest * 1000:.1f} ms after sending (the commit comes later):"
        f" {'within' if slowest <= 1 else 'over'} a second"
    )


if __name__ == "__main__":
    main()
