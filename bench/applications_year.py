"""A year of synthetic applications for information, worked through the register as staff would.

Fills a database with ``--count`` applications received across ``--year`` (and some in the
previous December, still open on 1 January), every applicant column and every decision of the
yearly report's rows among them; some wait for a correction, are extended, consult a third
party, and some are still open at the year's end (carried over). Then prints, from
``applications_for_year``, the counts of Table 2 by row and column and checks that in every
column 一 + 二 = 三 + 四. The database is kept, for the yearly report to be run on it.

Run: python -m bench.applications_year data/synthetic.db [--year 2025] [--count 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections import Counter
from pathlib import Path

from bot.config import Settings
from bot.services.applications import (
    APPLICANTS,
    DECISIONS,
    ROWS,
    Applications,
    Draft,
    applications_for_year,
)
from bot.services.calendar import WorkCalendar
from bot.storage import Store

VIAS = ("in_person", "signed_post", "post", "fax", "email")
IDS = ("370303199001011239", "11010519491231002X")


def fill(register: Applications, year: int, count: int, rng: random.Random) -> None:
    """Register ``count`` applications received in ``year`` (a tenth of them the December
    before) and work each through to its decision, or leave it open."""
    calendar = register.calendar
    decisions = list(DECISIONS)
    start = dt.date(year, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range(365) if calendar.is_working_day(start + dt.timedelta(days=n))]
    december = [d for d in (dt.date(year - 1, 12, n) for n in range(1, 32)) if calendar.is_working_day(d)]
    for n in range(count):
        received = rng.choice(december if n % 10 == 0 else days)
        applicant = list(APPLICANTS)[n % len(APPLICANTS)] if n < 60 else rng.choice(list(APPLICANTS))
        person = applicant == "person"
        draft = Draft(
            applicant=applicant,
            name=f"申请人{n}" if person else f"某单位{n}",
            id_type="居民身份证" if person else "统一社会信用代码",
            id_number=rng.choice(IDS) if person else f"91370303MA{n:08d}",
            phone="13912345678",
            description=f"第{n}号所需信息",
            form=rng.choice(["paper", "electronic", "inspection"]),
            delivery="post",
            address="张店区人民西路1号",
        )
        a = register.register(
            draft, via=rng.choice(VIAS), received_on=received, actor="bench", dedupe_key=f"bench:{year}:{n}"
        )
        decision = decisions[n % len(decisions)] if n < 3 * len(decisions) else rng.choice(decisions)
        if decision == "other_no_correction" or rng.random() < 0.05:
            by = calendar.working_days_after(received, 10)
            register.request_correction(a.number, "bench", "请写明文号", on=received, by=by)
            if decision == "other_no_correction":
                a = register.decide(a.number, "bench", decision, "逾期未补正。", on=by + dt.timedelta(days=1))
                continue
            register.correct(a.number, "bench", on=calendar.working_days_after(received, 3))
            a = register.get(a.number)
        last = a.start_on  # each step on or after the one before: the register refuses a day that runs back
        if rng.random() < 0.1:
            register.pause(a.number, "bench", party_kind="third_party", party="某企业", on=last)
            last = calendar.working_days_after(last, rng.randrange(1, 20))
            register.resume(a.number, "bench", on=last)
        if rng.random() < 0.1:
            a = register.get(a.number)
            if a.due_on is not None and last <= a.due_on:
                register.extend(a.number, "bench", days=20, approved_by="主任", reason="数量多", on=last)
        a = register.get(a.number)
        assert a.due_on is not None
        if rng.random() < 0.08:  # still open: carried over, or decided next year
            continue
        on = max(last, min(calendar.working_days_after(a.start_on, rng.randrange(1, 30)), a.due_on))
        if on > register.today():
            continue
        article = "第四十五条" if not DECISIONS[decision].article else None
        register.decide(a.number, "bench", decision, "依法答复。", article=article, on=on)


def table2(register: Applications, year: int) -> dict[str, Counter[str]]:
    """Counts of Table 2 by row (一, 二, each outcome row, 四) and applicant column."""
    counts: dict[str, Counter[str]] = {}
    for r in applications_for_year(register.store.reader, year):
        for row, counted in (
            ("一", r.new_in(year)),
            ("二", r.carried_in(year)),
            (r.row or "", r.decided_in(year)),
            ("四", r.carried_out(year)),
        ):
            if counted:
                counts.setdefault(row, Counter())[r.column] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--year", type=int, default=dt.date.today().year - 1)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = Settings(db=args.db)
    store = Store(args.db)
    try:
        register = Applications(store, settings, calendar=WorkCalendar())
        fill(register, args.year, args.count, random.Random(args.seed))
        counts = table2(register, args.year)
        columns = list(APPLICANTS)
        print("row".ljust(40) + "".join(APPLICANTS[c].rjust(8) for c in columns) + "总计".rjust(8))
        for key, label in (
            [("一", "一、本年新收"), ("二", "二、上年结转")]
            + [(r.key, r.label) for r in ROWS]
            + [("四", "四、结转下年度")]
        ):
            row = counts.get(key, Counter())
            print(
                label[:20].ljust(40) + "".join(str(row[c]).rjust(8) for c in columns) + str(sum(row.values())).rjust(8)
            )
        decided = Counter()
        for r in ROWS:
            decided.update(counts.get(r.key, Counter()))
        bad = [
            c
            for c in columns
            if counts.get("一", Counter())[c] + counts.get("二", Counter())[c]
            != decided[c] + counts.get("四", Counter())[c]
        ]
        print("一+二 = 三+四 in every column" if not bad else f"MISMATCH in {bad}")
        return 1 if bad else 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
