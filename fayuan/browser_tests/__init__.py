"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

``test_journey`` walks an applicant through the public site on a phone (and a reviewer through the back office);
``test_accessibility`` runs the vendored axe-core on every public page in both modes. Marked ``browser``.
"""
