"""The background worker: reporting never blocks or raises in the agent."""

import collections
import json
import logging
import random
import threading
import time

from . import _event

from ._transport import Rejected, Retry

log = logging.getLogger("rebound_client")


def _size(event):
    """About how many bytes the event takes on the wire (the message and context dominate)."""
    return len(event["message"]) + len(json.dumps(event.get("context") or {}, default=str)) + 200


class Backoff:
    """Exponential back-off with full jitter: 0.5 s doubling to 30 s."""

    def __init__(self, base=0.5, cap=30.0):
        self.base, self.cap, self.failures = base, cap, 0

    def next(self, hint=None):
        self.failures += 1
        if hint is not None:
            return min(max(hint, 0.0), 300.0)
        return random.uniform(0, min(self.cap, self.base * (2 ** (self.failures - 1))))

    def reset(self):
        self.failures = 0


class Worker:
    """Drains a bounded queue in batches; keeps events in order, and in the spool while
    the transport is away. Events dropped (queue or spool full) are counted and reported
    once delivery works again."""

    def __init__(self, transport, spool, agent_id, queue_size=10_000, batch_size=500,
                 batch_bytes=4 * 1024 * 1024, interval=1.0, tick=0.1, max_backoff=30.0):
        # A deque, not a queue.Queue: appending takes a few hundred nanoseconds and no lock,
        # and the caller never wakes the worker (that costs microseconds and a thread
        # switch): the worker looks every ``tick`` and sends once the oldest report waited
        # ``interval``, a batch is full, or someone flushes — one request a second at most
        # while reports trickle in, which keeps the background work small.
        self.transport = transport
        self.spool = spool
        self.agent_id = agent_id
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes
        self.interval = interval
        self.tick = tick
        self._since = None
        self._hurry = False
        self.queue = collections.deque()
        self.queue_size = queue_size
        self.dropped_queue = 0
        self.rejected = 0
        self.delivered = 0
        self._reported_drops = 0
        self._backoff = Backoff(cap=max_backoff)
        self._next_try = 0.0
        self._closing = threading.Event()
        self._stopped = False
        self._drain = threading.Lock()
        self._idle = threading.Condition()
        self._busy = 0
        self._overflow_event = None
        self.local_log = None  # called with each captured report, on this thread
        self._thread = threading.Thread(target=self._run, name="rebound-worker", daemon=True)
        self._thread.start()

    # --- caller's side -------------------------------------------------------------
    def offer(self, captured):
        """Queues a captured report (see ``_event.capture``) or a finished event."""
        queue = self.queue
        if len(queue) >= self.queue_size:
            self.dropped_queue += 1
            return False
        queue.append(captured)
        if self._stopped:
            # close() drained the queue once the thread ended; what came after, this does:
            # a report made while the agent closes its client (say, for a restart) is kept
            self._spool_queued()
        return True

    def pending(self):
        return len(self.queue) + self._busy + len(self.spool)

    def flush(self, timeout):
        """Waits until everything queued was delivered, or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.queue and self._busy == 0 and self.spool.empty():
                return True
            self._hurry = True
            time.sleep(0.01)
        return False

    def close(self, timeout):
        delivered = self.flush(timeout)
        self._closing.set()
        self._thread.join(max(0.5, timeout))
        # What is still in memory is not lost: it waits in the spool for the next start,
        # and so does every report made from now on.
        self._stopped = True
        self._spool_queued()
        return delivered

    def _spool_queued(self):
        with self._drain:
            rest = []
            while self.queue:
                rest.append(self._finished(self.queue.popleft()))
            if rest:
                self.spool.append(rest)

    # --- the thread ----------------------------------------------------------------
    def _finished(self, item):
        if isinstance(item, dict):
            return item
        if self.local_log is not None:
            try:
                self.local_log(item)
            except Exception:
                pass
        return _event.finish(self.agent_id, item)

    def _take(self):
        if not self.queue:
            self._since = None
            self._closing.wait(self.tick)
            return []
        now = time.monotonic()
        if self._since is None:
            self._since = now
        if len(self.queue) < self.batch_size and not self._hurry and now - self._since < self.interval:
            self._closing.wait(self.tick)
            return []
        self._since, self._hurry = None, False
        batch, size = [], 0
        while self.queue and len(batch) < self.batch_size and size < self.batch_bytes:
            event = self._finished(self.queue.popleft())
            batch.append(event)
            size += _size(event)
        self._busy = len(batch)
        return batch

    def _run(self):
        while not self._closing.is_set():
            batch = self._take()
            try:
                if batch:
                    if not self.spool.empty() or time.monotonic() < self._next_try:
                        self.spool.append(batch)  # keep order behind what waits already
                    elif not self._deliver(batch):
                        self.spool.append(batch)
                self._busy = 0
                if not self.spool.empty() and time.monotonic() >= self._next_try:
                    self._replay()
                if self._next_try == 0.0:
                    self._report_drops()
            except Exception:  # never let the worker die
                log.exception("rebound_client: unexpected error in the worker")
                self._busy = 0
                time.sleep(self.interval)

    def _replay(self):
        while not self._closing.is_set():
            events, lines = self.spool.peek(self.batch_size)
            if lines == 0:
                return
            if events and not self._deliver(events):
                return
            self.spool.delivered(lines)

    def _deliver(self, events):
        try:
            now = time.time()
            self.transport.send_events([_event.with_age(e, now) for e in events])
        except Retry as retry:
            delay = self._backoff.next(retry.after)
            self._next_try = time.monotonic() + delay
            if self._backoff.failures in (1, 10) or self._backoff.failures % 100 == 0:
                log.warning("rebound_client: %s; keeping %d events, next try in %.1f s", retry,
                            len(events), delay)
            return False
        except Rejected as rejected:
            bad = set(rejected.bad)
            self.rejected += len(bad)
            log.error("rebound_client: %d event(s) refused by Rebound and dropped: %s", len(bad), rejected)
            good = [e for i, e in enumerate(events) if i not in bad]
            if good and len(good) < len(events):
                return self._deliver(good)
        except Exception as error:  # a transport bug must not lose the events
            delay = self._backoff.next()
            self._next_try = time.monotonic() + delay
            log.warning("rebound_client: delivery failed (%r); next try in %.1f s", error, delay)
            return False
        else:
            self.delivered += len(events)
        self._backoff.reset()
        self._next_try = 0.0
        return True

    def _report_drops(self):
        dropped = self.dropped_queue + self.spool.dropped
        if dropped > self._reported_drops and self._overflow_event is not None:
            lost = dropped - self._reported_drops
            event = self._overflow_event(lost, self.dropped_queue, self.spool.dropped)
            if self._deliver([event]):
                self._reported_drops = dropped
