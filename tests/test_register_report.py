"""The yearly report's Table 2 counted from the register of applications, end to end."""

from __future__ import annotations

import random

from bench.applications_year import fill, table2
from bot.app import Services
from bot.services.report import format as fmt


def test_table_2_is_counted_from_the_register_and_passes_its_checks(answerer, store, settings):
    services = Services.of(answerer, store, settings)
    fill(services.applications, 2025, 160, random.Random(7))
    report = services.reports.build(2025)
    assert report.failures == []
    expected = table2(services.applications, 2025)  # the register's own count, row by row
    table = report.table2
    assert table.get(fmt.NEW, fmt.TOTAL.key) == sum(expected["一"].values())
    assert table.get(fmt.CARRIED_IN, fmt.TOTAL.key) == sum(expected["二"].values())
    assert table.get(fmt.CARRIED_OUT, fmt.TOTAL.key) == sum(expected["四"].values())
    decided = sum(n for row, counts in expected.items() if row not in ("一", "二", "四") for n in counts.values())
    assert table.get(fmt.OUTCOME_TOTAL, fmt.TOTAL.key) == decided > 0
