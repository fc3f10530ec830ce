"""The seeds' resilience helpers, small and dependency-free: ``retry`` and
``circuit_breaker``. Exhausted retries and breaker state changes are reported to Rebound
(through the client created last, or the one given) and breaker states ride along in
heartbeats."""

import asyncio
import functools
import random
import threading
import time

from . import _client

FIXED, LINEAR, EXPONENTIAL, EXPONENTIAL_JITTER = "fixed", "linear", "exponential", "exponential_jitter"


class RetryPolicy:
    def __init__(self, max_attempts=3, base_delay=1.0, max_delay=60.0, backoff=EXPONENTIAL_JITTER,
                 jitter_factor=0.1, retry_on=(Exception,), stop_on=()):
        if backoff not in (FIXED, LINEAR, EXPONENTIAL, EXPONENTIAL_JITTER):
            raise ValueError("backoff must be one of fixed, linear, exponential, exponential_jitter")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts, self.base_delay, self.max_delay = max_attempts, base_delay, max_delay
        self.backoff, self.jitter_factor = backoff, jitter_factor
        self.retry_on, self.stop_on = tuple(retry_on), tuple(stop_on)

    def delay(self, attempt):
        """The pause after the ``attempt``-th failure (1-based)."""
        if self.backoff == FIXED:
            d = self.base_delay
        elif self.backoff == LINEAR:
            d = self.base_delay * attempt
        else:
            d = self.base_delay * (2 ** (attempt - 1))
        d = min(d, self.max_delay)
        if self.backoff == EXPONENTIAL_JITTER:
            d += random.uniform(0, d * self.jitter_factor)
            d = min(d, self.max_delay)
        return d

    def retryable(self, error):
        return isinstance(error, self.retry_on) and not isinstance(error, self.stop_on)


NETWORK = RetryPolicy(max_attempts=5, base_delay=0.5, max_delay=10.0,
                      retry_on=(ConnectionError, TimeoutError, OSError))
DATABASE = RetryPolicy(max_attempts=3, base_delay=1.0, max_delay=15.0,
                       retry_on=(ConnectionError, TimeoutError, OSError))
API = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=30.0,
                  retry_on=(ConnectionError, TimeoutError, OSError))


class RetryExhausted(Exception):
    pass


def _report(client, error_type, message, severity, context):
    target = client or _client.current()
    if target is not None:
        target.report_error(error_type, message, severity, context)


def retry(policy=None, client=None, sleep=time.sleep, **settings):
    """Retries the function on the policy's exceptions with its back-off; the last error
    is re-raised once attempts run out, after reporting ``retry_exhausted``. Sync and
    async. ``retry(max_attempts=5, backoff="linear")`` or ``retry(NETWORK)``."""
    policy = policy or RetryPolicy(**settings)

    def exhausted(fn, attempt, error):
        _report(client, "retry_exhausted", "%s failed %d times: %s" % (fn.__name__, attempt, error), "high",
                {"function": fn.__name__, "attempts": attempt, "error_type": type(error).__name__})

    def decorate(fn):
        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                for attempt in range(1, policy.max_attempts + 1):
                    try:
                        return await fn(*args, **kwargs)
                    except Exception as error:
                        if not policy.retryable(error):
                            raise
                        if attempt == policy.max_attempts:
                            exhausted(fn, attempt, error)
                            raise
                        await asyncio.sleep(policy.delay(attempt))
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for attempt in range(1, policy.max_attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except Exception as error:
                    if not policy.retryable(error):
                        raise
                    if attempt == policy.max_attempts:
                        exhausted(fn, attempt, error)
                        raise
                    sleep(policy.delay(attempt))
        return wrapper

    return decorate


retry_network = retry(NETWORK)
retry_database = retry(DATABASE)
retry_api = retry(API)


class CircuitOpen(Exception):
    """The breaker is open: the call was not made."""


CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    """closed → open after ``failure_threshold`` failures in a row; open → half-open
    after ``timeout`` seconds; half-open → closed after ``success_threshold`` successes,
    or back to open on a failure. A decorator and a context manager; sync and async."""

    def __init__(self, name, failure_threshold=5, success_threshold=2, timeout=60.0, expected=(Exception,),
                 client=None, clock=time.monotonic):
        self.name = name
        self.failure_threshold, self.success_threshold, self.timeout = failure_threshold, success_threshold, timeout
        self.expected = tuple(expected)
        self.client = client
        self.clock = clock
        self.state = CLOSED
        self.failures = self.successes = 0
        self.opened_at = None
        self._open_for = None
        self._lock = threading.Lock()
        target = self.client or _client.current()
        if hasattr(target, "watch_breaker"):
            # known to the client from the start: its state rides in the heartbeats and
            # Rebound's circuit-break can open it
            target.watch_breaker(self)

    def _change(self, state):
        old, self.state = self.state, state
        target = self.client or _client.current()
        if target is not None:
            if hasattr(target, "watch_breaker"):
                target.watch_breaker(self)
            target.breaker_changed(self.name, state)
            severity = "high" if state == OPEN else "low"
            target.report_error("circuit_" + state, "circuit breaker '%s': %s -> %s" % (self.name, old, state),
                                severity, {"breaker": self.name, "from": old, "to": state,
                                           "failures": self.failures})

    def force_open(self, for_seconds=None):
        """Opens the breaker now, for ``for_seconds`` (else its ``timeout``) before it
        lets canary calls through half-open."""
        with self._lock:
            self.opened_at = self.clock()
            self._open_for = for_seconds
            self._change(OPEN)

    def force_close(self):
        with self._lock:
            self.failures = self.successes = 0
            self._change(CLOSED)

    def before(self):
        with self._lock:
            if self.state == OPEN:
                timeout = self._open_for if self._open_for is not None else self.timeout
                if self.clock() - self.opened_at < timeout:
                    raise CircuitOpen("circuit breaker '%s' is open" % self.name)
                self.successes = 0
                self._open_for = None
                self._change(HALF_OPEN)

    def success(self):
        with self._lock:
            if self.state == HALF_OPEN:
                self.successes += 1
                if self.successes >= self.success_threshold:
                    self.failures = 0
                    self._change(CLOSED)
            else:
                self.failures = 0

    def failure(self, error):
        if not isinstance(error, self.expected):
            return
        with self._lock:
            self.failures += 1
            if self.state == HALF_OPEN or (self.state == CLOSED and self.failures >= self.failure_threshold):
                self.opened_at = self.clock()
                self._change(OPEN)

    def __enter__(self):
        self.before()
        return self

    def __exit__(self, error_type, error, tb):
        if error is None:
            self.success()
        else:
            self.failure(error)
        return False

    def __call__(self, fn):
        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                with self:
                    return await fn(*args, **kwargs)
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapper


_breakers = {}
_breakers_lock = threading.Lock()


def circuit_breaker(name, **settings):
    """The process's breaker of this name (created with ``settings`` the first time)."""
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, **settings)
        return _breakers[name]
