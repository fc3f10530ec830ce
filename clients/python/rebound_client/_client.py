"""The entry class: one ``Rebound`` per agent process."""

import atexit
import logging
import os
import socket
import sys
import tempfile
import threading
import time

from . import _event
from ._checkpoints import Checkpoints
from ._control import Accepted, ControlServer, NotApplicable
from ._features import Features
from ._spool import Spool
from ._transport import HttpTransport, KafkaTransport, Retry
from ._worker import Worker

# the verbs every agent with a control endpoint is taken to handle; others are declared
BASIC_VERBS = frozenset(("retry", "reload", "restart", "scale"))

log = logging.getLogger("rebound_client")

_current = None


def current():
    """The client created last in this process, or ``None`` (used by the helpers)."""
    return _current


def _env_list(name):
    value = os.environ.get(name)
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _kafka_available():
    for module in ("confluent_kafka", "kafka"):
        try:
            __import__(module)
            return True
        except ImportError:
            continue
    return False


class Rebound:
    """Makes an agent a good citizen of Rebound: reports its errors without ever
    blocking or raising, registers it, sends its heartbeats, and answers Rebound's
    signed recovery calls through the callbacks it registers.

    Every argument may also come from the environment: ``REBOUND_AGENT_ID``,
    ``REBOUND_URL``, ``REBOUND_KEY``, ``REBOUND_TRANSPORT``, ``REBOUND_KAFKA_BOOTSTRAP``,
    ``REBOUND_TOPIC_PREFIX``, ``REBOUND_KIND``, ``REBOUND_DEPENDS_ON`` (comma-separated),
    ``REBOUND_CRITICALITY``, ``REBOUND_POLICY``, ``REBOUND_VERSION``,
    ``REBOUND_CONTROL_SECRET``, ``REBOUND_CONTROL_PORT``, ``REBOUND_CONTROL_HOST``,
    ``REBOUND_ADVERTISE_HOST``, ``REBOUND_SPOOL_DIR``, ``REBOUND_MAX_BACKOFF`` (seconds).
    """

    def __init__(self, agent_id=None, url=None, key=None, transport=None, kind=None, depends_on=None,
                 criticality=None, policy=None, version=None, labels=None, kafka_bootstrap=None,
                 topic_prefix=None, control_secret=None, control_port=None, control_host=None,
                 advertise_host=None, control=True, advertise_health=True, control_max_skew=300.0,
                 heartbeat_interval=5.0, metrics=None, health=None, spool_dir=None,
                 spool_max_bytes=64 * 1024 * 1024, queue_size=10_000, max_backoff=None, register=True,
                 logger=None, log_locally=True, kafka_config=None, degradation_interval=None):
        env = os.environ.get
        self.agent_id = _event.check_agent_id(agent_id or env("REBOUND_AGENT_ID"))
        self.url = (url or env("REBOUND_URL") or "http://localhost:8080").rstrip("/")
        self.key = key or env("REBOUND_KEY")
        self.prefix = topic_prefix or env("REBOUND_TOPIC_PREFIX", "rebound")
        self.logger = logger or logging.getLogger("rebound_client.agent." + self.agent_id)
        self.log_locally = log_locally
        wanted = transport or env("REBOUND_TRANSPORT")
        if wanted is None:
            wanted = "kafka" if _kafka_available() and (kafka_bootstrap or env("REBOUND_KAFKA_BOOTSTRAP")) else "http"
        if wanted not in ("http", "kafka"):
            raise ValueError("transport must be 'http' or 'kafka', not %r" % (wanted,))
        http = HttpTransport(self.url, self.key)
        if wanted == "kafka":
            bootstrap = kafka_bootstrap or env("REBOUND_KAFKA_BOOTSTRAP", "localhost:9092")
            self.transport = KafkaTransport(bootstrap, self.prefix, self.agent_id, http=http, config=kafka_config)
        else:
            self.transport = http
        self._http = http
        self.registration = {
            "id": self.agent_id,
            "kind": kind or env("REBOUND_KIND") or "agent",
            "depends_on": list(depends_on if depends_on is not None else (_env_list("REBOUND_DEPENDS_ON") or [])),
            "criticality": criticality or env("REBOUND_CRITICALITY") or "important",
            "policy": policy or env("REBOUND_POLICY") or "default",
            "labels": dict(labels or {}),
        }
        version = version or env("REBOUND_VERSION")
        if version:
            self.registration["version"] = version
        self.metrics = metrics
        self._breakers = {}
        self._breaker_objects = {}
        self._handlers = {"circuit-break": self._circuit_break}
        self.registration["verbs"] = ["circuit-break"]
        self.control = None
        if control:
            host = control_host or env("REBOUND_CONTROL_HOST", "0.0.0.0")
            port = int(control_port if control_port is not None else env("REBOUND_CONTROL_PORT", "0"))
            self.control = ControlServer(host, port, control_secret or env("REBOUND_CONTROL_SECRET"),
                                         self._handlers, health, max_skew=control_max_skew)
            advertised = advertise_host or env("REBOUND_ADVERTISE_HOST") or (
                "127.0.0.1" if host in ("127.0.0.1", "localhost") else socket.gethostname())
            base = "http://%s:%d" % (advertised, self.control.port)
            self.registration["control_url"] = base + "/control"
            if advertise_health:
                self.registration["health_url"] = base + "/health"
        spool_dir = spool_dir or env("REBOUND_SPOOL_DIR") or os.path.join(tempfile.gettempdir(), "rebound-spool",
                                                                          self.agent_id)
        self.spool = Spool(spool_dir, max_bytes=spool_max_bytes)
        self.worker = Worker(self.transport, self.spool, self.agent_id, queue_size=queue_size,
                             max_backoff=float(max_backoff if max_backoff is not None
                                               else env("REBOUND_MAX_BACKOFF", "30")))
        self.worker._overflow_event = self._overflow_event
        if log_locally:
            self.worker.local_log = self._log_locally
        self.checkpoints = Checkpoints(self.url, self.key, self.agent_id,
                                       max_backoff=float(max_backoff if max_backoff is not None
                                                         else env("REBOUND_MAX_BACKOFF", "30")))
        self.heartbeat_interval = heartbeat_interval
        self.features = Features(http, float(degradation_interval if degradation_interval is not None
                                             else max(heartbeat_interval, 1.0)))
        self.registered = threading.Event()
        self._register = register
        self._stopping = threading.Event()
        self._closed = False
        self._heart = threading.Thread(target=self._heartbeats, name="rebound-heartbeat", daemon=True)
        self._heart.start()
        global _current
        _current = self
        atexit.register(self.close)

    # --- reporting -----------------------------------------------------------------
    def report_error(self, error_type, message, severity="medium", context=None, category=None):
        """Reports an error to Rebound. Never blocks and never raises: the event goes to a
        bounded queue and a background thread delivers it (and logs it locally).

        Returns ``True`` when it was queued, ``False`` when it was dropped (queue full)."""
        try:
            return self.worker.offer(_event.capture(error_type, message, severity, context, category))
        except Exception as error:  # reporting must never hurt the agent
            try:
                self.logger.error("Failed to report error to Rebound: %s; original error - %s: %s", error,
                                  error_type, message)
            except Exception:
                pass
            return False

    # --- task checkpoints ------------------------------------------------------------
    def save_checkpoint(self, task, state):
        """Saves where a task stands (a dict: its state, progress, results so far, the steps
        done) as the task's next checkpoint version. Returns at once with a ``Future`` of
        what Rebound stored (``version``, ``sha256``…); the newest state of a task replaces
        one not yet sent, and sending is retried while Rebound is away."""
        return self.checkpoints.save(task, state)

    def load_checkpoint(self, task, version=None):
        """The task's newest checkpoint (or that ``version``): ``{"task", "version",
        "sha256", "state"}``, or ``None`` when there is none. Its SHA-256 is checked:
        :class:`CheckpointCorrupt` when the bytes do not match."""
        return self.checkpoints.load(task, version)

    def complete_task(self, task):
        """The task succeeded: its checkpoints are dropped. Returns a ``Future``."""
        return self.checkpoints.complete(task)

    def _log_locally(self, captured):
        """Like the seeds, every report is logged locally too — by the worker, within
        ``interval``, so the agent's logging setup never slows ``report_error`` down."""
        _, error_type, message, severity, _, _ = captured
        if str(severity).lower() in ("critical", "high"):
            self.logger.error("%s: %s", error_type, message)
        else:
            self.logger.warning("%s: %s", error_type, message)

    def flush(self, timeout=5.0):
        """Waits up to ``timeout`` seconds until every reported event was delivered."""
        return self.worker.flush(timeout)

    def stats(self):
        """What the client did so far: delivered, pending, dropped, rejected events."""
        return {"delivered": self.worker.delivered, "pending": self.worker.pending(),
                "dropped_queue_full": self.worker.dropped_queue, "dropped_spool_full": self.spool.dropped,
                "rejected": self.worker.rejected}

    def _overflow_event(self, lost, queue_full, spool_full):
        return _event.make_event(self.agent_id, "events_dropped",
                                 "rebound_client dropped %d events while Rebound could not be reached" % lost,
                                 "medium", {"queue_full": queue_full, "spool_full": spool_full})

    # --- recovery calls ------------------------------------------------------------
    def on(self, verb, handler=None):
        """Registers the callback for a control verb (``retry``, ``reload``, ``restart``,
        ``scale``…); usable as a decorator. The callback gets a ``ControlCall``; it may
        return ``Accepted()`` (still working), ``False`` (failed) or raise
        ``NotApplicable``."""
        def register(fn):
            self._handlers[verb] = fn
            verbs = sorted(v for v in self._handlers if v not in BASIC_VERBS)
            if verbs != self.registration.get("verbs"):
                # Rebound plans strategies like fallback or take-over only for agents
                # that say they handle them: register again with the new verb
                self.registration["verbs"] = verbs
                self.registered.clear()
            return fn
        return register(handler) if handler is not None else register

    def on_retry(self, handler):
        return self.on("retry", handler)

    def on_reload(self, handler):
        return self.on("reload", handler)

    def on_restart(self, handler):
        return self.on("restart", handler)

    def on_scale(self, handler):
        return self.on("scale", handler)

    def on_fallback(self, handler):
        """The callback for ``fallback``: keep running with reduced features."""
        return self.on("fallback", handler)

    def on_take_over(self, handler):
        """The callback for ``take-over`` on a backup: take the work of the agent in
        ``call.parameters["for"]``."""
        return self.on("take-over", handler)

    def _circuit_break(self, call):
        """Rebound's ``circuit-break``: every breaker of this agent's opens for
        ``open_for_ms``, sheds load, then lets canary calls through half-open and closes
        once they succeed; the heartbeats carry each step."""
        breakers = list(self._breaker_objects.values())
        if not breakers:
            raise NotApplicable("this agent has no circuit breakers")
        open_for = float(call.parameters.get("open_for_ms", "30000")) / 1000.0
        for breaker in breakers:
            breaker.force_open(open_for)
        return Accepted("opened %d circuit breakers for %.1f s" % (len(breakers), open_for))

    # --- heartbeats ----------------------------------------------------------------
    def breaker_changed(self, name, state):
        self._breakers[name] = state

    def watch_breaker(self, breaker):
        """Knows this breaker from now on: its state rides in the heartbeats and
        Rebound's ``circuit-break`` opens it."""
        self._breaker_objects[breaker.name] = breaker
        self._breakers.setdefault(breaker.name, breaker.state)

    def _heartbeat_body(self, status="ok"):
        body = {"agent_id": self.agent_id, "status": status}
        if self.metrics is not None and status != "stopping":
            try:
                for field, value in (self.metrics() or {}).items():
                    if field in ("response_time_ms", "error_rate", "queue_depth", "cpu", "memory", "status"):
                        body[field] = value
            except Exception:
                log.exception("rebound_client: the metrics callback failed")
        if self._breakers:
            body["circuit_breakers"] = dict(self._breakers)
        return body

    def _heartbeats(self):
        while not self._stopping.is_set():
            if self._register and not self.registered.is_set():
                try:
                    self.transport.register(self.registration)
                    self.registered.set()
                except ValueError as refused:
                    log.error("rebound_client: %s", refused)
                    self._register = False
                except Retry as retry:
                    log.debug("rebound_client: registration failed for now: %s", retry)
            try:
                self.transport.send_heartbeat(self.agent_id, self._heartbeat_body())
            except Exception as error:
                log.debug("rebound_client: heartbeat failed: %s", error)
            self._stopping.wait(self.heartbeat_interval)

    # --- graceful degradation ----------------------------------------------------------
    def is_enabled(self, feature):
        """Whether ``feature`` of Rebound's feature map is on: ``False`` while an agent it
        needs is down or being recovered, ``True`` again once that recovery is verified.
        Never blocks: the first call starts a thread that reads ``GET /api/degradation``
        every ``degradation_interval`` seconds (default: the heartbeat interval, at least
        1 s). Until its first answer, and for a feature not in the map, it is ``True``: the
        agent keeps its normal path; while Rebound cannot be reached the last answer
        holds."""
        return self.features.is_enabled(feature)

    def degradation_level(self):
        """The fleet's level as last read (``full`` … ``emergency``), or ``None``."""
        return self.features.level()

    def on_feature_change(self, callback):
        """``callback(feature, enabled, why)`` — from the degradation thread — when a
        feature goes off (``why``: Rebound's reasons) or comes back on. Usable as a
        decorator."""
        return self.features.on_change(callback)

    # --- the end -------------------------------------------------------------------
    def restart_process(self, delay=0.05):
        """For an ``on_restart`` callback: answers ``202`` now, then delivers what is
        queued and replaces this process with a fresh run of the same command line."""
        def restart():
            time.sleep(delay)
            self.close(timeout=2.0, stopping=False)
            os.execv(sys.executable, [sys.executable] + sys.argv)
        threading.Thread(target=restart, name="rebound-restart", daemon=True).start()
        return Accepted("restarting the process")

    def close(self, timeout=5.0, stopping=True):
        """Says ``stopping`` (so leaving is not taken for a failure), delivers what is
        queued within ``timeout`` (the rest waits in the spool), and stops."""
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        deadline = time.monotonic() + timeout
        self.features.close()
        self.checkpoints.close(max(0.1, min(2.0, deadline - time.monotonic())))
        self.worker.close(max(0.1, deadline - time.monotonic()))
        if stopping:
            try:
                self.transport.send_heartbeat(self.agent_id, self._heartbeat_body("stopping"))
            except Exception as error:
                log.debug("rebound_client: the stopping heartbeat failed: %s", error)
        if self.control is not None:
            self.control.close()
        self.transport.close(max(0.1, deadline - time.monotonic()))
        global _current
        if _current is self:
            _current = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
