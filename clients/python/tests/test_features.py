import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rebound_client._features import Features
from rebound_client._transport import HttpTransport


class FakeRebound:
    """Answers GET /api/degradation with whatever the test set last; counts the reads."""

    def __init__(self):
        self.answer = None
        self.reads = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.reads += 1
                if fake.answer is None:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps(fake.answer).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def degradation(level, off):
    return {"level": level, "features": [
        {"name": "checkout", "enabled": "checkout" not in off, "why": off.get("checkout", [])},
        {"name": "search", "enabled": "search" not in off, "why": off.get("search", [])}]}


class FeaturesTests(unittest.TestCase):

    def setUp(self):
        self.rebound = FakeRebound()
        self.features = Features(HttpTransport(self.rebound.url, timeout=2.0), interval=0.05)
        self.changes = []

    def tearDown(self):
        self.features.close()
        self.rebound.close()

    def test_a_feature_is_on_until_rebound_says_it_is_off_and_the_last_answer_holds_while_it_is_away(self):
        self.assertTrue(self.features.is_enabled("checkout"), "before any answer")
        self.rebound.answer = degradation("severe", {"checkout": ["payments is failed"]})
        self.assertTrue(wait(lambda: not self.features.is_enabled("checkout")))
        self.assertTrue(self.features.is_enabled("search"))
        self.assertTrue(self.features.is_enabled("not-in-the-map"))
        self.assertEqual(self.features.level(), "severe")

        self.rebound.answer = None  # Rebound answers 503 now
        reads = self.rebound.reads
        self.assertTrue(wait(lambda: self.rebound.reads > reads + 2))
        self.assertFalse(self.features.is_enabled("checkout"))

    def test_callbacks_hear_each_feature_go_off_and_come_back_once(self):
        self.features.on_change(lambda feature, enabled, why: self.changes.append((feature, enabled, why)))
        self.rebound.answer = degradation("full", {})
        self.assertTrue(wait(lambda: self.features.polled.is_set()))
        self.rebound.answer = degradation("minimal", {"checkout": ["payments is being recovered (healthy)"],
                                                      "search": ["index is critical"]})
        self.assertTrue(wait(lambda: len(self.changes) == 2))
        self.rebound.answer = degradation("moderate", {"search": ["index is critical"]})
        self.assertTrue(wait(lambda: len(self.changes) == 3))
        time.sleep(0.3)

        self.assertEqual(self.changes, [("checkout", False, ["payments is being recovered (healthy)"]),
                                        ("search", False, ["index is critical"]),
                                        ("checkout", True, [])])

    def test_a_failing_callback_does_not_stop_the_others(self):
        def broken(*_):
            raise RuntimeError("boom")
        self.features.on_change(broken)
        self.features.on_change(lambda feature, enabled, why: self.changes.append(feature))
        self.rebound.answer = degradation("severe", {"checkout": ["payments is failed"]})

        self.assertTrue(wait(lambda: self.changes == ["checkout"]))


def wait(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


if __name__ == "__main__":
    unittest.main()
