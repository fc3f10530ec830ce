"""Reports events on command from standard input, so a test can stop and start Rebound in
between: `report N` (events with context.seq counting on), `flush SECONDS`, `quit`."""
import sys

from rebound_client import Rebound

rebound = Rebound(heartbeat_interval=1.0, control=False)
seq = 0
for line in sys.stdin:
    command = line.split()
    if not command:
        continue
    if command[0] == "report":
        for _ in range(int(command[1])):
            rebound.report_error("job_failed", "job %d failed" % seq, "low", {"seq": seq})
            seq += 1
        print("reported", seq, flush=True)
    elif command[0] == "flush":
        print("flushed", rebound.flush(float(command[1])), rebound.stats(), flush=True)
    elif command[0] == "quit":
        break
rebound.close()
