package io.rebound.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Task checkpoints, saved off the caller's thread: {@link #save} serializes the state at
 * once (later changes to it do not leak in) and returns a future; one thread sends them,
 * the newest state of a task replacing one not yet sent, and retries with back-off while
 * Rebound cannot be reached. {@link #load} reads one back and checks its SHA-256.
 */
public final class Checkpoints implements AutoCloseable {

	/**
	 * What Rebound stored.
	 *
	 * @param task the task
	 * @param version its version
	 * @param sha256 the SHA-256 of its bytes
	 */
	public record Saved(String task, int version, String sha256) {
	}

	/**
	 * A checkpoint read back.
	 *
	 * @param task the task
	 * @param version its version
	 * @param sha256 the SHA-256 of its bytes, checked
	 * @param state what was saved
	 */
	public record Checkpoint(String task, int version, String sha256, Map<String, Object> state) {
	}

	/** The bytes read back do not have the SHA-256 Rebound says they were saved with. */
	public static final class CorruptCheckpoint extends RuntimeException {

		CorruptCheckpoint(String message) {
			super(message);
		}

	}

	private record Pending(String method, String body, List<CompletableFuture<Saved>> futures) {
	}

	private final String url;

	private final String key;

	private final Duration timeout;

	private final Duration maxBackoff;

	private final HttpClient client;

	private final Map<String, Pending> pending = new LinkedHashMap<>();

	private String inflight;

	private boolean closed;

	private final Thread sender;

	Checkpoints(String url, String key, String agentId, Duration timeout, Duration maxBackoff) {
		this.url = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/agents/"
				+ encode(agentId) + "/checkpoints/";
		this.key = key;
		this.timeout = timeout;
		this.maxBackoff = maxBackoff;
		this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.sender = new Thread(this::send, "rebound-checkpoints");
		this.sender.setDaemon(true);
		this.sender.start();
	}

	/** Saves the task's state as its next checkpoint version; returns at once. */
	public CompletableFuture<Saved> save(String task, Map<String, ?> state) {
		return enqueue(task, "PUT", Json.write(state));
	}

	/** The task succeeded: its checkpoints are dropped; returns at once. */
	public CompletableFuture<Saved> complete(String task) {
		return enqueue(task, "DELETE", null);
	}

	/** The task's newest checkpoint, with its SHA-256 checked. */
	public Optional<Checkpoint> load(String task) {
		return load(task, null);
	}

	/** The task's checkpoint of that version (the newest for {@code null}). */
	@SuppressWarnings("unchecked")
	public Optional<Checkpoint> load(String task, Integer version) {
		HttpResponse<byte[]> response;
		try {
			response = this.client.send(request(encode(task) + ((version != null) ? "?version=" + version : ""))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException("reading checkpoint " + task + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET checkpoint " + task + " -> " + response.statusCode() + " "
					+ new String(response.body(), StandardCharsets.UTF_8));
		}
		String sha = response.headers().firstValue("X-Rebound-Checkpoint-Sha256").orElse("");
		if (!sha.equals(sha256(response.body()))) {
			throw new CorruptCheckpoint("checkpoint " + task + ": the bytes read do not have SHA-256 " + sha);
		}
		int read = Integer.parseInt(response.headers().firstValue("X-Rebound-Checkpoint-Version").orElse("0"));
		Object state = Json.read(new String(response.body(), StandardCharsets.UTF_8));
		return Optional.of(new Checkpoint(task, read, sha, (Map<String, Object>) state));
	}

	/** Waits until every checkpoint asked for was sent; whether they were. */
	public synchronized boolean flush(Duration wait) throws InterruptedException {
		long end = System.nanoTime() + wait.toNanos();
		while (!this.pending.isEmpty() || this.inflight != null) {
			long left = end - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	@Override
	public void close() {
		try {
			flush(Duration.ofSeconds(2));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
	}

	private synchronized CompletableFuture<Saved> enqueue(String task, String method, String body) {
		CompletableFuture<Saved> future = new CompletableFuture<>();
		Pending earlier = this.pending.remove(task);
		List<CompletableFuture<Saved>> futures = new ArrayList<>((earlier != null) ? earlier.futures() : List.of());
		futures.add(future);
		this.pending.put(task, new Pending(method, body, futures));
		notifyAll();
		return future;
	}

	private void send() {
		long backoff = 500;
		while (true) {
			String task;
			Pending next;
			synchronized (this) {
				while (this.pending.isEmpty() && !this.closed) {
					try {
						wait();
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				if (this.pending.isEmpty()) {
					return;
				}
				Iterator<Map.Entry<String, Pending>> first = this.pending.entrySet().iterator();
				Map.Entry<String, Pending> entry = first.next();
				first.remove();
				task = entry.getKey();
				next = entry.getValue();
				this.inflight = task;
			}
			int status;
			String answer;
			try {
				HttpRequest.Builder request = request(encode(task));
				request = "PUT".equals(next.method())
						? request.PUT(HttpRequest.BodyPublishers.ofString(next.body(), StandardCharsets.UTF_8))
						: request.DELETE();
				HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
				status = response.statusCode();
				answer = response.body();
			}
			catch (IOException ex) {
				status = -1;
				answer = ex.toString();
			}
			catch (InterruptedException ex) {
				return;
			}
			// a 404 on a PUT: Rebound does not know the agent yet (its registration, sent by
			// the heartbeat thread, has not landed): wait for it like for an outage
			if (status < 0 || status == 429 || status >= 500 || ("PUT".equals(next.method()) && status == 404)) {
				synchronized (this) {
					Pending newer = this.pending.remove(task);
					List<CompletableFuture<Saved>> futures = new ArrayList<>(next.futures());
					if (newer != null) {
						futures.addAll(newer.futures());
					}
					// a newer state of the task replaces this one; its callers hear with it
					this.pending.put(task, (newer != null) ? new Pending(newer.method(), newer.body(), futures)
							: new Pending(next.method(), next.body(), futures));
					this.inflight = null;
					if (this.closed) {
						this.pending.values()
							.forEach((p) -> p.futures()
								.forEach((f) -> f.completeExceptionally(new IllegalStateException("closed before "
										+ "the checkpoint was sent"))));
						this.pending.clear();
						notifyAll();
						return;
					}
					try {
						wait(backoff);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				backoff = Math.min(this.maxBackoff.toMillis(), backoff * 2);
				continue;
			}
			backoff = 500;
			boolean ok = status == 201 || status == 204 || ("DELETE".equals(next.method()) && status == 404);
			Saved saved = (status == 201) ? saved(task, answer) : null;
			for (CompletableFuture<Saved> future : next.futures()) {
				if (ok) {
					future.complete(saved);
				}
				else {
					future.completeExceptionally(
							new IllegalStateException(next.method() + " checkpoint " + task + " -> " + status + " " + answer));
				}
			}
			synchronized (this) {
				this.inflight = null;
				notifyAll();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Saved saved(String task, String answer) {
		Map<String, Object> body = (Map<String, Object>) Json.read(answer);
		return new Saved(task, ((Number) body.get("version")).intValue(), (String) body.get("sha256"));
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url + path))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", "rebound-client-java");
		if (this.key != null) {
			request.header("X-API-Key", this.key);
		}
		return request;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
