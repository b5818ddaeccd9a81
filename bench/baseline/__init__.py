"""The bare Django baseline of the load harness: what the same server, database and machine do with no Fayuan.

One app, two views (``views.py``), its own settings and database; run by gunicorn as ``bench.baseline.wsgi``.
"""
