"""Working days in England, for the factual-accuracy and review-request deadlines.

Bank holidays come from the `holidays` package (England's list, substitute days included),
kept current by its maintainers, so deadlines do not silently come out short when a
hand-kept list runs out.
"""

import datetime
import functools

import holidays


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (which itself does not count)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end is not later)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
