"""Working days on China's official calendar, on which every deadline is counted.

The State Council publishes each December the next year's public holidays and the weekend days
worked instead (调休). The ``chinesecalendar`` package carries those notices from 2004 to the latest
one; ``calendar.yaml`` in the knowledge folder overrides single days and fills in a year the
package does not know yet. A year that neither covers counts as days off only the weekends and the
days the law fixes on the solar calendar (元旦, 劳动节, 国庆节), which is why ``gongkai knowledge
check`` warns about it: its lunar festivals and 调休 come only with the year's notice.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from .. import texts
from ..knowledge import CalendarDays

# The years whose notices the installed package carries.
OFFICIAL_YEARS = frozenset(day.year for day in chinese_calendar.holidays)
# The holidays 《全国年节及纪念日放假办法》 (revised 2024, Art. 2) fixes on the solar calendar: 元旦
# 1 January, 劳动节 1-2 May, 国庆节 1-3 October. Off in every year, before its notice is out too (an
# application received in December is due in January: 1 January is never a working day).
STATUTORY_DAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


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
        return day.weekday() < 5 and (day.month, day.day) not in STATUTORY_DAYS

    def working_days_after(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
        day = start
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def unknown_ahead(self, today: dt.date | None = None) -> list[int]:
        """The years of the next twelve months whose holidays are not known (see
        :meth:`uncovered_years`): what `gongkai knowledge check` and `gongkai run` warn of."""
        today = today or dt.date.today()
        return self.uncovered_years(today, today + dt.timedelta(days=365))

    def due_said(self, start: dt.date, due: dt.date) -> str:
        """``due`` as a citizen is told it: with a word that it may move where the period from
        ``start`` reaches a year whose holidays are not known yet (2027's, before the notice)."""
        years = self.uncovered_years(start, due)
        unknown = "、".join(f"{year}年" for year in years)
        return due.isoformat() + (texts.DUE_MAY_MOVE.format(years=unknown) if years else "")

    def uncovered_years(self, start: dt.date, end: dt.date) -> list[int]:
        """The years from ``start`` to ``end`` whose holidays are known neither officially nor from
        ``calendar.yaml`` (which covers a year once it lists any holiday in it)."""
        listed = {day.year for day in self.days.holidays}
        return [year for year in range(start.year, end.year + 1) if year not in OFFICIAL_YEARS | listed]
