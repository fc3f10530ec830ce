package io.rebound.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlServerTests {

	static final String SECRET = "rbs_unit-test-secret";

	final List<ControlCall> done = new CopyOnWriteArrayList<>();

	final HttpClient http = HttpClient.newHttpClient();

	ControlServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = new ControlServer("127.0.0.1", 0, SECRET, Map.of("retry", (call) -> {
			this.done.add(call);
			return ControlAnswer.done();
		}, "restart", (call) -> ControlAnswer.accepted("restarting"), "reload",
				(call) -> ControlAnswer.notApplicable("no configuration"), "scale", (call) -> {
					throw new IllegalStateException("no capacity");
				}), () -> true, 300);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	HttpResponse<String> call(String path, String body, String secret, long timestamp) throws Exception {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + path))
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (secret != null) {
			request.header("X-Rebound-Timestamp", Long.toString(timestamp))
				.header("X-Rebound-Signature", Signatures.sign(secret, "POST", path, Long.toString(timestamp), bytes));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> signed(String path, String body) throws Exception {
		return call(path, body, SECRET, System.currentTimeMillis() / 1000);
	}

	@Test
	void dispatchesASignedCallWithTheContractsBody() throws Exception {
		HttpResponse<String> answer = signed("/control/retry",
				"{\"run_id\":\"r\",\"attempt_id\":\"a\",\"level\":1,\"strategy\":\"retry\",\"parameters\":{\"x\":\"1\"},\"deadline\":\"2026-12-01T10:00:05Z\"}");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(this.done).singleElement()
			.isEqualTo(new ControlCall("retry", "r", "a", null, 1, "retry", Map.of("x", "1"), "2026-12-01T10:00:05Z"));
	}

	@Test
	void refusesUnsignedWronglySignedAndStaleCalls() throws Exception {
		long now = System.currentTimeMillis() / 1000;
		assertThat(call("/control/retry", "{}", null, now).statusCode()).isEqualTo(401);
		assertThat(call("/control/retry", "{}", "rbs_someone-else", now).statusCode()).isEqualTo(401);
		assertThat(call("/control/retry", "{}", SECRET, now - 301).statusCode()).isEqualTo(401);
		assertThat(this.done).isEmpty();
	}

	@Test
	void answersEachOutcomeWithTheContractsStatus() throws Exception {
		assertThat(signed("/control/restart", "{}").statusCode()).isEqualTo(202);
		assertThat(signed("/control/reload", "{}").statusCode()).isEqualTo(409);
		assertThat(signed("/control/scale", "{}").statusCode()).isEqualTo(500);
		assertThat(signed("/control/rollback", "{}").statusCode()).isEqualTo(409);
		assertThat(signed("/control/retry", "[1]").statusCode()).isEqualTo(400);
	}

	@Test
	void carriesAnAttemptOutOnceEvenWhenCalledAgain() throws Exception {
		signed("/control/retry", "{\"attempt_id\":\"same\"}");
		assertThat(signed("/control/retry", "{\"attempt_id\":\"same\"}").statusCode()).isEqualTo(200);
		assertThat(this.done).hasSize(1);
	}

	@Test
	void answersHealth() throws Exception {
		HttpResponse<String> health = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + "/health")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
	}

}
