"""An agent whose five-step pipeline checkpoints after every step. At step 3 its GPU falls
off the bus and its process must be restarted; the new process (generation 1) loads the
checkpoint and carries on from step 4 — each step is written to STEPS_FILE once, never
twice — then completes the task, which drops its checkpoints."""
import os
import signal
import sys
import threading

from rebound_client import Rebound

STEPS = ["fetch", "clean", "train", "evaluate", "publish"]
broken = "--broken" in sys.argv
generation = int(os.environ.get("AGENT_GENERATION", "0"))
steps_file = os.environ["STEPS_FILE"]
rebound = Rebound(heartbeat_interval=0.2, kind="gpu-worker", advertise_health=False)


@rebound.on_restart
def restart(call):
    print("restart asked with checkpoints", [(c["task"], c["version"]) for c in call.checkpoints], flush=True)
    sys.argv = [a for a in sys.argv if a != "--broken"]
    os.environ["AGENT_GENERATION"] = str(generation + 1)
    return rebound.restart_process()


saved = rebound.load_checkpoint("pipeline")
done = saved["state"]["done"] if saved else []
print("generation", generation, "resumes after", done, flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
for step in STEPS:
    if step in done:
        continue
    if broken and step == "evaluate":
        for job in range(3):
            rebound.report_error("gpu_fault", "GPU fell off the bus: xid 79", "critical", {"step": step})
        break
    with open(steps_file, "a") as out:
        out.write(step + "\n")
    done = done + [step]
    rebound.save_checkpoint("pipeline", {"done": done, "generation": generation}).result(timeout=10)
else:
    rebound.complete_task("pipeline").result(timeout=10)
    print("finished", flush=True)
stop.wait()
rebound.close()
