"""@handle_errors in both behaviours, a logging handler, and a crash hook — then a clean stop."""
import logging
import sys

from rebound_client import Rebound, ReboundHandler, handle_errors

rebound = Rebound(heartbeat_interval=0.5)
logging.getLogger("app").addHandler(ReboundHandler())


@handle_errors
def connect(host):
    raise ConnectionError("Connection refused to %s:5432" % host)


@handle_errors(behavior="default", default="fallback")
def parse(text):
    raise ValueError("cannot parse %r" % text)


try:
    connect("db")
except ConnectionError:
    pass
assert parse("x?") == "fallback"
try:
    {}["model"]
except KeyError:
    logging.getLogger("app").exception("model lookup failed")
ok = rebound.flush(20)
rebound.close()
print("flushed", ok, rebound.stats())
sys.exit(0 if ok else 1)
