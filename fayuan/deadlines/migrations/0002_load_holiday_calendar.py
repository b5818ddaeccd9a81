"""Load every year's State Council holiday schedule that the chinese-calendar package knows (2004 onwards).

Later years are entered in the admin (CalendarYear with its days) when the State Council publishes them, or with
``manage.py sync_holiday_calendar`` after upgrading the package. Self-contained on purpose: a migration must not
depend on application code that may change later.
"""

from django.db import migrations

SOURCE = "国务院办公厅节假日安排通知（chinese-calendar 1.11.0）"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def load(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    entries = [(d, False, n) for d, n in chinese_calendar.holidays.items()]
    entries += [(d, True, n) for d, n in chinese_calendar.workdays.items()]
    years = {}
    for year in sorted({d.year for d, _, _ in entries}):
        obj, _ = CalendarYear.objects.get_or_create(year=year, defaults={"source": SOURCE, "complete": True})
        years[year] = obj
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar_year=years[d.year], date=d, is_workday=is_workday, name=NAMES.get(str(n), str(n)))
            for d, is_workday, n in sorted(entries)
            if d not in existing
        ],
        batch_size=500,
    )


def unload(apps, schema_editor):
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarYear.objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
