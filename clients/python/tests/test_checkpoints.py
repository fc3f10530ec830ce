import hashlib
import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rebound_client._checkpoints import CheckpointCorrupt, Checkpoints


class Stub:
    """Rebound's checkpoint API as far as the client sees it: versions per task, a switch
    that makes it answer 503, and a way to corrupt what it answers."""

    def __init__(self):
        self.versions = {}
        self.puts = []
        self.down = False
        self.unknown_agent = 0  # how many PUTs to answer 404: the agent is not registered yet
        self.corrupt = False
        self.delay = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _task(self):
                return self.path.split("?")[0].rsplit("/", 1)[1]

            def do_PUT(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(stub.delay)
                if stub.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                if stub.unknown_agent > 0:
                    stub.unknown_agent -= 1
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                task = self._task()
                stub.puts.append((task, json.loads(body)))
                versions = stub.versions.setdefault(task, [])
                versions.append(body)
                answer = json.dumps({"task": task, "version": len(versions),
                                     "sha256": hashlib.sha256(body).hexdigest()}).encode()
                self.send_response(201)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self):
                versions = stub.versions.get(self._task())
                if not versions:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = versions[-1]
                sent = b'{"tampered":true}' if stub.corrupt else body
                self.send_response(200)
                self.send_header("X-Rebound-Checkpoint-Version", str(len(versions)))
                self.send_header("X-Rebound-Checkpoint-Sha256", hashlib.sha256(body).hexdigest())
                self.send_header("Content-Length", str(len(sent)))
                self.end_headers()
                self.wfile.write(sent)

            def do_DELETE(self):
                found = stub.versions.pop(self._task(), None)
                self.send_response(204 if found else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]


class CheckpointTests(unittest.TestCase):

    def setUp(self):
        self.stub = Stub()
        self.checkpoints = Checkpoints(self.stub.url, None, "agent-1", max_backoff=0.2)

    def tearDown(self):
        self.checkpoints.close(1.0)
        self.stub.server.shutdown()
        self.stub.server.server_close()

    def test_a_save_returns_at_once_and_its_future_says_what_was_stored(self):
        self.stub.delay = 0.3
        started = time.monotonic()
        future = self.checkpoints.save("train", {"done": ["fetch"]})
        self.assertLess(time.monotonic() - started, 0.1)
        self.assertEqual(future.result(timeout=5)["version"], 1)

    def test_the_state_is_taken_when_saved_not_when_sent(self):
        state = {"done": ["fetch"]}
        future = self.checkpoints.save("train", state)
        state["done"].append("not yet")
        future.result(timeout=5)
        self.assertEqual(self.stub.puts, [("train", {"done": ["fetch"]})])

    def test_while_rebound_is_away_saves_wait_and_the_newest_state_of_a_task_wins(self):
        self.stub.down = True
        first = self.checkpoints.save("train", {"step": 1})
        time.sleep(0.3)
        second = self.checkpoints.save("train", {"step": 2})
        third = self.checkpoints.save("train", {"step": 3})
        time.sleep(0.3)
        self.assertFalse(first.done())
        self.stub.down = False
        for future in (first, second, third):
            future.result(timeout=5)
        self.assertTrue(self.checkpoints.flush(5))
        self.assertEqual(self.stub.puts[-1], ("train", {"step": 3}))
        self.assertNotIn(("train", {"step": 2}), self.stub.puts, "a state replaced before it was sent is not sent")

    def test_a_save_before_the_agents_registration_landed_waits_for_it(self):
        self.stub.unknown_agent = 2
        future = self.checkpoints.save("train", {"done": ["fetch"]})
        self.assertEqual(future.result(timeout=5)["version"], 1)
        self.assertEqual(self.stub.unknown_agent, 0)

    def test_load_checks_the_hash_of_what_it_read(self):
        self.checkpoints.save("train", {"done": ["fetch", "clean"]}).result(timeout=5)
        loaded = self.checkpoints.load("train")
        self.assertEqual(loaded["state"], {"done": ["fetch", "clean"]})
        self.assertEqual(loaded["version"], 1)
        self.stub.corrupt = True
        with self.assertRaises(CheckpointCorrupt):
            self.checkpoints.load("train")

    def test_no_checkpoint_is_none_and_completing_drops_them(self):
        self.assertIsNone(self.checkpoints.load("never"))
        self.checkpoints.save("train", {"x": 1}).result(timeout=5)
        self.checkpoints.complete("train").result(timeout=5)
        self.assertIsNone(self.checkpoints.load("train"))

    def test_a_checkpoint_is_a_dict(self):
        with self.assertRaises(TypeError):
            self.checkpoints.save("train", ["not", "an", "object"])


if __name__ == "__main__":
    unittest.main()
