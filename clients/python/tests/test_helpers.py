import asyncio
import logging
import tempfile
import unittest

from rebound_client import (CircuitBreaker, CircuitOpen, ReboundHandler, RetryPolicy, handle_errors, retry)


class Recorder:
    """Stands where a seeds' agent stands: an object with ``report_error``."""

    def __init__(self, config=None):
        self.reports = []
        self.breakers = {}
        self.config = config or {}

    def report_error(self, error_type, message, severity="medium", context=None):
        self.reports.append((error_type, message, severity, context))
        return True

    def breaker_changed(self, name, state):
        self.breakers[name] = state


class Agent(Recorder):

    @handle_errors
    def connect(self, host):
        raise ConnectionError("refused by %s" % host)

    @handle_errors(behavior="default", default={"status": "error"})
    def parse(self, text):
        raise ValueError("bad input: " + text)

    @handle_errors(behavior="default", default=0)
    async def fetch(self):
        raise TimeoutError("took too long")


class HandleErrorsTests(unittest.TestCase):

    def test_reports_and_raises_as_the_seeds_do(self):
        agent = Agent()
        with self.assertRaises(ConnectionError):
            agent.connect("db-1")
        error_type, message, severity, context = agent.reports[0]
        self.assertEqual((error_type, message, severity), ("ConnectionError", "refused by db-1", "high"))
        self.assertEqual(context["function"], "connect")
        self.assertEqual(context["args"], "('db-1',)")
        self.assertIn("Traceback", context["traceback"])

    def test_reports_and_returns_the_default(self):
        agent = Agent()
        self.assertEqual(agent.parse("x"), {"status": "error"})
        self.assertEqual(agent.reports[0][:3], ("ValueError", "bad input: x", "medium"))

    def test_async_functions_too(self):
        agent = Agent()
        self.assertEqual(asyncio.run(agent.fetch()), 0)
        self.assertEqual(agent.reports[0][:3], ("TimeoutError", "took too long", "high"))

    def test_follows_the_agents_config_when_the_decorator_says_nothing(self):
        agent = Agent({"error_behavior": "default", "default_return_value": "fallback"})
        self.assertEqual(agent.connect("db-2"), "fallback")

    def test_an_explicit_client_reports(self):
        recorder = Recorder()

        @handle_errors(client=recorder, behavior="default")
        def work():
            raise KeyError("k")

        self.assertIsNone(work())
        self.assertEqual(recorder.reports[0][0], "KeyError")


class LoggingTests(unittest.TestCase):

    def test_reports_error_records_with_their_tracebacks_and_ignores_lower_levels(self):
        recorder = Recorder()
        logger = logging.getLogger("tests.logging")
        logger.propagate = False
        logger.addHandler(ReboundHandler(recorder))
        logger.warning("only a warning")
        try:
            {}["missing"]
        except KeyError:
            logger.exception("lookup failed")
        logger.critical("disk gone")
        self.assertEqual([(r[0], r[1], r[2]) for r in recorder.reports],
                         [("KeyError", "lookup failed", "high"), ("log_critical", "disk gone", "critical")])
        self.assertIn("KeyError", recorder.reports[0][3]["traceback"])


class RetryTests(unittest.TestCase):

    def test_delays_grow_by_strategy_and_stay_under_the_cap(self):
        self.assertEqual([RetryPolicy(backoff="fixed", base_delay=2).delay(n) for n in (1, 2, 3)], [2, 2, 2])
        self.assertEqual([RetryPolicy(backoff="linear", base_delay=2).delay(n) for n in (1, 2, 3)], [2, 4, 6])
        self.assertEqual([RetryPolicy(backoff="exponential", base_delay=1, max_delay=5).delay(n)
                          for n in (1, 2, 3, 4)], [1, 2, 4, 5])
        jittered = RetryPolicy(backoff="exponential_jitter", base_delay=1, jitter_factor=0.1).delay(3)
        self.assertTrue(4 <= jittered <= 4.4)

    def test_retries_until_success(self):
        calls, pauses = [], []

        @retry(max_attempts=3, retry_on=(ConnectionError,), sleep=pauses.append, backoff="fixed")
        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise ConnectionError("again")
            return "ok"

        self.assertEqual(flaky(), "ok")
        self.assertEqual(len(pauses), 2)

    def test_reports_when_exhausted_and_stops_on_stop_exceptions(self):
        recorder, stops = Recorder(), []

        @retry(max_attempts=2, client=recorder, sleep=lambda s: None, stop_on=(ValueError,))
        def broken(kind):
            stops.append(kind)
            raise kind("no")

        with self.assertRaises(OSError):
            broken(OSError)
        self.assertEqual(recorder.reports[0][0], "retry_exhausted")
        with self.assertRaises(ValueError):
            broken(ValueError)
        self.assertEqual(stops, [OSError, OSError, ValueError])


