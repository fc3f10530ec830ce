"""How events and heartbeats reach Rebound: its REST API, or Kafka directly."""

import email.utils
import json
import time
import urllib.error
import urllib.request


class Retry(Exception):
    """Delivery failed for now; try again after ``after`` seconds (or the back-off)."""

    def __init__(self, reason, after=None):
        super().__init__(reason)
        self.after = after


class Rejected(Exception):
    """Rebound refused these events for good (a ``400``): ``bad`` are their indexes."""

    def __init__(self, reason, bad):
        super().__init__(reason)
        self.bad = bad


def _retry_after(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


class HttpTransport:
    name = "http"

    def __init__(self, url, key=None, timeout=10.0):
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("User-Agent", "rebound-client-python")
        if self.key:
            request.add_header("X-API-Key", self.key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            payload = error.read()
            if error.code in (429, 503) or error.code >= 500:
                raise Retry("%s %s -> %d" % (method, path, error.code), _retry_after(error.headers.get("Retry-After")))
            return error.code, payload
        except (OSError, urllib.error.URLError) as error:
            raise Retry("%s %s failed: %s" % (method, path, error))

    def send_events(self, events):
        status, payload = self._request("POST", "/api/errors", events)
        if status == 202:
            return
        if status == 400:
            try:
                problem = json.loads(payload)
                bad = sorted({e.get("index") for e in problem.get("errors", []) if isinstance(e, dict)} - {None})
            except ValueError:
                bad = []
            raise Rejected("Rebound refused the events: %s" % payload[:500].decode("utf-8", "replace"),
                           bad or list(range(len(events))))
        # 401/403/413 and the like: nothing the agent can mend by waiting, but an operator can.
        raise Retry("POST /api/errors -> %d %s" % (status, payload[:300].decode("utf-8", "replace")), 30.0)

    def send_heartbeat(self, agent_id, body):
        status, payload = self._request("POST", "/api/agents/%s/heartbeat" % agent_id, body)
        if status != 202:
            raise Retry("heartbeat -> %d %s" % (status, payload[:300].decode("utf-8", "replace")))

    def register(self, registration):
        status, payload = self._request("POST", "/api/agents", registration)
        if status == 400:
            raise ValueError("Rebound refused the registration: %s" % payload.decode("utf-8", "replace"))
        if status >= 300:
            raise Retry("POST /api/agents -> %d" % status)

    def close(self, timeout=None):
        pass


class KafkaTransport:
    """Publishes to ``<prefix>.errors.<severity>`` and ``<prefix>.heartbeats`` with the
    agent id as the key, through ``confluent_kafka`` (or ``kafka-python``)."""

    name = "kafka"

    def __init__(self, bootstrap, prefix="rebound", agent_id=None, http=None, timeout=10.0, config=None):
        self.prefix = prefix
        self.agent_id = agent_id
        self.http = http  # registration still goes over REST, when a URL is given
        self.timeout = timeout
        try:
            import confluent_kafka

            settings = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                        "linger.ms": 20, "message.timeout.ms": int(timeout * 1000)}
            settings.update(config or {})
            self._producer = confluent_kafka.Producer(settings)
            self._kind = "confluent"
        except ImportError:
            import kafka

            self._producer = kafka.KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20,
                                                 **(config or {}))
            self._kind = "kafka-python"

    def _publish(self, records):
        failures = []
        if self._kind == "confluent":
            def report(error, _message):
                if error is not None:
                    failures.append(str(error))

            for topic, value in records:
                self._producer.produce(topic, key=self.agent_id.encode(), value=value, on_delivery=report)
            remaining = self._producer.flush(self.timeout)
            if remaining:
                raise Retry("Kafka: %d records not delivered within %.0f s" % (remaining, self.timeout))
        else:
            futures = [self._producer.send(t, key=self.agent_id.encode(), value=v) for t, v in records]
            for future in futures:
                try:
                    future.get(timeout=self.timeout)
                except Exception as error:  # kafka-python raises its own KafkaError types
                    failures.append(str(error))
        if failures:
            raise Retry("Kafka: %s" % failures[0])

    def send_events(self, events):
        self._publish([("%s.errors.%s" % (self.prefix, e["severity"]),
                        json.dumps(e, ensure_ascii=False).encode("utf-8")) for e in events])

    def send_heartbeat(self, agent_id, body):
        self._publish([("%s.heartbeats" % self.prefix, json.dumps(body).encode("utf-8"))])

    def register(self, registration):
        if self.http is not None:
            self.http.register(registration)

    def close(self, timeout=None):
        if self._kind == "confluent":
            self._producer.flush(timeout or 0)
        else:
            self._producer.close(timeout)
