"""Does teaching generalise? Staff teach through the console's HTTP routes; paraphrases nobody
taught are then asked, without a restart.

``tests/data/teaching.csv`` holds groups of questions the shipped guide does not answer well, each
with the wordings citizens ``asked`` (these are taught), ``paraphrase``s of them (never taught,
only measured), what staff should do (``phrasings`` for an entry, a new ``entry``, ``elsewhere``
with a pointer, ``complaint``) and its target. The run:

1. answers the labelled sets on the knowledge as shipped;
2. asks every ``asked`` wording through the enquiry log, as citizens would;
3. logs a member of staff into the console (a test server on 127.0.0.1) and teaches every other
   group (the odd ones) through ``/staff/teach/{action}``, as the 教会它 page posts it;
4. asks every paraphrase: the taught groups' should now be handled right, the others are the
   control; and answers the labelled sets again (nothing answered before should change, and no
   complaint be lost: the complaint model reads how well the guide answers a message).

Run: python -m bench.teaching [--lexical]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = ("questions.csv", "holdout.csv", "blind.csv", "english.csv", "train.csv", "blind3.csv")
# Complaints are recognised partly by how well the guide answers a message, which teaching moves.
COMPLAINT_SETS = ("complaints_fresh.csv", "complaints_blind2.csv", "complaints_blind4.csv")
PASSWORD = "bench teaching password"


def read_groups(path: Path) -> dict[int, dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = defaultdict(lambda: defaultdict(list))
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            group = groups[int(row["group"])]
            group["action"], group["target"] = row["action"], row["target"]
            group[row["role"]].append(row["question"])
    return dict(sorted(groups.items()))


def handled(services: Any, group: dict[str, Any], text: str, *, offered: bool = False) -> bool:
    """Whether ``text`` is handled as the group's action says: answered outright (or, with
    ``offered``, answered or offered among the choices)."""
    reply = services.answerer.answer(text)
    action, target = group["action"], group["target"]
    if action == "complaint":
        return bool(reply.outcome == "complaint")
    guide = services.answerer.matcher.knowledge.guide
    referrals = {e.id for e in guide if e.refer and e.answer == target} if action == "elsewhere" else {target}
    if reply.outcome == "answer":
        return reply.entry_id in referrals
    return offered and reply.outcome == "clarify" and any(c.id in referrals for c in reply.choices)


def misreferred(services: Any, groups: dict[int, dict[str, Any]]) -> str:
    """Paraphrases of every group answered outright with a referral that is not theirs (a citizen
    sent to the wrong office), of all the paraphrases."""
    guide = services.answerer.matcher.knowledge
    wrong = total = 0
    for group in groups.values():
        for text in group["paraphrase"]:
            reply = services.answerer.answer(text)
            entry = guide.entry(reply.entry_id or "") if reply.outcome == "answer" else None
            total += 1
            wrong += entry is not None and entry.refer and entry.answer != group["target"]
    return f"{wrong}/{total}"


def measure(services: Any, groups: dict[int, Any], role: str, offered: bool = False) -> dict[int, list[bool]]:
    return {n: [handled(services, g, text, offered=offered) for text in g[role]] for n, g in groups.items()}


def figures(services: Any) -> dict[str, str]:
    """Each labelled set's right / wrong answers, and each complaint set's complaints found and
    other messages taken for them."""
    from bot.evaluation import evaluate, read_labelled

    out = {}
    for name in SETS + COMPLAINT_SETS:
        if (DATA / name).exists():
            f = evaluate(services.answerer, read_labelled(DATA / name)).figures()
            if name in COMPLAINT_SETS:
                out[name] = f"{f['complaint_recall']:.1%} / {f['false_complaints']}"
            else:
                out[name] = f"{f['answered_right']:.1%} / {f['answered_wrong']:.1%}"
    return out


async def teach(services: Any, groups: dict[int, dict[str, Any]]) -> list[int]:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import build_web_app
    from bot.channels.web import setup
    from bot.services.staff import StaffAccounts

    StaffAccounts(services.store, services.settings).add("bench", PASSWORD, "editor")
    app = build_web_app()
    setup(app, services, services.settings)
    taught = []
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        page = await (await client.get("/staff/login")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        await client.post("/staff/login", data={"csrf": csrf, "username": "bench", "password": PASSWORD})
        sections = services.answerer.matcher.knowledge.sections
        for number, group in groups.items():
            if number % 2 == 0:
                continue
            page = await (await client.get("/staff/teach", params=[("w", w) for w in group["asked"]])).text()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            form: list[tuple[str, str]] = [("csrf", csrf), *(("w", w) for w in group["asked"])]
            action = {"elsewhere": "out_of_scope"}.get(group["action"], group["action"])
            if action == "phrasings":
                form.append(("entry_id", group["target"]))
            elif action == "out_of_scope":
                form.append(("pointer", group["target"]))
            elif action == "entry":
                section = (group["section"] or [sections[0]])[0]
                form += [
                    ("id", group["target"]),
                    ("section", section if section in sections else sections[0]),
                    ("question", group["asked"][0]),
                    ("alternatives", "\n".join(group["asked"])),
                    ("answer", (group["answer"] or ["（答复）"])[0]),
                    ("source", (group["source"] or ["本局政府信息公开指南"])[0]),
                ]
            response = await client.post(f"/staff/teach/{action}", data=form)
            text = await response.text()
            if response.status == 200 and "已生效" in text:
                taught.append(number)
            else:
                errors = re.findall(r'class="error">([^<]+)<', text)
                print(f"group {number}: not taught ({response.status}): {'; '.join(errors)[:200]}")
    return taught


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lexical", action="store_true", help="without the semantic signal")
    args = parser.parse_args()

    from bot.app import build_services
    from bot.config import Settings

    groups = read_groups(DATA / "teaching.csv")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "knowledge"
        shutil.copytree(ROOT / "knowledge", folder)
        settings = Settings(knowledge=folder, db=Path(tmp) / "g.db", semantic=not args.lexical)
        services = build_services(settings)
        before = figures(services)
        rates_before = measure(services, groups, "paraphrase")
        offered_before = measure(services, groups, "paraphrase", offered=True)
        for group in groups.values():
            for text in group["asked"]:
                services.answerer.ask(services.store, text, channel="web", user_id="bench")
        taught = asyncio.run(teach(services, groups))
        rates_after = measure(services, groups, "paraphrase")
        offered_after = measure(services, groups, "paraphrase", offered=True)
        asked_after = measure(services, groups, "asked")
        wrong_referrals = misreferred(services, groups)
        after = figures(services)
        services.store.close()

    def rate(rates: dict[int, list[bool]], which: set[int]) -> str:
        hits = [h for n, r in rates.items() if n in which for h in r]
        return f"{sum(hits)}/{len(hits)} ({sum(hits) / max(1, len(hits)):.0%})"

    taught_set, control = set(taught), set(groups) - {n for n in groups if n % 2}
    print(f"groups: {len(groups)}; taught through the console: {len(taught)}")
    print(f"{'paraphrases handled right':32} {'before':>14} {'after':>14}")
    print(f"{'  of the taught groups':32} {rate(rates_before, taught_set):>14} {rate(rates_after, taught_set):>14}")
    print(f"{'  of the others (control)':32} {rate(rates_before, control):>14} {rate(rates_after, control):>14}")
    offered = rate(offered_before, taught_set), rate(offered_after, taught_set)
    print(f"{'  taught, answered or offered':32} {offered[0]:>14} {offered[1]:>14}")
    print(f"{'  the taught wordings themselves':32} {'':>14} {rate(asked_after, taught_set):>14}")
    print(f"{'  sent to a referral not theirs':32} {'':>14} {wrong_referrals:>14}")
    by_action: dict[str, set[int]] = defaultdict(set)
    for n in taught_set:
        by_action[groups[n]["action"]].add(n)
    for action, which in sorted(by_action.items()):
        print(f"{'    ' + action:32} {rate(rates_before, which):>14} {rate(rates_after, which):>14}")
    print(f"\n{'labelled set (right / wrong;':32} {'before':>14} {'after':>14}")
    print("   complaints found / others taken)")
    for name in before:
        print(f"{'  ' + name:32} {before[name]:>14} {after[name]:>14}")


if __name__ == "__main__":
    main()
