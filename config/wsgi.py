import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Django imports the URLconf, and through it every view module (openpyxl, the PDF and export code, ...), on the
# first request: measured at 1,000,000 cases, the city bureau's first /office/ took 993 ms, the next 9-12 ms. A
# gunicorn worker would pay that on its first request after every start and every max_requests restart. Imported
# here, a worker answers warm, and the freeze below covers the views too.
get_resolver().url_patterns  # noqa: B018  # evaluated for its import

# Everything imported so far (Django, the apps, their models and rules: about 260,000 objects) lives as long as the
# process. Frozen, the cyclic garbage collector stops walking it: in process a case page spent 1.2-1.4 ms of its ~30
# in collections, and about one request in 200 paid for a full collection of it all; frozen, 0.4-0.6 ms and none.
# With gunicorn --preload the master freezes before it forks, so the workers also keep sharing those pages.
gc.freeze()
