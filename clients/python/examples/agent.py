"""The seeds' RequestCoordinator (000 §5.4), rewritten with rebound_client.

    REBOUND_URL=http://localhost:8080 REBOUND_KEY=rbk_… REBOUND_CONTROL_SECRET=rbs_… \\
        python3 examples/agent.py
"""
import signal
import threading

from rebound_client import Rebound, handle_errors

rebound = Rebound("request-coordinator", kind="coordinator", depends_on=[], heartbeat_interval=2.0)
rebound.on_retry(lambda call: print("Rebound asks for a retry:", call))
rebound.on_restart(lambda call: rebound.restart_process())


class RequestCoordinator:
    def __init__(self):
        self.report_error = rebound.report_error  # what @handle_errors reports through
        self.config = {"error_behavior": "default", "default_return_value": {"status": "error"}}

    @handle_errors
    def process_request(self, request):
        if "type" not in request:
            self.report_error("invalid_request", "Invalid request format: %s" % request, severity="low")
            return {"status": "error", "message": "Invalid request format"}
        if request["type"] == "text":
            return {"status": "ok", "text": request["text"].upper()}
        if request["type"] == "remote":
            raise ConnectionError("Connection refused to model-orchestrator:7000")
        self.report_error("unsupported_request_type", "Unsupported request type: %s" % request["type"], "low")
        return {"status": "error", "message": "Unsupported request type: %s" % request["type"]}


if __name__ == "__main__":
    coordinator = RequestCoordinator()
    for request in ({"type": "text", "text": "hi"}, {"text": "no type"}, {"type": "remote"}, {"type": "video"}):
        print(coordinator.process_request(request))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    rebound.close()  # says "stopping": leaving is not a failure
