package io.rebound.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The background worker: drains a bounded queue in batches, keeps events in order, and in
 * the spool while the transport is away, with exponential back-off and jitter (or
 * {@code Retry-After}). Events dropped because the queue or the spool was full are counted
 * and reported once delivery works again.
 */
final class Worker {

	private static final Logger log = System.getLogger("io.rebound.client");

	private static final int BATCH = 500;

	private static final int BATCH_BYTES = 4 * 1024 * 1024;

	private final Transport transport;

	private final Spool spool;

	/** Lock-free, so a caller never waits for the worker draining it; bounded by {@link #size}. */
	private final Queue<Event.Captured> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	private final int capacity;

	private final Thread thread;

	private final AtomicLong droppedQueue = new AtomicLong();

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong rejected = new AtomicLong();

	private final AtomicInteger busy = new AtomicInteger();

	private final DropReport dropReport;

	private static final long INTERVAL_NANOS = 1_000_000_000L;

	private volatile boolean closing;

	/** Set once the worker thread has ended: reports go straight to the spool. */
	private volatile boolean stopped;

	private volatile boolean hurry;

	private long since;

	private long reportedDrops;

	private int failures;

	private long nextTry;

	/** The event that tells Rebound how many events were dropped. */
	interface DropReport {

		Event of(long lost, long queueFull, long spoolFull);

	}

	private final long maxBackoffMillis;

	Worker(Transport transport, Spool spool, int queueSize, DropReport dropReport) {
		this(transport, spool, queueSize, dropReport, Duration.ofSeconds(30));
	}

