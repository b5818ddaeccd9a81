"""Production serves static files from a manifest (hashed names): a file that a stylesheet or script names but that
is not shipped makes ``collectstatic`` fail, and a template naming a file missing from the manifest answers 500.
Both are caught here, with the manifest storage that production uses (without its compression, which changes
nothing about the names and takes a minute). ``make checks`` also runs the real production collectstatic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

STATIC_TAG = re.compile(r"""{%\s*static\s+(['"])(?P<path>[^'"]+)\1\s*%}""")
MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def _template_references() -> dict[str, set[str]]:
    """Every literal ``{% static '...' %}`` in the project's and the apps' templates, with where it is used."""
    roots = [settings.BASE_DIR / "templates", *(settings.BASE_DIR / "fayuan").glob("*/templates")]
    found: dict[str, set[str]] = {}
    for root in roots:
        for template in Path(root).rglob("*.html"):
            for match in STATIC_TAG.finditer(template.read_text(encoding="utf-8")):
                found.setdefault(match["path"], set()).add(str(template.relative_to(settings.BASE_DIR)))
    return found


def test_templates_name_static_files_at_all() -> None:
    # Guards the pattern above: if it stopped matching, the next test would pass on nothing.
    assert {"vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js"} <= set(_template_references())


def test_production_manifest_collects_and_resolves_every_template_reference(tmp_path: Path, settings: Any) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    # Fails with ValueError when a stylesheet or script refers to a file that is not there (a source map, a font).
    call_command("collectstatic", interactive=False, verbosity=0)
    unresolved = {}
    for path, templates in _template_references().items():
        try:
            staticfiles_storage.url(path)  # strict manifest: raises for a name it does not hold
        except ValueError:
            unresolved[path] = sorted(templates)
    assert not unresolved
