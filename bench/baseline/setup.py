"""``python -m bench.baseline.setup``: create the baseline's tables (no migrations: syncdb) and the rows the page
reads. Run in its own process, since the harness's own process is configured for the app."""

from __future__ import annotations

import os
import sys
from io import StringIO

ITEMS = 1000


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.baseline.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from .models import Item

    call_command("migrate", run_syncdb=True, verbosity=0, stdout=StringIO())
    if not Item.objects.exists():
        Item.objects.bulk_create(Item(code=f"item{i:05d}", title=f"条目 {i}", body="法律援助" * 20)
                                 for i in range(ITEMS))
    sys.stdout.write(f"baseline ready: {Item.objects.count()} items\n")


if __name__ == "__main__":
    main()
