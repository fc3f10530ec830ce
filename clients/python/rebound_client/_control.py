"""The control endpoint: Rebound's signed recovery calls, dispatched to the agent's callbacks."""

import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("rebound_client")

MAX_BODY = 64 * 1024


class NotApplicable(Exception):
    """Raised by a callback: this action does not apply here (answered ``409``)."""


class Accepted:
    """Returned by a callback that goes on working after it answers (``202``)."""

    def __init__(self, detail="accepted"):
        self.detail = detail


class ControlCall:
    """One call of Rebound's: the verb and the body of the control contract."""

    def __init__(self, verb, body):
        self.verb = verb
        self.body = body
        self.run_id = body.get("run_id")
        self.attempt_id = body.get("attempt_id")
        self.incident_id = body.get("incident_id")
        self.level = body.get("level")
        self.strategy = body.get("strategy")
        self.parameters = body.get("parameters") or {}
        self.deadline = body.get("deadline")
        # for a restart: the newest checkpoint of each task, to resume from
        self.checkpoints = body.get("checkpoints") or []

    def __repr__(self):
        return "ControlCall(%s, level=%s, strategy=%s, attempt=%s)" % (self.verb, self.level, self.strategy,
                                                                        self.attempt_id)


def signature(secret, method, path, timestamp, body):
    """``v1=`` and the hex HMAC-SHA256 of ``METHOD\\nPATH\\nTIMESTAMP\\nBODY``, as Rebound signs."""
    message = ("%s\n%s\n%s\n" % (method, path, timestamp)).encode("utf-8") + body
    return "v1=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret, method, path, headers, body, max_skew=300.0, now=None):
    """Why the call must be refused, or ``None`` when it is Rebound's own and fresh."""
    if not secret:
        return "no control secret is configured here (REBOUND_CONTROL_SECRET)"
    timestamp = headers.get("X-Rebound-Timestamp")
    given = headers.get("X-Rebound-Signature")
    if not timestamp or not given:
        return "unsigned call"
    try:
        at = int(timestamp)
    except ValueError:
        return "bad timestamp"
    now = time.time() if now is None else now
    if abs(now - at) > max_skew:
        return "timestamp %d is %.0f s from this host's clock (more than %.0f s): stale, or a clock is wrong" % (
            at, now - at, max_skew)
    if not hmac.compare_digest(signature(secret, method, path, timestamp, body), given):
        return "wrong signature"
    return None


class ControlServer:
    """An HTTP server on its own thread: ``POST <prefix>/<verb>`` signed by Rebound,
    ``GET /health`` from a callback. Each attempt is carried out once: a call repeated
    with the same ``attempt_id`` gets the first answer again."""

    def __init__(self, host, port, secret, handlers, health, prefix="/control", max_skew=300.0):
        self.secret = secret
        self.handlers = handlers
        self.health = health
        self.prefix = prefix.rstrip("/")
        self.max_skew = max_skew
        self.calls = []  # every dispatched call, newest last (bounded)
        self._answers = OrderedDict()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                log.debug("control: " + fmt, *args)

            def _answer(self, status, body):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.split("?")[0] != "/health":
                    return self._answer(404, {"error": "not found"})
                status, body = server._health()
                self._answer(status, body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    return self._answer(413, {"error": "body over 64 KiB"})
                body = self.rfile.read(length)
                path = self.path.split("?")[0]
                why = verify(server.secret, "POST", path, self.headers, body, server.max_skew)
                if why is not None:
                    log.warning("rebound_client: refused a control call to %s: %s", path, why)
                    return self._answer(401, {"error": why})
                if not path.startswith(server.prefix + "/"):
                    return self._answer(404, {"error": "not found"})
                verb = path[len(server.prefix) + 1:]
                try:
                    call = ControlCall(verb, json.loads(body or b"{}"))
                except ValueError:
                    return self._answer(400, {"error": "body is not JSON"})
                status, answer = server._dispatch(call)
                self._answer(status, answer)

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="rebound-control",
                                        daemon=True)
        self._thread.start()

    def _health(self):
        if self.health is None:
            return 200, {"status": "ok"}
        try:
            result = self.health()
        except Exception as error:
            return 503, {"status": "failing", "error": str(error)}
        ok, detail = (result if isinstance(result, tuple) else (result, {}))
        return (200 if ok else 503), dict(detail or {}, status="ok" if ok else "failing")

    def _dispatch(self, call):
        key = call.attempt_id and (call.attempt_id, call.verb)
        with self._lock:
            if key and key in self._answers:
                return self._answers[key]
        handler = self.handlers.get(call.verb)
        if handler is None:
            answer = (409, {"error": "no handler for '%s' here" % call.verb})
        else:
            try:
                result = handler(call)
                if isinstance(result, Accepted):
                    answer = (202, {"status": "accepted", "detail": result.detail})
                elif result is False:
                    answer = (500, {"status": "failed"})
                else:
                    answer = (200, {"status": "done"})
            except NotApplicable as error:
                answer = (409, {"error": str(error) or "not applicable"})
            except Exception as error:
                log.exception("rebound_client: the %s handler failed", call.verb)
                answer = (500, {"status": "failed", "error": "%s: %s" % (type(error).__name__, error)})
        with self._lock:
            self.calls.append(call)
            del self.calls[:-1000]
            if key:
                self._answers[key] = answer
                while len(self._answers) > 1000:
                    self._answers.popitem(last=False)
        return answer

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()
