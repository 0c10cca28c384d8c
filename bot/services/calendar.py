"""Working days on China's official calendar, on which every deadline is counted.

The State Council publishes each December the next year's public holidays and the weekend days
worked instead (调休). The ``chinesecalendar`` package carries those notices from 2004 to the latest
one; ``calendar.yaml`` in the knowledge folder overrides single days and fills in a year the
package does not know yet. A year that neither covers counts only weekends as days off, which is
why ``gongkai knowledge check`` warns about it.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from ..knowledge import CalendarDays

# The years whose notices the installed package carries.
OFFICIAL_YEARS = frozenset(day.year for day in chinese_calendar.holidays)


class WorkCalendar:
    """Which days are working days: the official calendar, overridden by ``days``.

    :param days: the holidays and 调休 working days of ``calendar.yaml``
    """

    def __init__(self, days: CalendarDays | None = None) -> None:
        self.days = days or CalendarDays()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.days.workdays:
            return True
        if day in self.days.holidays:
            return False
        if day.year in OFFICIAL_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def working_days_after(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
        day = start
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def uncovered_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years from ``start`` to ``end`` whose holidays are known neither officially nor from
        ``calendar.yaml`` (which covers a year once it lists any holiday in it)."""
        listed = {day.year for day in self.days.holidays}
        return [year for year in range(start.year, end.year + 1) if year not in OFFICIAL_YEARS | listed]