class CircuitBreakerTests(unittest.TestCase):

    def test_opens_half_opens_and_closes_reporting_each_change(self):
        now = [0.0]
        recorder = Recorder()
        breaker = CircuitBreaker("db", failure_threshold=2, success_threshold=2, timeout=10, client=recorder,
                                 clock=lambda: now[0])

        @breaker
        def query(ok):
            if not ok:
                raise ConnectionError("down")
            return "rows"

        for _ in range(2):
            with self.assertRaises(ConnectionError):
                query(False)
        self.assertEqual(breaker.state, "open")
        with self.assertRaises(CircuitOpen):
            query(True)
        now[0] = 11
        self.assertEqual(query(True), "rows")
        self.assertEqual(breaker.state, "half_open")
        self.assertEqual(query(True), "rows")
        self.assertEqual(breaker.state, "closed")
        self.assertEqual([r[0] for r in recorder.reports], ["circuit_open", "circuit_half_open", "circuit_closed"])
        self.assertEqual(recorder.breakers, {"db": "closed"})

    def test_a_failure_while_half_open_opens_again_and_works_as_a_context_manager(self):
        now = [0.0]
        breaker = CircuitBreaker("api", failure_threshold=1, timeout=5, client=Recorder(), clock=lambda: now[0])
        with self.assertRaises(OSError):
            with breaker:
                raise OSError("x")
        now[0] = 6
        with self.assertRaises(OSError):
            with breaker:
                raise OSError("still")
        self.assertEqual(breaker.state, "open")

    def test_async_functions_too(self):
        breaker = CircuitBreaker("async", failure_threshold=1, client=Recorder())

        @breaker
        async def call():
            raise TimeoutError()

        with self.assertRaises(TimeoutError):
            asyncio.run(call())
        with self.assertRaises(CircuitOpen):
            asyncio.run(call())


if __name__ == "__main__":
    unittest.main()


class CircuitBreakTests(unittest.TestCase):
    """Rebound's ``circuit-break`` verb, handled by the client itself."""

    def setUp(self):
        from rebound_client import Rebound
        self.rebound = Rebound(agent_id="breaker-agent", url="http://127.0.0.1:9", register=False,
                               control_port=0, control_host="127.0.0.1", control_secret="s" * 32,
                               heartbeat_interval=60, spool_dir=tempfile.mkdtemp())
        self.addCleanup(lambda: self.rebound.close(timeout=0.1))

    def test_it_opens_every_breaker_for_the_time_rebound_gives_then_lets_canaries_through(self):
        from rebound_client._control import ControlCall
        now = [100.0]
        breaker = CircuitBreaker("payments", success_threshold=2, timeout=600, client=self.rebound,
                                 clock=lambda: now[0])
        self.assertEqual(self.rebound._heartbeat_body()["circuit_breakers"], {"payments": "closed"})

        answer = self.rebound._handlers["circuit-break"](
            ControlCall("circuit-break", {"parameters": {"open_for_ms": "2000"}}))

        self.assertIn("opened 1 circuit breakers for 2.0 s", answer.detail)
        self.assertEqual(self.rebound._heartbeat_body()["circuit_breakers"], {"payments": "open"})
        with self.assertRaises(CircuitOpen):
            breaker.before()
        now[0] += 2.5  # Rebound's 2 s, not the breaker's own 600 s
        with breaker:
            pass
        self.assertEqual(breaker.state, "half_open")
        with breaker:
            pass
        self.assertEqual(self.rebound._heartbeat_body()["circuit_breakers"], {"payments": "closed"})

    def test_without_breakers_it_is_not_applicable(self):
        from rebound_client import NotApplicable
        from rebound_client._control import ControlCall
        with self.assertRaises(NotApplicable):
            self.rebound._handlers["circuit-break"](ControlCall("circuit-break", {"parameters": {}}))

    def test_a_handler_for_a_further_verb_is_declared_in_a_new_registration(self):
        self.assertEqual(self.rebound.registration["verbs"], ["circuit-break"])
        self.rebound.registered.set()
        self.rebound.on_fallback(lambda call: True)
        self.rebound.on_take_over(lambda call: True)
        self.rebound.on_restart(lambda call: True)
        self.assertEqual(self.rebound.registration["verbs"], ["circuit-break", "fallback", "take-over"])
        self.assertFalse(self.rebound.registered.is_set(), "registers again at the next heartbeat")
