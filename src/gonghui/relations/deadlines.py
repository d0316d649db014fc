"""The statutory deadlines of collective contracts and bargaining offers, each rule once.

Sources: the Collective Contract Provisions (集体合同规定, MOHRSS order 22) articles 32, 42,
47 and 48, and the Zhejiang regulations on collective contracts; the day counting of the
Civil Code (民法典) articles 201 and 203.

- A period in days does not count its first day, and ends on the last day of the period;
  when that last day is not a working day (a weekend or public holiday; an adjusted working
  day is a working day) the period ends on the next working day (民法典 第二百零三条).
- A period in working days counts working days only, per the year's published arrangement.

Dates are days of the Asia/Shanghai calendar (``timezone.localdate()`` is "today"); the
calendar comes from :mod:`gonghui.relations.calendar`, which refuses a year it does not know.
"""

from __future__ import annotations

import datetime as dt

from . import calendar

#: 签订后 10 日内，由企业一方将集体合同文本报送劳动保障行政部门审查（第四十二条）
FILING_DAYS = 10
#: 劳动保障行政部门自收到文本之日起 15 日内未提出异议的，集体合同即行生效（第四十七条）
OBJECTION_DAYS = 15
#: 生效之日起 10 日内以适当形式向全体职工公布（第四十八条，浙江省集体合同条例）
PUBLISH_DAYS = 10
#: 一方应当在收到要约之日起 20 日内以书面形式给以回应（第三十二条）
ANSWER_DAYS = 20
#: 回应之日起 10 个工作日内开始协商（浙江省集体合同条例）
TALKS_WORKING_DAYS = 10
#: a contract expiring within this many days is listed for renewal
EXPIRY_NOTICE_DAYS = 60


def period_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` days that starts the day after ``start``,
    moved to the next working day when it is not one."""
    return calendar.next_working_day(start + dt.timedelta(days=days))


def filing_due(signed_on: dt.date) -> dt.date:
    """The last day to file a contract signed on ``signed_on`` with the labour bureau."""
    return period_end(signed_on, FILING_DAYS)


def objection_ends(filed_on: dt.date) -> dt.date:
    """The last day on which the labour bureau may object to a contract filed on
    ``filed_on``; without an objection the contract takes effect the day after."""
    return period_end(filed_on, OBJECTION_DAYS)


def effective_without_objection(filed_on: dt.date) -> dt.date:
    """The day a filed contract takes effect when the bureau raised no objection."""
    return objection_ends(filed_on) + dt.timedelta(days=1)


def publish_due(effective_on: dt.date) -> dt.date:
    """The last day to publish a contract to the workers after it took effect."""
    return period_end(effective_on, PUBLISH_DAYS)


def answer_due(received_on: dt.date) -> dt.date:
    """The last day for the written answer to a bargaining offer received on
    ``received_on``."""
    return period_end(received_on, ANSWER_DAYS)


def talks_due(answered_on: dt.date) -> dt.date:
    """The last day to open the talks: the 10th working day after the answer."""
    return calendar.add_working_days(answered_on, TALKS_WORKING_DAYS)


def expiry_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The expiry dates listed for renewal on ``today``: today to 60 days ahead."""
    return today, today + dt.timedelta(days=EXPIRY_NOTICE_DAYS)
