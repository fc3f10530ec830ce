package io.rebound.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Execution(ExecutionMode.CONCURRENT)
class WorkerTests {

	@TempDir
	Path spoolDir;

	HttpServer receiver;

	final List<Map<String, Object>> received = new ArrayList<>();

	final ConcurrentLinkedQueue<int[]> answers = new ConcurrentLinkedQueue<>();

	@SuppressWarnings("unchecked")
	String receive() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/api/errors", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int[] answer = this.answers.poll();
			int status = (answer != null) ? answer[0] : 202;
			if (answer != null) {
				exchange.getResponseHeaders().set("Retry-After", Integer.toString(answer[1]));
			}
			if (status == 202) {
				synchronized (this.received) {
					((List<Object>) Json.read(body)).forEach((e) -> this.received.add((Map<String, Object>) e));
				}
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.receiver.start();
		return "http://127.0.0.1:" + this.receiver.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		if (this.receiver != null) {
			this.receiver.stop(0);
		}
	}

	static Event.Captured event(int seq) {
		return new Event.Captured(System.currentTimeMillis(), "agent-1", "job_failed", "low", "job " + seq,
				Map.of("seq", seq));
	}

	List<Integer> seqs() {
		synchronized (this.received) {
			return this.received.stream().map((e) -> ((Number) ((Map<?, ?>) e.get("context")).get("seq")).intValue()).toList();
		}
	}

	Worker worker(String url) {
		return new Worker(new HttpTransport(url, null, Duration.ofSeconds(2)), new Spool(this.spoolDir, 1 << 26, 1 << 20),
				1000, (lost, q, s) -> new Event("d", "agent-1", "events_dropped", "medium", Long.toString(lost), "x", null));
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own tests
	void honoursRetryAfterAndDeliversEverythingOnceInOrder() throws Exception {
		this.answers.add(new int[] { 503, 1 });
		this.answers.add(new int[] { 429, 0 });
		Worker worker = worker(receive());
		long started = System.nanoTime();
		IntStream.range(0, 300).forEach((i) -> worker.offer(event(i)));
		assertThat(worker.flush(Duration.ofSeconds(10))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited as Retry-After said")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(seqs()).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
		worker.close(Duration.ofSeconds(1));
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own tests
	void spoolsWhileUnreachableAndReplaysOnceItAnswers() throws Exception {
		Worker away = worker("http://127.0.0.1:9");
		IntStream.range(0, 100).forEach((i) -> away.offer(event(i)));
		assertThat(away.flush(Duration.ofMillis(1500))).isFalse();
		away.close(Duration.ofMillis(500));
		assertThat(new Spool(this.spoolDir, 1 << 26, 1 << 20).count()).as("nothing lost when the process ends")
			.isEqualTo(100);
		Worker back = worker(receive());
		IntStream.range(100, 120).forEach((i) -> back.offer(event(i)));
		assertThat(back.flush(Duration.ofSeconds(10))).isTrue();
		assertThat(seqs()).containsExactlyElementsOf(IntStream.range(0, 120).boxed().toList());
		// each says how long it was held, so Rebound places it when it was reported
		assertThat(this.received.subList(0, 100)).allSatisfy(
				(e) -> assertThat(((Number) e.get("age_ms")).longValue()).isBetween(1500L, 60_000L));
		assertThat(this.received.subList(100, 120))
			.allSatisfy((e) -> assertThat(((Number) e.get("age_ms")).longValue()).isBetween(0L, 1500L));
		back.close(Duration.ofSeconds(1));
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own tests
	void reportsMadeWhileAndAfterItClosesWaitInTheSpoolForTheNextStart() throws Exception {
		Worker closing = worker("http://127.0.0.1:9");
		List<Integer> queued = new java.util.concurrent.CopyOnWriteArrayList<>();
		Thread reporter = new Thread(() -> IntStream.range(0, 2000).filter((i) -> closing.offer(event(i))).forEach(queued::add));
		reporter.start();
		closing.close(Duration.ofMillis(200));
		reporter.join();
		IntStream.range(2000, 2010).filter((i) -> closing.offer(event(i))).forEach(queued::add);
		assertThat(queued).as("after close, reports are taken (into the spool)").contains(2000, 2009);
		Worker next = worker(receive());
		assertThat(next.flush(Duration.ofSeconds(10))).isTrue();
		// every report the worker took (a full queue may refuse some while it closes), once, in order
		assertThat(seqs()).containsExactlyElementsOf(queued);
		next.close(Duration.ofSeconds(1));
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own tests
	void aFullQueueDropsWithoutBlockingAndSaysSoOnceBack() throws Exception {
		this.answers.add(new int[] { 503, 1 });
		String url = receive();
		Worker worker = new Worker(new HttpTransport(url, null, Duration.ofSeconds(1)),
				new Spool(this.spoolDir, 1 << 26, 1 << 20), 5,
				(lost, q, s) -> new Event("d", "agent-1", "events_dropped", "medium", Long.toString(lost), "x", null));
		long started = System.nanoTime();
		long queued = IntStream.range(0, 1000).filter((i) -> worker.offer(event(i))).count();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
		assertThat(worker.droppedQueueFull()).isEqualTo(1000 - queued).isPositive();
		assertThat(worker.flush(Duration.ofSeconds(10))).isTrue();
		java.util.function.Supplier<List<Map<String, Object>>> dropReports = () -> {
			synchronized (this.received) {
				return this.received.stream().filter((e) -> "events_dropped".equals(e.get("type"))).toList();
			}
		};
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !dropReports.get().isEmpty());
		assertThat(dropReports.get()).singleElement()
			.satisfies((e) -> assertThat(e.get("message")).isEqualTo(Long.toString(1000 - queued)));
		List<Integer> delivered;
		synchronized (this.received) {
			delivered = this.received.stream()
				.filter((e) -> "job_failed".equals(e.get("type")))
				.map((e) -> ((Number) ((Map<?, ?>) e.get("context")).get("seq")).intValue())
				.toList();
		}
		assertThat(delivered).hasSize((int) queued).isSorted();
		worker.close(Duration.ofSeconds(1));
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own tests
	void backOffGrowsFromHalfASecondToThirtySeconds() {
		assertThat(IntStream.range(0, 200).mapToLong((i) -> Worker.backoff(1, 30_000).toMillis()).max().getAsLong())
			.isLessThanOrEqualTo(500);
		assertThat(IntStream.range(0, 200).mapToLong((i) -> Worker.backoff(30, 30_000).toMillis()).max().getAsLong())
			.isBetween(15_000L, 30_000L);
	}

}