	Worker(Transport transport, Spool spool, int queueSize, DropReport dropReport, Duration maxBackoff) {
		this.maxBackoffMillis = maxBackoff.toMillis();
		this.transport = transport;
		this.spool = spool;
		this.capacity = queueSize;
		this.dropReport = dropReport;
		this.thread = new Thread(this::run, "rebound-worker");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Queues the report without waiting; {@code false} when the queue is full. Once the
	 * worker has stopped, the report goes to the spool instead, for the next start: a
	 * report made while the agent closes its client (say, for a restart) is not lost.
	 */
	boolean offer(Event.Captured report) {
		if (this.size.incrementAndGet() > this.capacity) {
			this.size.decrementAndGet();
			this.droppedQueue.incrementAndGet();
			return false;
		}
		this.queue.offer(report);
		if (this.stopped) {
			// close() drains the queue after it stopped; whatever it may have missed, this does
			spoolQueued();
		}
		return true;
	}

	long delivered() {
		return this.delivered.get();
	}

	long rejected() {
		return this.rejected.get();
	}

	long droppedQueueFull() {
		return this.droppedQueue.get();
	}

	long pending() {
		return this.size.get() + this.busy.get() + this.spool.count();
	}

	/** Waits until everything queued was delivered, at most {@code timeout}. */
	boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (this.size.get() == 0 && this.busy.get() == 0 && this.spool.isEmpty()) {
				return true;
			}
			this.hurry = true;
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	/** Delivers what it can within the timeout; the rest waits in the spool for the next start. */
	boolean close(Duration timeout) {
		boolean done = flush(timeout);
		this.closing = true;
		try {
			this.thread.join(Math.max(500, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.stopped = true;
		spoolQueued();
		return done;
	}

	private synchronized void spoolQueued() {
		List<String> rest = new ArrayList<>();
		for (Event.Captured report = poll(); report != null; report = poll()) {
			rest.add(report.event().toJson());
		}
		if (!rest.isEmpty()) {
			this.spool.append(rest);
		}
	}

	private void run() {
		while (!this.closing) {
			try {
				List<String> batch = take();
				if (!batch.isEmpty()) {
					if (!this.spool.isEmpty() || System.nanoTime() < this.nextTry || !deliver(batch)) {
						this.spool.append(batch);
					}
				}
				this.busy.set(0);
				if (!this.spool.isEmpty() && System.nanoTime() >= this.nextTry) {
					replay();
				}
				if (this.failures == 0) {
					reportDrops();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				this.busy.set(0);
				log.log(Level.WARNING, "rebound-client: unexpected error in the worker", ex);
			}
		}
	}

	private Event.Captured poll() {
		Event.Captured report = this.queue.poll();
		if (report != null) {
			this.size.decrementAndGet();
		}
		return report;
	}

	/**
	 * What is queued, up to a batch. The caller never wakes the worker (that would cost it
	 * microseconds): the worker looks every 100 ms and sends once the oldest report waited a
	 * second, a batch is full, or someone flushes — one request a second at most while
	 * reports trickle in, which keeps the background work small.
	 */
	private List<String> take() throws InterruptedException {
		int queued = this.size.get();
		if (queued == 0) {
			this.since = 0;
			Thread.sleep(100);
			return List.of();
		}
		long now = System.nanoTime();
		if (this.since == 0) {
			this.since = now;
		}
		if (queued < BATCH && !this.hurry && !this.closing && now - this.since < INTERVAL_NANOS) {
			Thread.sleep(100);
			return List.of();
		}
		this.since = 0;
		this.hurry = false;
		List<Event.Captured> reports = new ArrayList<>();
		for (Event.Captured report = poll(); report != null && reports.size() < BATCH; report = (reports.size() < BATCH - 1) ? poll() : null) {
			reports.add(report);
		}
		this.busy.set(reports.size());
		List<String> batch = new ArrayList<>(reports.size());
		long bytes = 0;
		for (Event.Captured report : reports) {
			String json = report.event().toJson();
			bytes += json.length();
			batch.add(json);
			if (bytes > BATCH_BYTES) {
				// a batch this large goes in pieces, through the spool, keeping order
				this.spool.append(batch);
				batch = new ArrayList<>();
				bytes = 0;
			}
		}
		return batch;
	}

	private void replay() {
		while (!this.closing) {
			Spool.Batch batch = this.spool.peek(BATCH);
			if (batch.lines() == 0) {
				return;
			}
			if (!batch.events().isEmpty() && !deliver(batch.events())) {
				return;
			}
			this.spool.delivered(batch.lines());
		}
	}

	private boolean deliver(List<String> events) {
		try {
			long now = System.currentTimeMillis();
			this.transport.sendEvents(events.stream().map((e) -> Event.withAge(e, now)).toList());
			this.delivered.addAndGet(events.size());
			this.failures = 0;
			this.nextTry = 0;
			return true;
		}
		catch (Transport.RetryLater retry) {
			this.failures++;
			Duration pause = (retry.after() != null) ? retry.after() : backoff(this.failures, this.maxBackoffMillis);
			this.nextTry = System.nanoTime() + pause.toNanos();
			if (this.failures == 1 || this.failures % 100 == 0) {
				log.log(Level.WARNING, "rebound-client: {0}; keeping {1} events, next try in {2} ms", retry.getMessage(),
						events.size(), pause.toMillis());
			}
			return false;
		}
		catch (Transport.Rejected rejected) {
			Set<Integer> bad = Set.copyOf(rejected.bad());
			this.rejected.addAndGet(bad.size());
			log.log(Level.ERROR, "rebound-client: {0} event(s) refused by Rebound and dropped: {1}", bad.size(),
					rejected.getMessage());
			List<String> good = new ArrayList<>();
			for (int i = 0; i < events.size(); i++) {
				if (!bad.contains(i)) {
					good.add(events.get(i));
				}
			}
			return good.isEmpty() || deliver(good);
		}
	}

	/** 0.5 s doubling to the cap (30 s by default), with full jitter. */
	static Duration backoff(int failures, long capMillis) {
		long cap = Math.min(capMillis, 500L << Math.min(16, failures - 1));
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
	}

	private void reportDrops() {
		long dropped = this.droppedQueue.get() + this.spool.dropped();
		if (dropped > this.reportedDrops && deliver(List.of(this.dropReport
			.of(dropped - this.reportedDrops, this.droppedQueue.get(), this.spool.dropped())
			.toJson()))) {
			this.reportedDrops = dropped;
		}
	}

}
