"""Test settings until the lead installs the app: the project's settings plus the portal app and its context
processor (both idempotent, so this keeps working after config/settings.py lists them)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, TEMPLATES

if "fayuan.portal" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "fayuan.portal"]
_processors = TEMPLATES[0]["OPTIONS"]["context_processors"]
if "fayuan.portal.context_processors.portal" not in _processors:
    _processors.append("fayuan.portal.context_processors.portal")
