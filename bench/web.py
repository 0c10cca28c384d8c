"""Questions per second through the web chat, and their latency, as a browser's chat.js sends them.

The site (``gongkai run``'s application: the web chat, its sessions, CSRF checks, matching, the
enquiry log and the rendered turns) runs in one process; the clients, in another, open
``--sessions`` sessions (a GET for the cookie and the CSRF token) and then post the labelled
questions with ``X-Requested-With: fetch`` until ``--questions`` are answered. The rate limit is
lifted for the run.

With ``--distinct`` every text differs (trailing ！), so the Answerer's memory of recent replies
never helps.

Run: python -m bench.web [--questions 3000] [--sessions 20] [--distinct]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import multiprocessing as mp
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _site(conn: Any, database: str) -> None:
    from aiohttp import web

    from bot.app import Services, build_web_app
    from bot.channels.web import setup
    from bot.config import Settings
    from bot.evaluation import default_settings
    from bot.knowledge import load
    from bot.matching import build_matcher
    from bot.services.answering import Answerer
    from bot.storage import Store

    settings = default_settings().model_copy(update={"web_rate_limit": 1_000_000})
    store = Store(database)
    # As `gongkai run` builds it: the semantic signal on where it loads.
    answerer = Answerer(build_matcher(load(settings.knowledge), Settings()), settings)
    app = build_web_app()
    setup(app, Services.of(answerer, store, settings), settings)

    async def main() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        gc.freeze()  # as gongkai run does
        conn.send(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        await runner.cleanup()
        store.close()

    asyncio.run(main())


async def _clients(port: int, questions: list[str], count: int, sessions: int) -> tuple[float, list[float]]:
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(questions[n % len(questions)])

    async def session() -> None:
        # unsafe: the cookie jar otherwise ignores cookies from an IP address such as 127.0.0.1
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            page = await (await http.get(base + "/")).text()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            while not queue.empty():
                question = queue.get_nowait()
                started = time.perf_counter()
                async with http.post(
                    base + "/chat", data={"csrf": csrf, "q": question}, headers={"X-Requested-With": "fetch"}
                ) as response:
                    assert response.status == 200, response.status
                    await response.read()
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(session() for _ in range(sessions)))
    return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--distinct", action="store_true", help="make every question's text differ")
    args = parser.parse_args()
    with open(ROOT / "tests" / "data" / "questions.csv", encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)]
    if args.distinct:
        questions = [q + "！" * (n // len(questions)) for n, q in enumerate(questions * -(-args.questions // 340))]
    spawn = mp.get_context("spawn")
    parent, child = spawn.Pipe()
    with tempfile.TemporaryDirectory() as folder:
        site = spawn.Process(target=_site, args=(child, str(Path(folder) / "bench.db")))
        site.start()
        port = parent.recv()
        elapsed, latencies = asyncio.run(_clients(port, questions, args.questions, args.sessions))
        parent.send("stop")
        site.join(10)
    latencies.sort()
    kind = "every text distinct" if args.distinct else "the 340 labelled questions, repeating"
    print(f"{len(latencies)} questions over {args.sessions} sessions ({kind}):")
    print(f"  {len(latencies) / elapsed:.0f} questions/s")
    print(
        f"  latency p50 {statistics.median(latencies) * 1000:.1f} ms"
        f"  p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.1f} ms"
        f"  p99 {latencies[int(0.99 * (len(latencies) - 1))] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
