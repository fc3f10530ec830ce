"""A bounded spool on disk: segments of JSON lines, oldest dropped first when full."""

import json
import os
import threading


class Spool:
    """Events kept while Rebound or Kafka is away, replayed in order once it answers.

    Events are appended to numbered segment files of about ``segment_bytes``; when the
    spool holds more than ``max_bytes`` the oldest segment is deleted and its events
    counted as dropped. A segment is deleted once every event in it was delivered, so
    after a crash at most one segment is sent again — which counts once, since every
    event carries its ``event_id``.
    """

    def __init__(self, directory, max_bytes=64 * 1024 * 1024, segment_bytes=1024 * 1024):
        self.directory = directory
        self.max_bytes = max_bytes
        self.segment_bytes = segment_bytes
        self.dropped = 0
        self._lock = threading.Lock()
        os.makedirs(directory, exist_ok=True)
        self._read_offset = 0  # lines of the oldest segment already delivered

    def _segments(self):
        names = [n for n in os.listdir(self.directory) if n.endswith(".jsonl")]
        return sorted(names, key=lambda n: int(n.split(".")[0]))

    def _path(self, name):
        return os.path.join(self.directory, name)

    def size(self):
        with self._lock:
            return sum(os.path.getsize(self._path(n)) for n in self._segments())

    def __len__(self):
        with self._lock:
            count = 0
            for name in self._segments():
                with open(self._path(name), "rb") as f:
                    count += sum(1 for _ in f)
            return max(0, count - self._read_offset)

    def empty(self):
        with self._lock:
            return not self._segments()

    def append(self, events):
        if not events:
            return
        with self._lock:
            segments = self._segments()
            if segments and os.path.getsize(self._path(segments[-1])) < self.segment_bytes:
                name = segments[-1]
            else:
                name = "%012d.jsonl" % ((int(segments[-1].split(".")[0]) + 1) if segments else 1)
            path = self._path(name)
            torn = False
            if os.path.exists(path) and os.path.getsize(path) > 0:
                with open(path, "rb") as last:
                    last.seek(-1, os.SEEK_END)
                    torn = last.read(1) != b"\n"
            with open(path, "a", encoding="utf-8") as f:
                if torn:
                    f.write("\n")  # a line cut short by a crash stays a line of its own
                for event in events:
                    f.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
                    f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            self._enforce_bound()

    def _enforce_bound(self):
        segments = self._segments()
        total = sum(os.path.getsize(self._path(n)) for n in segments)
        while total > self.max_bytes and len(segments) > 1:
            oldest = segments.pop(0)
            path = self._path(oldest)
            size = os.path.getsize(path)
            with open(path, "rb") as f:
                lines = sum(1 for _ in f)
            self.dropped += max(0, lines - self._read_offset)
            self._read_offset = 0
            os.remove(path)
            total -= size

    def peek(self, limit):
        """The oldest events not yet delivered (up to ``limit``, from one segment), and
        how many lines they took: pass that to :meth:`delivered` once they are."""
        with self._lock:
            segments = self._segments()
            if not segments:
                return [], 0
            events, lines = [], 0
            with open(self._path(segments[0]), encoding="utf-8") as f:
                for i, line in enumerate(f):
                    if i < self._read_offset:
                        continue
                    if lines >= limit:
                        break
                    lines += 1
                    try:
                        events.append(json.loads(line))
                    except ValueError:
                        pass  # a line torn by a crash mid-write: skipped
            if lines == 0:
                os.remove(self._path(segments[0]))
                self._read_offset = 0
            return events, lines

    def delivered(self, lines):
        """The events of the last peek, ``lines`` lines of the oldest segment, were delivered."""
        with self._lock:
            segments = self._segments()
            if not segments:
                return
            self._read_offset += lines
            with open(self._path(segments[0]), "rb") as f:
                lines = sum(1 for _ in f)
            if self._read_offset >= lines:
                os.remove(self._path(segments[0]))
                self._read_offset = 0
