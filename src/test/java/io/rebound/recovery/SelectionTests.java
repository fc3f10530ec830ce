package io.rebound.recovery;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choosing among a level's strategies: priors order them without history, a record of
 * success wins, relapses and slow recoveries count against, impact favours acting on
 * fewer agents, and exploration gets an untried strategy tried.
 */
class SelectionTests {

	static final Strategy.Plan ONE = new Strategy.Plan(
			List.of(new Strategy.Action("http", "a", "reload", "http://a", Map.of())), null);

	@Test
	void withoutHistoryThePriorsDecide() {
		List<Selection.Ranked> ranking = Selection
			.rank(List.of(candidate("retry-extended", 0.5, ONE, null), candidate("reload", 0.55, ONE, null)), 0.1);

		assertThat(ranking).extracting(Selection.Ranked::strategy).containsExactly("reload", "retry-extended");
		assertThat(ranking.get(0).bonus()).isZero();
	}

	@Test
	void aRecordOfSuccessBeatsAPriorAndFailuresSinkOne() {
		List<Selection.Ranked> ranking = Selection
			.rank(List.of(candidate("reload", 0.55, ONE, record("reload", 4, 0, 0, 0)),
					candidate("retry-extended", 0.5, ONE, record("retry-extended", 4, 4, 0, 20))), 0.1);

		assertThat(ranking).extracting(Selection.Ranked::strategy).containsExactly("retry-extended", "reload");
		assertThat(ranking.get(0).parts().get("success_rate")).isGreaterThan(0.8);
		assertThat(ranking.get(1).parts().get("success_rate")).isLessThan(0.2);
	}

	@Test
	void relapsesAndSlowRecoveriesCountAgainst() {
		Selection.Ranked steady = Selection.ranked(candidate("a", 0.5, ONE, record("a", 5, 5, 0, 25)), 10, 0);
		Selection.Ranked flapping = Selection.ranked(candidate("b", 0.5, ONE, record("b", 5, 5, 4, 25)), 10, 0);
		Selection.Ranked slow = Selection.ranked(candidate("c", 0.5, ONE, record("c", 5, 5, 0, 3000)), 10, 0);

		assertThat(steady.score()).isGreaterThan(flapping.score()).isGreaterThan(0);
		assertThat(steady.score()).isGreaterThan(slow.score());
		assertThat(flapping.parts().get("stability")).isLessThan(steady.parts().get("stability"));
		assertThat(slow.parts().get("time_to_recover")).isLessThan(steady.parts().get("time_to_recover"));
	}

	@Test
	void actingOnFewerAgentsIsPreferredAllElseEqual() {
		Strategy.Plan three = new Strategy.Plan(List.of(new Strategy.Action("http", "a", "restart", "u", Map.of()),
				new Strategy.Action("http", "b", "restart", "u", Map.of()),
				new Strategy.Action("http", "c", "restart", "u", Map.of())), null);

		List<Selection.Ranked> ranking = Selection.rank(
				List.of(candidate("restart-dependencies", 0.5, three, null), candidate("scale-up", 0.5, ONE, null)),
				0.1);

		assertThat(ranking).extracting(Selection.Ranked::strategy).containsExactly("scale-up", "restart-dependencies");
		assertThat(ranking.get(1).parts().get("impact")).isEqualTo(1.0 / 3);
	}

	@Test
	void explorationGetsAnUntriedStrategyTriedOnceOthersHaveHistory() {
		// a strategy that works half the time, tried 20 times, against one never tried
		List<Selection.Ranked> ranking = Selection.rank(List
			.of(candidate("known", 0.6, ONE, record("known", 20, 10, 0, 200)), candidate("new", 0.4, ONE, null)), 0.3);

		assertThat(ranking.get(0).strategy()).isEqualTo("new");
		assertThat(ranking.get(0).bonus()).isGreaterThan(ranking.get(1).bonus());
		// without exploration the record wins
		assertThat(Selection
			.rank(List.of(candidate("known", 0.6, ONE, record("known", 20, 10, 0, 200)),
					candidate("new", 0.4, ONE, null)), 0)
			.get(0)
			.strategy()).isEqualTo("known");
	}

	private static Selection.Candidate candidate(String name, double prior, Strategy.Plan plan,
			RecoveryRecords.Record record) {
		Strategy strategy = Strategy.of(name, 2, prior, (target) -> plan);
		return new Selection.Candidate(strategy, plan, record);
	}

	private static RecoveryRecords.Record record(String strategy, int attempts, int successes, int relapses,
			double ttrSum) {
		return new RecoveryRecords.Record("kind", strategy, 2, attempts, successes, relapses, ttrSum, successes,
				attempts, 0, 0, 0);
	}

}
