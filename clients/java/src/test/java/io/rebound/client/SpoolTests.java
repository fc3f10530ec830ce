package io.rebound.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolTests {

	@TempDir
	Path directory;

	static List<String> events(int from, int count) {
		return IntStream.range(from, from + count).mapToObj((i) -> "{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(50) + "\"}").toList();
	}

	static int seq(String json) {
		return ((Number) ((java.util.Map<?, ?>) Json.read(json)).get("seq")).intValue();
	}

	@Test
	void replaysInOrderAndSurvivesANewProcess() {
		new Spool(this.directory, 1 << 20, 2000).append(events(0, 50));
		Spool spool = new Spool(this.directory, 1 << 20, 2000);
		List<Integer> seen = new ArrayList<>();
		for (Spool.Batch batch = spool.peek(7); batch.lines() > 0; batch = spool.peek(7)) {
			batch.events().forEach((e) -> seen.add(seq(e)));
			spool.delivered(batch.lines());
		}
		assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
		assertThat(spool.isEmpty()).isTrue();
	}

	@Test
	void dropsTheOldestWhenFullAndCountsThem() {
		Spool spool = new Spool(this.directory, 8_000, 2_000);
		for (int i = 0; i < 20; i++) {
			spool.append(events(i * 10, 10));
		}
		assertThat(spool.size()).isLessThanOrEqualTo(10_000);
		assertThat(spool.dropped()).isPositive();
		assertThat(seq(spool.peek(1).events().get(0))).as("the oldest went first").isEqualTo((int) spool.dropped());
		assertThat(spool.count() + spool.dropped()).isEqualTo(200);
	}

	@Test
	void skipsALineTornByACrash() throws Exception {
		Spool spool = new Spool(this.directory, 1 << 20, 1 << 20);
		spool.append(List.of("{\"seq\":1}"));
		java.nio.file.Files.writeString(this.directory.resolve("000000000001.jsonl"), "{\"seq\":2", java.nio.file.StandardOpenOption.APPEND);
		spool.append(List.of("{\"seq\":3}"));
		Spool.Batch batch = spool.peek(10);
		assertThat(batch.events()).extracting(SpoolTests::seq).containsExactly(1, 3);
	}

}
