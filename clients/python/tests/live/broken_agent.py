"""An agent whose work fails ("xid 79") until its process is restarted: the fault lives in
memory, so a fresh process is cured. Rebound's ladder restarts it through the client's
control endpoint (signed), and the new process proves it is well by its heartbeats."""
import os
import signal
import sys
import threading

from rebound_client import Rebound

broken = "--broken" in sys.argv
generation = int(os.environ.get("AGENT_GENERATION", "0"))
restarting = threading.Event()
# No health_url: probes in the restart's gap would keep it degraded past the test context's
# 1 s stabilization window. Rebound judges it by its heartbeats and its errors.
rebound = Rebound(heartbeat_interval=0.2, kind="gpu-worker", advertise_health=False)


@rebound.on_restart
def restart(call):
    print("restart asked:", call, flush=True)
    restarting.set()  # the work stops while the process restarts
    sys.argv = [a for a in sys.argv if a != "--broken"]
    os.environ["AGENT_GENERATION"] = str(generation + 1)
    return rebound.restart_process()


print("generation", generation, "broken", broken, "control", rebound.registration.get("control_url"), flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
while not stop.wait(0.5):
    if broken and not restarting.is_set():
        rebound.report_error("gpu_fault", "GPU fell off the bus: xid 79", "critical", {"generation": generation})
rebound.close()
