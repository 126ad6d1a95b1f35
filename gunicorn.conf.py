"""gunicorn settings for `make serve`; every value can be overridden from the environment."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# Long reports and evidence loads run as background jobs, so a request that takes this long is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so that one leaking request cannot grow a worker for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only trust X-Forwarded-* from the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Do not include the Server version header.
proc_name = "vrhub"
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# gunicorn's control socket (a per-user path by default) would clash between two servers on one host.
control_socket_disable = True
