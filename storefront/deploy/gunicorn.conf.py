"""Gunicorn's configuration for the OCOP site: `gunicorn -c storefront/deploy/gunicorn.conf.py`.

Every value can be changed from the environment (the systemd unit's EnvironmentFile), so
this file stays as shipped. The front server (nginx.conf beside this file) terminates TLS,
serves /media/ and forwards everything else here.
"""

import multiprocessing
import os

wsgi_app = "storefront.wsgi:application"
# Loopback by default: only the front server on the same machine talks to gunicorn.
bind = os.environ.get("OCOP_BIND", "127.0.0.1:8000")
# Sync workers: the site's views are short database-bound requests; 2 per core plus one.
workers = int(os.environ.get("OCOP_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("OCOP_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (plus jitter) so a slow leak never grows. Pages
# from the page cache come at hundreds a second per worker: at 2000, workers were replaced every
# few seconds, each replacement a stall of up to a second (bench/RESULTS.md, throughput).
max_requests = int(os.environ.get("OCOP_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Load the application once in the master: workers fork with it ready and a broken settings
# module stops the start instead of every worker failing in turn.
preload_app = True
# X-Forwarded-* are trusted only from the front server.
forwarded_allow_ips = os.environ.get("OCOP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs on stdout/stderr for journald or an aggregator; the access log as one line per request.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("OCOP_GUNICORN_LOG_LEVEL", "info")
# The client's address as nginx saw it (X-Forwarded-For), then the request.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
