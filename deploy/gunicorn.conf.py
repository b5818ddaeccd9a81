"""gunicorn for 法援平台 (docs/runbook.md): ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Every value can be overridden from the unit's EnvironmentFile (/etc/fayuan/fayuan.env) without editing this file.
"""

from __future__ import annotations

import multiprocessing
import os

# Loopback when nginx runs on the same host; the host's private address when nginx proxies to several app
# servers (docs/runbook.md, "Add an app server").
bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

# Sync workers: the views are short database round trips; 2 x CPU + 1 keeps the CPUs busy while some wait on
# PostgreSQL. Each worker holds one persistent database connection (CONN_MAX_AGE=60), so workers x app servers
# (+ task workers) must stay under PostgreSQL's max_connections (deploy/postgresql/fayuan.conf).
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"

# A PDF of a long case file or a 30 MB spreadsheet upload can take tens of seconds; nginx waits 120 s too
# (deploy/nginx/fayuan.conf), so a request is cut at one place only. On stop/reload a worker finishes its
# request within graceful_timeout (systemd's TimeoutStopSec is longer).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5  # nginx keeps its upstream connections open (keepalive 16 in the upstream block)

# Not preloaded: `systemctl reload fayuan-web` (SIGHUP) starts new workers that import the new code, then
# retires the old ones when they finish their requests: an upgrade without refused connections.
preload_app = False
# A slow leak cannot grow without bound; the jitter keeps all workers from restarting at once.
max_requests = 2000
max_requests_jitter = 200

# Heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers and systemd).
worker_tmp_dir = "/dev/shm"  # noqa: S108  (a tmpfs, not a shared temporary file)
# gunicorn 23+ opens a control socket under $HOME by default; the service user has no writable home.
control_socket_disable = True

# nginx's address: only from it are X-Forwarded-Proto/-For believed by gunicorn itself. Django reads the same
# headers through SECURE_PROXY_SSL_HEADER and TRUSTED_PROXIES (fayuan.core.client_ip), so one list serves both.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1") or "127.0.0.1,::1"

# Logs to stderr: journald keeps them (journalctl -u fayuan-web). The access log names the path only: no query
# string (search terms, tokens, ID numbers typed into a search box), no referrer (which carries the previous
# page's query string), no client address (nginx's own access log has it; the audit log is the record of access).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "fayuan-web"
