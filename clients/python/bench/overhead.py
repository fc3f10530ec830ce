"""What rebound_client costs the agent: report_error on the caller's thread (transport up and
down), the background work at 100 events/s, and memory while Rebound is away.

    REBOUND_URL=http://localhost:8080 [REBOUND_KEY=…] python3 bench/overhead.py

Prints one line per figure. The ``up`` figures need a live Rebound at REBOUND_URL; the
service's ``./mvnw -Pbench verify -Dtest=ClientOverheadBenchmark`` starts one and runs this.
"""
import logging
import os
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from rebound_client import Rebound  # noqa: E402

logging.getLogger("rebound_client").setLevel(logging.CRITICAL)  # the client's own warnings while down


def thread_cpu(thread):
    """A thread's CPU time so far (user + system), from /proc: Linux only."""
    with open("/proc/self/task/%d/stat" % thread.native_id) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(name, url, **options):
    return Rebound(name, url=url, key=os.environ.get("REBOUND_KEY"), control=False, heartbeat_interval=5.0,
                   spool_dir=tempfile.mkdtemp(prefix="rebound-bench-"), **options)


def latencies(rebound, count=5000, pace=0.001):
    samples = []
    context = {"request_id": 1, "host": "bench"}
    for i in range(500):  # warm-up, then (transport up) a pause until it is delivered
        rebound.report_error("timeout", "call %d timed out after 30s" % i, "high", context)
    rebound.flush(10)
    time.sleep(2)
    for i in range(count):
        message = "call %d timed out after 30s" % i
        started = time.perf_counter_ns()
        rebound.report_error("timeout", message, "high", context)
        samples.append(time.perf_counter_ns() - started)
        time.sleep(pace)
    samples.sort()
    return samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000, samples[-1] / 1000


def main():
    up = os.environ.get("REBOUND_URL", "http://localhost:8080")
    down = "http://127.0.0.1:9"
    null = logging.getLogger("bench.local")
    null.addHandler(logging.FileHandler(os.devnull))
    null.propagate = False
    for transport, url in (("up", up), ("down", down)):
        for local in (False, True):
            rebound = client("bench-py-%s-%s" % (transport, "log" if local else "nolog"), url, log_locally=local,
                             logger=null)
            p50, p99, worst = latencies(rebound)
            print("python report_error transport=%s local_log=%s: p50 %.1f us, p99 %.1f us, max %.0f us"
                  % (transport, "file" if local else "off", p50, p99, worst), flush=True)
            rebound.close(timeout=10 if transport == "up" else 0.5)

    rebound = client("bench-py-rate", up, log_locally=False)
    background = [rebound.worker._thread, rebound._heart]
    cpu, wall = time.process_time(), time.monotonic()
    threads_before = sum(thread_cpu(t) for t in background)
    sent = 0
    while time.monotonic() - wall < 10:
        rebound.report_error("timeout", "call %d timed out" % sent, "low", {"n": sent})
        sent += 1
        time.sleep(max(0.0, wall + sent / 100 - time.monotonic()))
    delivered = rebound.flush(10)
    used = time.process_time() - cpu
    threads_used = sum(thread_cpu(t) for t in background) - threads_before
    elapsed = time.monotonic() - wall
    print("python at 100 events/s for %.0f s: %d sent, delivered=%s, background threads (worker, heartbeat) "
          "%.2f%% of a core; the whole process (with the reporting loop) %.2f%%"
          % (elapsed, sent, delivered, 100 * threads_used / elapsed, 100 * used / elapsed), flush=True)
    rebound.close()

    tracemalloc.start()
    rebound = client("bench-py-memory", down, log_locally=False, queue_size=10_000, spool_max_bytes=8 * 1024 * 1024)
    for i in range(100_000):
        rebound.report_error("timeout", "call %d timed out after 30s" % i, "high", {"request_id": i})
        if i % 1000 == 0:
            time.sleep(0.01)
    time.sleep(1)
    current, peak = tracemalloc.get_traced_memory()
    print("python memory with Rebound away, 100,000 events offered (queue 10,000, spool 8 MiB): peak %.1f MiB "
          "traced, spool %.1f MiB on disk, %s" % (peak / 2**20, rebound.spool.size() / 2**20, rebound.stats()),
          flush=True)
    rebound.close(timeout=0.5)


if __name__ == "__main__":
    main()
