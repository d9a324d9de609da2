"""Today and this year are Vietnam's, whatever the server's clock zone."""

import datetime
from unittest import mock

from lib.dates import local_today, one_day, this_year

# 17:30 UTC on 31 December is 00:30 on 1 January in Vietnam (UTC+7).
NEW_YEAR_IN_VIETNAM = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)


def test_after_17_utc_on_new_years_eve_it_is_already_next_year_in_vietnam():
    with mock.patch("django.utils.timezone.now", return_value=NEW_YEAR_IN_VIETNAM):
        assert local_today() == datetime.date(2027, 1, 1)
        assert this_year() == 2027


def test_before_07_in_vietnam_the_day_is_not_the_utc_one():
    before = datetime.datetime(2026, 3, 1, 23, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=before):
        assert local_today() == datetime.date(2026, 3, 2)


def test_a_task_run_as_one_day_keeps_the_day_it_started_past_midnight():
    evening = datetime.datetime(2026, 12, 31, 16, 59, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=evening) as now, one_day():
        now.return_value = NEW_YEAR_IN_VIETNAM
        assert local_today() == datetime.date(2026, 12, 31)
        assert this_year() == 2026
    with mock.patch("django.utils.timezone.now", return_value=NEW_YEAR_IN_VIETNAM):
        assert this_year() == 2027
