"""Loaded by pytest (``-p config.pytest_env``) before pytest-django imports the settings."""

import os

os.environ.setdefault("FAYUAN_ENV", "test")
