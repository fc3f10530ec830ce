import json
import os
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rebound_client import _event
from rebound_client._spool import Spool
from rebound_client._transport import HttpTransport, Retry
from rebound_client._worker import Worker


class Receiver:
    """A local HTTP receiver that answers /api/errors as scripted, recording what came."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, headers = receiver.answers.pop(0) if receiver.answers else (202, {})
                if status == 202:
                    receiver.received.extend(body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def events(n, start=0):
    return [_event.make_event("agent-1", "job_failed", "job %d failed" % i, "low", {"seq": i})
            for i in range(start, start + n)]


class SpoolTests(unittest.TestCase):

    def test_replays_in_order_and_survives_a_new_process(self):
        directory = tempfile.mkdtemp()
        Spool(directory, segment_bytes=2000).append(events(50))
        spool = Spool(directory, segment_bytes=2000)
        seen = []
        while True:
            batch, lines = spool.peek(7)
            if lines == 0:
                break
            seen.extend(e["context"]["seq"] for e in batch)
            spool.delivered(lines)
        self.assertEqual(seen, list(range(50)))
        self.assertTrue(spool.empty())

    def test_skips_a_line_torn_by_a_crash(self):
        directory = tempfile.mkdtemp()
        spool = Spool(directory)
        spool.append(events(1))
        with open(os.path.join(directory, "000000000001.jsonl"), "a") as f:
            f.write('{"seq": 2')
        spool.append(events(1, 3))
        batch, lines = spool.peek(10)
        self.assertEqual(lines, 3)
        self.assertEqual([e["context"]["seq"] for e in batch], [0, 3])

    def test_drops_the_oldest_when_full_and_counts_them(self):
        spool = Spool(tempfile.mkdtemp(), max_bytes=20_000, segment_bytes=5_000)
        for i in range(20):
            spool.append(events(10, i * 10))
        self.assertLessEqual(spool.size(), 20_000 + 5_000)
        self.assertGreater(spool.dropped, 0)
        batch, _ = spool.peek(1)
        self.assertEqual(batch[0]["context"]["seq"], spool.dropped, "the oldest went first")
        self.assertEqual(len(spool) + spool.dropped, 200)


class WorkerTests(unittest.TestCase):

    def test_honours_retry_after_and_delivers_everything_once_in_order(self):
        receiver = Receiver([(503, {"Retry-After": "1"}), (429, {"Retry-After": "0"})])
        worker = Worker(HttpTransport(receiver.url), Spool(tempfile.mkdtemp()), "agent-1")
        try:
            started = time.monotonic()
            for event in events(300):
                worker.offer(event)
            self.assertTrue(worker.flush(10))
            self.assertGreaterEqual(time.monotonic() - started, 1.0, "waited as Retry-After said")
            self.assertEqual([e["context"]["seq"] for e in receiver.received], list(range(300)))
        finally:
            worker.close(1)
            receiver.close()

    def test_spools_while_unreachable_and_replays_once_it_answers(self):
        spool_dir = tempfile.mkdtemp()
        worker = Worker(HttpTransport("http://127.0.0.1:9"), Spool(spool_dir), "agent-1")
        for event in events(100):
            worker.offer(event)
        self.assertFalse(worker.flush(1.5))
        worker.close(0.5)
        self.assertEqual(len(Spool(spool_dir)), 100, "nothing lost when the process ends")
        receiver = Receiver([])
        worker = Worker(HttpTransport(receiver.url), Spool(spool_dir), "agent-1")
        try:
            for event in events(20, 100):
                worker.offer(event)
            self.assertTrue(worker.flush(10))
            self.assertEqual([e["context"]["seq"] for e in receiver.received], list(range(120)))
            # each says how long it was held, so Rebound places it when it was reported
            self.assertTrue(all(1500 <= e["age_ms"] <= 60000 for e in receiver.received[:100]))
            self.assertTrue(all(0 <= e["age_ms"] < 1500 for e in receiver.received[100:]))
        finally:
            worker.close(1)
            receiver.close()

    def test_reports_made_while_and_after_it_closes_wait_in_the_spool_for_the_next_start(self):
        spool_dir = tempfile.mkdtemp()
        closing = Worker(HttpTransport("http://127.0.0.1:9"), Spool(spool_dir), "agent-1")
        queued = []
        batch = events(2010)

        def report(items):
            for event in items:
                if closing.offer(event):
                    queued.append(event["context"]["seq"])

        reporter = threading.Thread(target=report, args=(batch[:2000],))
        reporter.start()
        closing.close(0.2)
        reporter.join()
        report(batch[2000:])
        self.assertIn(2009, queued, "after close, reports are taken (into the spool)")
        receiver = Receiver([])
        worker = Worker(HttpTransport(receiver.url), Spool(spool_dir), "agent-1")
        try:
            self.assertTrue(worker.flush(10))
            self.assertEqual([e["context"]["seq"] for e in receiver.received], queued)
        finally:
            worker.close(1)
            receiver.close()

    def test_a_full_queue_drops_without_blocking_and_is_reported_once_back(self):
        held = threading.Event()

        class Held(Worker):
            def _take(self):
                if not held.is_set():
                    time.sleep(0.01)
                    return []
                return Worker._take(self)

        receiver = Receiver([])
        worker = Held(HttpTransport(receiver.url), Spool(tempfile.mkdtemp()), "agent-1", queue_size=5)
        worker._overflow_event = lambda lost, q, s: _event.make_event("agent-1", "events_dropped", "%d" % lost)
        started = time.perf_counter()
        results = [worker.offer(e) for e in events(8)]
        self.assertLess(time.perf_counter() - started, 0.5)
        self.assertEqual(results, [True] * 5 + [False] * 3)
        held.set()
        try:
            self.assertTrue(worker.flush(5))
            deadline = time.monotonic() + 5
            while len(receiver.received) < 6 and time.monotonic() < deadline:
                time.sleep(0.01)
            kinds = [(e["type"], e["message"]) for e in receiver.received]
            self.assertEqual(kinds.count(("events_dropped", "3")), 1)
            self.assertEqual([m for t, m in kinds if t == "job_failed"], ["job %d failed" % i for i in range(5)])
            self.assertEqual(len(kinds), 6)
        finally:
            worker.close(0.5)
            receiver.close()

    def test_a_refused_event_is_dropped_and_the_rest_delivered(self):
        class Refusing(HttpTransport):
            def _request(self, method, path, body=None):
                bad = [i for i, e in enumerate(body) if e["type"] == "bad"]
                if bad:
                    return 400, json.dumps({"errors": [{"index": i} for i in bad]}).encode()
                self.sent = getattr(self, "sent", []) + body
                return 202, b"{}"

        transport = Refusing("http://unused")
        worker = Worker(transport, Spool(tempfile.mkdtemp()), "agent-1")
        batch = events(3)
        batch[1]["type"] = "bad"
        for event in batch:
            worker.offer(event)
        self.assertTrue(worker.flush(5))
        worker.close(0.5)
        self.assertEqual([e["context"]["seq"] for e in transport.sent], [0, 2])
        self.assertEqual(worker.rejected, 1)

    def test_an_unreachable_rebound_is_a_retry_not_an_error(self):
        with self.assertRaises(Retry):
            HttpTransport("http://127.0.0.1:9", timeout=1).send_events(events(1))


if __name__ == "__main__":
    unittest.main()
