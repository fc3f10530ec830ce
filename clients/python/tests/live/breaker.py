"""An agent whose calls to an overloaded inventory service fail while it is called. Its
circuit breaker never opens on its own (the threshold is too high to reach), so its error
rate stays high until Rebound's ``circuit-break`` opens it: the load is shed, the service
recovers after half a second, the breaker lets canary calls through half-open and closes
when they succeed. Prints each state it sees."""
import signal
import threading
import time

from rebound_client import CircuitBreaker, CircuitOpen, Rebound

counts = {"calls": 0, "failures": 0}
lock = threading.Lock()


def metrics():
    with lock:
        calls, failures = counts["calls"], counts["failures"]
        counts["calls"] = counts["failures"] = 0
    return {"error_rate": (failures / calls) if calls else 0.0}


rebound = Rebound(heartbeat_interval=0.2, kind="checkout-py", advertise_health=False, metrics=metrics)
breaker = CircuitBreaker("inventory", failure_threshold=10 ** 9, success_threshold=3, timeout=600, client=rebound)
shed_since = [None]


def inventory():
    with lock:
        counts["calls"] += 1
    recovered = shed_since[0] is not None and time.monotonic() - shed_since[0] > 0.5
    if not recovered:
        with lock:
            counts["failures"] += 1
        raise ConnectionError("inventory timed out")


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
seen = None
n = 0
while not stop.is_set():
    try:
        with breaker:
            inventory()
    except CircuitOpen:
        if shed_since[0] is None:
            shed_since[0] = time.monotonic()
    except ConnectionError:
        n += 1
        if n % 10 == 1:
            rebound.report_error("inventory_unavailable", "inventory timed out", "high")
    if breaker.state != seen:
        seen = breaker.state
        print("breaker", seen, flush=True)
    stop.wait(0.02)
rebound.close()
