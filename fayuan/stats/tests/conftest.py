from fayuan.cases.tests.conftest import poppler, providers  # noqa: F401  (fixtures re-exported for these tests)
