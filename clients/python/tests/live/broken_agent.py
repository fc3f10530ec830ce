"""An agent whose GPU fell off the bus ("xid 79"): it says so three times, and its process
must be restarted. Rebound's ladder restarts it through the client's signed control
endpoint; the new process (generation 1) starts clean and proves it is well by its
heartbeats and its silence. (It does not keep reporting until the restart: an error
reported between Rebound's decision and the call's arrival would count against the
verification, and the test would depend on that race.)"""
import os
import signal
import sys
import threading

from rebound_client import Rebound

broken = "--broken" in sys.argv
generation = int(os.environ.get("AGENT_GENERATION", "0"))
# No health_url: probes in the restart's gap would keep it degraded past the test context's
# 1 s stabilization window. Rebound judges it by its heartbeats and its errors.
rebound = Rebound(heartbeat_interval=0.2, kind="gpu-worker", advertise_health=False)


@rebound.on_restart
def restart(call):
    print("restart asked:", call, flush=True)
    sys.argv = [a for a in sys.argv if a != "--broken"]
    os.environ["AGENT_GENERATION"] = str(generation + 1)
    return rebound.restart_process()


print("generation", generation, "broken", broken, "control", rebound.registration.get("control_url"), flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
if broken:
    for job in range(3):
        rebound.report_error("gpu_fault", "GPU fell off the bus: xid 79", "critical", {"job": job})
stop.wait()
rebound.close()
