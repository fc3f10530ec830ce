"""Task checkpoints: saved in the background, newest state per task wins, read back with
their SHA-256 checked."""
import hashlib
import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import Future

log = logging.getLogger("rebound_client")


class CheckpointCorrupt(Exception):
    """The bytes read back do not have the SHA-256 Rebound says they were saved with."""


class Checkpoints:
    """Saves checkpoints off the caller's thread: ``save`` serializes the state (so later
    changes to it do not leak in) and returns at once with a ``Future``; one thread PUTs
    them, the newest state of a task replacing one not yet sent, and retries with back-off
    while Rebound cannot be reached."""

    def __init__(self, url, key, agent_id, timeout=10.0, max_backoff=30.0):
        self.url = url.rstrip("/")
        self.key = key
        self.base = "/api/agents/%s/checkpoints/" % urllib.parse.quote(agent_id, safe="")
        self.timeout = timeout
        self.max_backoff = max_backoff
        self._pending = {}  # task -> (method, body bytes or None, [futures]), not yet sent
        self._inflight = None
        self._lock = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="rebound-checkpoints", daemon=True)
        self._thread.start()

    # --- the caller's side -------------------------------------------------------------
    def save(self, task, state):
        if not isinstance(state, dict):
            raise TypeError("a checkpoint is a dict (a JSON object), not %s" % type(state).__name__)
        body = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self._enqueue(task, "PUT", body)

    def complete(self, task):
        return self._enqueue(task, "DELETE", None)

    def load(self, task, version=None):
        """The task's newest checkpoint (or that version) as a dict with its ``version``
        and ``sha256``, or ``None`` when there is none."""
        path = self.base + urllib.parse.quote(task, safe="")
        if version is not None:
            path += "?version=%d" % int(version)
        status, headers, payload = self._request("GET", path, None)
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError("GET checkpoint %s -> %d %s" % (task, status, payload[:300].decode("utf-8", "replace")))
        sha = headers.get("X-Rebound-Checkpoint-Sha256")
        if sha != hashlib.sha256(payload).hexdigest():
            raise CheckpointCorrupt("checkpoint %s: the bytes read do not have SHA-256 %s" % (task, sha))
        return {"task": task, "version": int(headers.get("X-Rebound-Checkpoint-Version")), "sha256": sha,
                "state": json.loads(payload)}

    def flush(self, timeout=5.0):
        """Waits until every checkpoint asked for was sent; whether they were."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._pending and self._inflight is None, timeout)

    def close(self, timeout=2.0):
        self.flush(timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def _enqueue(self, task, method, body):
        future = Future()
        with self._lock:
            earlier = self._pending.get(task)
            futures = (earlier[2] if earlier else []) + [future]
            self._pending[task] = (method, body, futures)
            self._lock.notify_all()
        return future

    # --- the thread ----------------------------------------------------------------------
    def _run(self):
        backoff = 0.5
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                task = next(iter(self._pending))
                method, body, futures = self._pending.pop(task)
                self._inflight = task
            try:
                status, _headers, payload = self._request(method, self.base + urllib.parse.quote(task, safe=""), body)
            except OSError as error:
                status, payload = None, str(error).encode("utf-8")
            # a 404 on a PUT: Rebound does not know the agent yet (its registration, sent
            # by the heartbeat thread, has not landed): wait for it like for an outage
            if status is None or status == 429 or status >= 500 or (method == "PUT" and status == 404):
                with self._lock:
                    newer = self._pending.get(task)
                    # a newer state of the task replaces this one; its callers hear with it
                    self._pending[task] = (newer[0], newer[1], futures + newer[2]) if newer else (method, body, futures)
                    self._inflight = None
                    if self._closed:
                        self._fail_all("closed before the checkpoint of %s was sent" % task)
                        return
                    self._lock.wait(backoff)
                backoff = min(self.max_backoff, backoff * 2)
                log.debug("rebound_client: checkpoint %s not sent (%s); trying again", task, status)
                continue
            backoff = 0.5
            ok = status in (201, 204) or (method == "DELETE" and status == 404)
            for future in futures:
                if ok:
                    future.set_result(json.loads(payload) if status == 201 else None)
                else:
                    future.set_exception(RuntimeError("%s checkpoint %s -> %d %s" % (
                        method, task, status, payload[:300].decode("utf-8", "replace"))))
            with self._lock:
                self._inflight = None
                self._lock.notify_all()

    def _fail_all(self, why):
        for _method, _body, futures in self._pending.values():
            for future in futures:
                future.set_exception(RuntimeError(why))
        self._pending.clear()
        self._lock.notify_all()

    def _request(self, method, path, body):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("User-Agent", "rebound-client-python")
        if self.key:
            request.add_header("X-API-Key", self.key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()
