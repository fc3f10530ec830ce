"""Graceful degradation on the agent's side: which features of Rebound's feature map are
off, read from ``GET /api/degradation`` by a thread of its own, and callbacks when one
goes off or comes back on."""
import json
import logging
import threading

from ._transport import Retry

log = logging.getLogger("rebound_client")


class Features:
    """Polls Rebound's degradation every ``interval`` seconds once started. A feature is
    enabled unless Rebound's last answer said it is off: before the first answer and for a
    name not in the map the agent keeps its normal path; while Rebound cannot be reached
    the last answer holds."""

    def __init__(self, http, interval):
        self.http = http
        self.interval = interval
        self._off = {}  # feature -> why (list), as last read
        self._level = None
        self._callbacks = []
        self._lock = threading.Lock()
        self._started = False
        self._stopping = threading.Event()
        self._thread = None
        self.polled = threading.Event()

    def start(self):
        with self._lock:
            if self._started:
                return
            self._started = True
        self._thread = threading.Thread(target=self._run, name="rebound-degradation", daemon=True)
        self._thread.start()

    def is_enabled(self, feature):
        self.start()
        return feature not in self._off

    def level(self):
        self.start()
        return self._level

    def on_change(self, callback):
        with self._lock:
            self._callbacks.append(callback)
        self.start()
        return callback

    def poll(self):
        """Reads the degradation once; calls back for every feature that changed."""
        status, payload = self.http._request("GET", "/api/degradation")
        if status != 200:
            raise Retry("GET /api/degradation -> %d %s" % (status, payload[:300].decode("utf-8", "replace")))
        answer = json.loads(payload)
        off = {f["name"]: list(f.get("why") or []) for f in answer.get("features", []) if not f.get("enabled", True)}
        before = self._off
        self._off = off
        self._level = answer.get("level")
        changes = [(name, False, off[name]) for name in off if name not in before]
        changes += [(name, True, []) for name in before if name not in off]
        with self._lock:
            callbacks = list(self._callbacks)
        for feature, enabled, why in sorted(changes):
            for callback in callbacks:
                try:
                    callback(feature, enabled, why)
                except Exception:
                    log.exception("rebound_client: a feature callback failed")
        self.polled.set()

    def _run(self):
        while not self._stopping.is_set():
            try:
                self.poll()
            except Exception as error:
                log.debug("rebound_client: reading the degradation failed: %s", error)
            self._stopping.wait(self.interval)

    def close(self):
        self._stopping.set()
