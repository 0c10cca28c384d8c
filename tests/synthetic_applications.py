"""A synthetic year of applications for the yearly report: a few hundred, every applicant column
and every outcome row, some carried over from the year before and some to the year after, and
some of other years that must not count.

    python -m tests.synthetic_applications 2026 > applications.csv
    gongkai report 2026 --applications applications.csv -o 2026.html
"""

from __future__ import annotations

import datetime as dt
import random
import sys

from bot.services.report import ApplicationRecord
from bot.services.report import format as fmt
from bot.services.report.records import write_records


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def synthetic_year(year: int, count: int = 300, seed: int = 13) -> list[ApplicationRecord]:
    """``count`` applications that count in ``year`` (about a tenth carried in from the year
    before, a twentieth carried out), plus a few of other years; deterministic for a ``seed``."""
    rng = random.Random(seed)
    columns = [c.key for c in fmt.APPLICANT_COLUMNS]
    labels = {c.key: c.label for c in fmt.APPLICANT_COLUMNS}
    outcomes = list(fmt.OUTCOME_KEYS)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    records = []
    for n in range(count):
        # Every outcome row and every column at least once; then mostly granted, as in real years.
        outcome = outcomes[n] if n < len(outcomes) else rng.choice(outcomes[:2] * 6 + outcomes)
        column = columns[n % len(columns)] if n < 2 * len(columns) else rng.choice(columns[:1] * 5 + columns)
        # Half the records name their column by label, half by key: a register may use either.
        applicant = labels[column] if n % 2 else column
        kind = n % 20
        if kind < 2:  # carried in: received last December, open on 1 January
            received = _day(rng, dt.date(year - 1, 12, 1), dt.date(year - 1, 12, 31))
        else:
            received = _day(rng, start, dt.date(year, 12, 20))
        if kind == 19 or (kind == 0 and n % 40 == 0):  # carried out: still open on 31 December
            received = max(received, dt.date(year, 12, 1)) if kind == 19 else received
            decided = _day(rng, dt.date(year + 1, 1, 2), dt.date(year + 1, 2, 28)) if n % 3 else None
            records.append(ApplicationRecord(applicant, received, decided, outcome if decided else None))
            continue
        decided = min(end, max(start, received + dt.timedelta(days=rng.randrange(1, 30))))
        records.append(ApplicationRecord(applicant, received, decided, outcome))
    # Other years': answered before this one began, or received after it ended.
    records.append(ApplicationRecord("自然人", dt.date(year - 1, 3, 1), dt.date(year - 1, 3, 20), "granted"))
    records.append(ApplicationRecord("business", dt.date(year - 1, 12, 30), dt.date(year - 1, 12, 31), "partial"))
    records.append(ApplicationRecord("natural", dt.date(year + 1, 1, 5), None, None))
    rng.shuffle(records)
    return records


if __name__ == "__main__":
    write_records(synthetic_year(int(sys.argv[1]) if len(sys.argv) > 1 else dt.date.today().year - 1), sys.stdout)
