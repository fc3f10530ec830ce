import json
import unittest
from datetime import datetime, timezone

from rebound_client import _event


class EventTests(unittest.TestCase):

    def test_carries_the_seeds_payload_with_its_own_event_id_and_a_utc_timestamp(self):
        event = _event.make_event("planner-1", "timeout", "LLM call timed out", "high", {"request": 7})
        self.assertEqual(event["source"], "planner-1")
        self.assertEqual(event["type"], "timeout")
        self.assertEqual(event["severity"], "high")
        self.assertEqual(event["message"], "LLM call timed out")
        self.assertEqual(event["context"], {"request": 7})
        self.assertIsNotNone(datetime.fromisoformat(event["timestamp"]).utcoffset())
        self.assertNotEqual(event["event_id"], _event.make_event("a", "t", "m")["event_id"])

    def test_event_ids_are_version_7_in_the_order_they_were_made(self):
        import uuid
        first = uuid.UUID(_event.make_event("a", "t", "m")["event_id"])
        then = _event.event_id(epoch_ms=1_764_583_200_000)
        self.assertEqual(first.version, 7)
        self.assertEqual(first.variant, uuid.RFC_4122)
        self.assertEqual(then.int >> 80, 1_764_583_200_000)
        self.assertLess(_event.event_id(epoch_ms=1_764_583_200_000).int >> 80,
                        _event.event_id(epoch_ms=1_764_583_200_001).int >> 80)
        self.assertLess(then.int >> 80, first.int >> 80)
        self.assertEqual(len({_event.event_id(epoch_ms=5) for _ in range(10_000)}), 10_000)

    def test_trims_a_long_message_to_8_kib_with_a_marker(self):
        event = _event.make_event("a", "t", "é" * 10_000)
        self.assertLessEqual(len(event["message"].encode("utf-8")), 8192)
        self.assertTrue(event["message"].endswith(_event.TRIM_MARKER))

    def test_trims_a_huge_context_to_64_kib_and_keeps_its_keys(self):
        event = _event.make_event("a", "t", "m", context={"traceback": "x" * 200_000, "job": 4})
        self.assertLessEqual(len(json.dumps(event["context"], ensure_ascii=False).encode("utf-8")), 65536)
        self.assertEqual(event["context"]["job"], 4)
        self.assertIn("rebound_trimmed", event["context"])

    def test_mends_what_the_contract_would_refuse(self):
        event = _event.make_event("a", "x" * 100, "", "FATAL", context=["not", "an", "object"])
        self.assertEqual(len(event["type"]), 64)
        self.assertEqual(event["message"], "(no message)")
        self.assertEqual(event["severity"], "medium")
        self.assertEqual(event["context"]["severity_given"], "fatal")
        self.assertEqual(event["context"]["value"], ["not", "an", "object"])

    def test_context_values_json_cannot_write_become_text(self):
        event = _event.make_event("a", "t", "m", context={"when": datetime(2026, 1, 2)})
        self.assertEqual(event["context"]["when"], "2026-01-02 00:00:00")

    def test_an_event_is_sent_with_its_age_by_the_agents_clock_at_most_a_day(self):
        then = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc).timestamp()
        for stamp in ("2026-12-01T10:00:00+00:00", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00"):
            event = dict(_event.make_event("a", "t", "m"), timestamp=stamp)
            self.assertEqual(_event.with_age(event, then + 90)["age_ms"], 90000, stamp)
            self.assertNotIn("age_ms", event, "the event itself is left as it was")
        event = dict(_event.make_event("a", "t", "m"), timestamp="2026-12-01T10:00:00+00:00")
        self.assertEqual(_event.with_age(event, then - 5)["age_ms"], 0)
        self.assertEqual(_event.with_age(event, then + 3 * 86400)["age_ms"], 86400000)
        self.assertNotIn("age_ms", _event.with_age(dict(event, timestamp="yesterday"), then))

    def test_refuses_an_agent_id_outside_the_contract(self):
        with self.assertRaises(ValueError):
            _event.check_agent_id("no spaces allowed")


if __name__ == "__main__":
    unittest.main()
