"""Events as Rebound's contract v1 wants them: trimmed to its limits rather than refused."""

import json
import os
import re
import time
import uuid
from datetime import datetime, timezone

SEVERITIES = ("critical", "high", "medium", "low", "info")
AGENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z")
MAX_TYPE = 64
MAX_MESSAGE_BYTES = 8192
MAX_CONTEXT_BYTES = 64 * 1024
TRIM_MARKER = "…[trimmed by rebound_client]"


def check_agent_id(agent_id):
    if not isinstance(agent_id, str) or not AGENT_ID.match(agent_id):
        raise ValueError("agent_id %r is not an agent id ([A-Za-z0-9._:-]{1,128})" % (agent_id,))
    return agent_id


def now_iso():
    """The time now in UTC, with its offset, so no clock zone is guessed."""
    return datetime.now(timezone.utc).isoformat()


def trim_utf8(text, limit):
    """The text cut to at most ``limit`` bytes of UTF-8, ending with the marker when cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    marker = TRIM_MARKER.encode("utf-8")
    return data[: limit - len(marker)].decode("utf-8", "ignore") + TRIM_MARKER


def _context(context):
    if context is None:
        return {}
    if not isinstance(context, dict):
        context = {"value": context}
    text = json.dumps(context, default=str, ensure_ascii=False)
    if len(text.encode("utf-8")) <= MAX_CONTEXT_BYTES:
        return json.loads(text)
    # Too big: keep the keys, cut every long string until it fits.
    trimmed = json.loads(text)
    budget = MAX_CONTEXT_BYTES // max(1, len(trimmed)) - 64
    for key, value in list(trimmed.items()):
        encoded = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if len(encoded.encode("utf-8")) > budget:
            trimmed[key] = trim_utf8(encoded, max(budget, 64))
    trimmed["rebound_trimmed"] = "context of %d bytes cut to fit 64 KiB" % len(text.encode("utf-8"))
    if len(json.dumps(trimmed, ensure_ascii=False).encode("utf-8")) > MAX_CONTEXT_BYTES:
        trimmed = {"rebound_trimmed": "context of %d bytes dropped: too big" % len(text.encode("utf-8"))}
    return trimmed


def capture(error_type, message, severity, context, category):
    """What ``report_error`` keeps on the caller's thread: the time, and a shallow copy of
    the context (the caller may change it afterwards). The rest is done by the worker."""
    return (time.time(), error_type, message, severity, dict(context) if isinstance(context, dict) else context,
            category)


def finish(source, captured):
    """The captured report as an event (on the worker's thread)."""
    at, error_type, message, severity, context, category = captured
    return make_event(source, error_type, message, severity, context, category,
                      timestamp=datetime.fromtimestamp(at, timezone.utc).isoformat())


MAX_AGE_MS = 86_400_000


def with_age(event, now=None):
    """The event with ``age_ms``: how long ago it happened, by this process's clock, so that
    Rebound places an event held back while it was away where it belongs on its own clock.
    An event whose timestamp this Python cannot read goes as it is."""
    text = event.get("timestamp")
    try:
        then = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except (TypeError, ValueError, AttributeError):
        return event
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)  # the contract: no offset means UTC
    now = time.time() if now is None else now
    age = int(round((now - then.timestamp()) * 1000))
    return dict(event, age_ms=max(0, min(MAX_AGE_MS, age)))


def event_id(epoch_ms=None):
    """A version-7 UUID (RFC 9562): the millisecond, then 74 random bits from ``os.urandom``.

    Ids in time order land at the right edge of Rebound's id index rather than on a random
    page of it, which costs PostgreSQL less per event; the time in them only orders them.
    """
    ms = int(time.time() * 1000) if epoch_ms is None else int(epoch_ms)
    rand = int.from_bytes(os.urandom(10), "big")
    value = ((ms & 0xFFFFFFFFFFFF) << 80) | (0x7 << 76) | (((rand >> 62) & 0xFFF) << 64) \
        | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def make_event(source, error_type, message, severity="medium", context=None, category=None, timestamp=None):
    """One event of contract v1, with its own ``event_id`` so a retry never counts twice."""
    severity = str(severity).lower() if severity is not None else "medium"
    ctx = _context(context)
    if severity not in SEVERITIES:
        ctx["severity_given"] = str(severity)[:64]
        severity = "medium"
    error_type = str(error_type) if error_type not in (None, "") else "error"
    message = str(message) if message not in (None, "") else "(no message)"
    event = {
        "event_id": str(event_id()),
        "source": source,
        "type": error_type[:MAX_TYPE],
        "severity": severity,
        "message": trim_utf8(message, MAX_MESSAGE_BYTES),
        "timestamp": timestamp or now_iso(),
        "context": ctx,
    }
    if category:
        event["category"] = category
    return event


def topic_for(prefix, severity):
    return "%s.errors.%s" % (prefix, severity)
