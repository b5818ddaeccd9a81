from fayuan.cases.tests.conftest import providers  # noqa: F401  (fixture re-exported for these tests)
