import json
import time
import unittest
import urllib.error
import urllib.request

from rebound_client import Accepted, NotApplicable, signature
from rebound_client._control import ControlServer

SECRET = "rbs_unit-test-secret"

# The same vector is checked on Rebound's side (ControlSecretsTests), so both sides sign alike.
VECTOR = ("rbs_test", "POST", "/control/restart", 1700000000, b'{"attempt_id":"a-1"}')
# computed independently: printf 'POST\n/control/restart\n1700000000\n{"attempt_id":"a-1"}' | openssl dgst -sha256 -hmac rbs_test
VECTOR_SIGNATURE = "v1=7f920e54be6c4a8861dc5a74bfd598ff01432eff9e8a9cb86fcc9d8b8f96f83e"


def call(port, path, body, secret=SECRET, timestamp=None, signed=True, tamper=False):
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method="POST")
    if signed:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request.add_header("X-Rebound-Timestamp", ts)
        request.add_header("X-Rebound-Signature", signature(secret, "POST", path, ts, data + (b" " if tamper else b"")))
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class ControlServerTests(unittest.TestCase):

    def setUp(self):
        self.done = []
        handlers = {
            "retry": lambda c: self.done.append(c),
            "restart": lambda c: (self.done.append(c), Accepted("restarting"))[1],
            "reload": lambda c: (_ for _ in ()).throw(NotApplicable("no configuration to reload")),
            "scale": lambda c: False,
        }
        self.server = ControlServer("127.0.0.1", 0, SECRET, handlers, lambda: (True, {"jobs": 3}))

    def tearDown(self):
        self.server.close()

    def test_signature_matches_the_shared_vector(self):
        self.assertEqual(signature(*VECTOR), VECTOR_SIGNATURE)

    def test_dispatches_a_signed_call_to_its_callback_with_the_contract_body(self):
        status, answer = call(self.server.port, "/control/retry",
                              {"attempt_id": "a-1", "level": 1, "strategy": "retry", "parameters": {"x": "1"}})
        self.assertEqual((status, answer["status"]), (200, "done"))
        self.assertEqual(self.done[0].level, 1)
        self.assertEqual(self.done[0].parameters, {"x": "1"})

    def test_refuses_unsigned_wrongly_signed_and_stale_calls(self):
        self.assertEqual(call(self.server.port, "/control/retry", {}, signed=False)[0], 401)
        self.assertEqual(call(self.server.port, "/control/retry", {}, secret="rbs_someone-else")[0], 401)
        self.assertEqual(call(self.server.port, "/control/retry", {}, tamper=True)[0], 401)
        self.assertEqual(call(self.server.port, "/control/retry", {}, timestamp=int(time.time()) - 301)[0], 401)
        self.assertEqual(self.done, [])

    def test_refuses_everything_when_no_secret_is_configured(self):
        server = ControlServer("127.0.0.1", 0, None, {"retry": lambda c: self.done.append(c)}, None)
        try:
            status, answer = call(server.port, "/control/retry", {})
            self.assertEqual(status, 401)
            self.assertIn("no control secret", answer["error"])
            self.assertEqual(self.done, [])
        finally:
            server.close()

    def test_answers_each_outcome_with_the_contracts_status(self):
        self.assertEqual(call(self.server.port, "/control/restart", {"attempt_id": "r"})[0], 202)
        self.assertEqual(call(self.server.port, "/control/reload", {})[0], 409)
        self.assertEqual(call(self.server.port, "/control/scale", {})[0], 500)
        self.assertEqual(call(self.server.port, "/control/rollback", {})[0], 409)

    def test_carries_an_attempt_out_once_even_when_called_again(self):
        first = call(self.server.port, "/control/retry", {"attempt_id": "same"})
        again = call(self.server.port, "/control/retry", {"attempt_id": "same"})
        self.assertEqual(first, again)
        self.assertEqual(len(self.done), 1)

    def test_answers_health_from_the_callback(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/health" % self.server.port, timeout=5) as response:
            self.assertEqual(json.loads(response.read()), {"jobs": 3, "status": "ok"})


if __name__ == "__main__":
    unittest.main()
