package io.rebound.correlation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.rebound.Settings;
import io.rebound.errors.Category;
import io.rebound.errors.Classification;
import io.rebound.errors.Classifier;
import io.rebound.errors.Severity;
import io.rebound.web.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RuleSetTests {

	private final RuleCompiler compiler = new RuleCompiler(
			Settings.bind("rebound.correlation", CorrelationProperties.class).incident());

	private final RuleSet builtin = RuleSet.of(1,
			RuleClassifier.read(new ClassPathResource(RuleClassifier.BUILTIN))
				.stream()
				.map(this.compiler::compile)
				.toList());

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					connection_error | psycopg2.OperationalError: could not connect to server: Connection refused | connection_refused
					request_error    | ECONNREFUSED 10.0.0.7:6379                                                | connection_refused
					network          | [Errno 104] Connection reset by peer                                       | connection_reset
					timeout          | Request to planner timed out after 30s                                     | timeout
					resolve          | getaddrinfo ENOTFOUND api.example.com                                      | dns_failure
					ssl              | SSL: CERTIFICATE_VERIFY_FAILED certificate verify failed                   | tls_error
					http_error       | 429 Too Many Requests from https://api.openai.com/v1/chat                  | rate_limited
					http_error       | 503 Server Error: Service Unavailable for url: http://search:8080/q        | upstream_5xx
					http_error       | upstream answered 502 Bad Gateway                                          | upstream_5xx
					crash            | java.lang.OutOfMemoryError: Java heap space                                | out_of_memory
					worker_died      | Process killed: OOMKilled                                                  | out_of_memory
					io_error         | OSError: [Errno 28] No space left on device: '/data/cache'                 | disk_full
					io_error         | OSError: [Errno 24] Too many open files                                    | too_many_open_files
					db_error         | ERROR: deadlock detected                                                   | deadlock
					db_error         | Lock wait timeout exceeded; try restarting transaction                     | deadlock
					auth             | 401 Unauthorized: invalid api key                                          | auth_failure
					auth             | FATAL: password authentication failed for user "app"                       | auth_failure
					startup          | yaml.scanner.ScannerError while parsing config file settings.yaml          | configuration_error
					startup          | ModuleNotFoundError: No module named 'torch'                               | missing_dependency
					llm_error        | You exceeded your current quota, please check your plan and billing details | quota_exhausted
					heartbeat_timeout | No heartbeat for 31s                                                      | agent_unresponsive
					segfault         | worker exited                                                              | crash
					""")
	void theBuiltInPackRecognisesTheCommonFailuresOfAgentFleets(String type, String message, String cause) {
		assertThat(classify(type, message, null).cause()).isEqualTo(cause);
	}

	@Test
	void aRuleFileWithAMisspeltKeyIsRefusedNotHalfRead() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> RuleClassifier.read(new ClassPathResource("test-rules-misspelt.yml")))
			.withMessageContaining("test-rules-misspelt.yml")
			.withMessageContaining("mtach");
	}

	@Test
	void anOrdinaryMessageMatchesNoRule() {
		assertThat(classify("cache_miss", "cache miss for key user:42", null).matched()).isFalse();
	}

	@Test
	void securityFailuresAreFatalAndForAPersonOnly() {
		Classification auth = classify("auth", "403 Forbidden: token expired", null);

		assertThat(auth.category()).isEqualTo(Category.SECURITY);
		assertThat(auth.errorClass()).isEqualTo("fatal");
		assertThat(auth.recovery()).isEqualTo("human");
	}

	@Test
	void aRefusedConnectionNamesItsTarget() {
		Classification refused = classify("connection_error", "Connection refused while connecting to DB-1:5432", null);

		assertThat(refused.groupKey()).isEqualTo("db-1:5432");
	}

	@Test
	void conditionsOnContextFieldsAndTheFirstRuleByPriorityWins() {
		RuleSet rules = RuleSet
			.of(1, List.of(
					this.compiler.compile(rule("payments-upstream", 10,
							List.of(new Rule.Condition("context.upstream.name", "equals", "Payments", null, null),
									new Rule.Condition("message", "contains", null, List.of("timeout", "timed out"),
											null)),
							"payments_down")),
					this.compiler.compile(rule("any-timeout", 20,
							List.of(new Rule.Condition("message", "contains", "timed out", null, null)), "timeout"))));

		Classifier.Fields withContext = fields("call", "Request timed out",
				JsonMapper.builder().build().readTree("{\"upstream\":{\"name\":\"payments\"}}"));
		Classifier.Fields without = fields("call", "Request timed out", null);

		assertThat(rules.classify(withContext).cause()).isEqualTo("payments_down");
		assertThat(rules.classify(without).cause()).isEqualTo("timeout");
	}

	@Test
	void aPathologicalRegexGivesUpInsteadOfStallingIngest() {
		RuleSet rules = RuleSet.of(1, List.of(this.compiler.compile(
				rule("evil", 1, List.of(new Rule.Condition("message", "matches", "(a+)+$", null, null)), "evil"))));
		String message = "a".repeat(5000) + "!";

		long started = System.nanoTime();
		Classification verdict = rules.classify(fields("x", message, null));

		assertThat(verdict.matched()).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void aRuleWithFaultsIsRefusedWithEveryFaultNamed() {
		Rule bad = new Rule("Bad Id", null, null,
				List.of(new Rule.Condition("message", "matches", "([unclosed", null, null),
						new Rule.Condition("headers.x", "contains", "y", null, null)),
				null, 2.0, "weather", "sometimes", "level:9", null, new Rule.IncidentTrigger("team", 0, null, "soon"),
				null);

		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> this.compiler.compile(bad))
			.satisfies((ex) -> {
				@SuppressWarnings("unchecked")
				List<Map<String, String>> errors = (List<Map<String, String>>) ex.problem()
					.getProperties()
					.get("errors");
				assertThat(errors).extracting((e) -> e.get("field"))
					.contains("id", "cause", "confidence", "category", "error_class", "recovery", "match[0].value",
							"match[1].field", "incident.group", "incident.min_errors", "incident.window");
				assertThat(errors).filteredOn((e) -> e.get("field").equals("match[0].value"))
					.singleElement()
					.satisfies((e) -> assertThat(e.get("reason")).contains("not a valid regular expression"));
			});
	}

	@Test
	void aRuleCanGroupEventsByItsCauseAcrossAgents() {
		RuleSet rules = RuleSet.of(1,
				List.of(this.compiler.compile(new Rule("gpu", null, null,
						List.of(new Rule.Condition("message", "contains", "CUDA error", null, null)), "gpu_fault", null,
						null, null, null, List.of("cause", "type"), null, null))));

		Classification verdict = rules.classify(fields("cuda", "CUDA error: device-side assert on node 7", null));

		assertThat(verdict.fingerprint()).containsExactly("cause", "type");
	}

	/**
	 * The words of {@code contains} conditions are found in one pass per field
	 * ({@link RuleWords}); the verdicts must be those of testing every condition by
	 * itself, for the built-in pack and for rules with case-sensitive, negated,
	 * overlapping and non-message words, over messages made of those words.
	 */
	@Test
	void findingTheWordsInOnePassGivesEveryConditionsOwnAnswer() {
		List<CompiledRule> own = List.of(this.compiler.compile(rule("case-sensitive", 5,
				List.of(new Rule.Condition("message", "contains", null, List.of("GPU", "Gpu fault"), false)), "gpu")),
				this.compiler.compile(rule("not-a-drill", 6,
						List.of(new Rule.Condition("message", "not_contains", null, List.of("drill", "test"), null),
								new Rule.Condition("type", "contains", null, List.of("alarm", "alarmist"), null)),
						"alarm")),
				this.compiler.compile(
						rule("overlapping", 7,
								List.of(new Rule.Condition("message", "contains", null, List.of("abab", "bab", "ba"),
										null), new Rule.Condition("source", "contains", null, List.of("-7"), null)),
								"overlap")));
		List<CompiledRule> all = new java.util.ArrayList<>(own);
		all.addAll(this.builtin.rules());
		RuleSet rules = RuleSet.of(1, all);
		List<String> words = new java.util.ArrayList<>();
		for (CompiledRule rule : all) {
			for (FieldMatcher condition : rule.conditions()) {
				if (condition instanceof FieldMatcher.Text text) {
					words.addAll(text.operands());
				}
			}
		}
		java.util.Random random = new java.util.Random(7);
		String[] types = { "alarm", "alarmist_test", "crash", "connection_error", "timeout", "db_error", "x" };
		int matched = 0;
		for (int i = 0; i < 20_000; i++) {
			StringBuilder message = new StringBuilder();
			for (int w = random.nextInt(6); w >= 0; w--) {
				String word = words.get(random.nextInt(words.size()));
				// cut, upper-cased or glued to the next word, as real messages have them
				if (random.nextInt(4) == 0) {
					word = word.substring(0, random.nextInt(word.length() + 1));
				}
				if (random.nextInt(3) == 0) {
					word = word.toUpperCase(java.util.Locale.ROOT);
				}
				message.append(word).append(random.nextInt(3) == 0 ? "" : " ");
			}
			Classifier.Fields event = new Classifier.Fields("agent-" + random.nextInt(10),
					types[random.nextInt(types.length)], Severity.HIGH, Category.UNKNOWN, message.toString(),
					(tools.jackson.databind.JsonNode) null);
			String expected = eachConditionByItself(rules.rules(), event);
			CompiledRule found = rules.match(event).rule();
			assertThat((found != null) ? found.id() : null).as(message.toString()).isEqualTo(expected);
			matched += (expected != null) ? 1 : 0;
		}
		// the messages reach most of the rules, not only the none-matched answer
		assertThat(matched).isGreaterThan(10_000);
	}

	/** The first rule in order whose conditions each test true by themselves. */
	private static String eachConditionByItself(List<CompiledRule> ordered, Classifier.Fields event) {
		for (CompiledRule rule : ordered) {
			boolean all = true;
			for (FieldMatcher condition : rule.conditions()) {
				String text = switch (condition.field()) {
					case "source" -> event.source();
					case "type" -> event.type();
					case "severity" -> event.severity().wire();
					case "category" -> event.category().wire();
					case "message" -> event.message();
					default -> null;
				};
				String folded = (text != null) ? text.toLowerCase(java.util.Locale.ROOT) : null;
				all = all && condition.test(text, folded, (found) -> {
				});
			}
			if (all) {
				return rule.id();
			}
		}
		return null;
	}

	private Classification classify(String type, String message, Object context) {
		return this.builtin.classify(fields(type, message, null));
	}

	private static Classifier.Fields fields(String type, String message, tools.jackson.databind.JsonNode context) {
		return new Classifier.Fields("agent-1", type, Severity.HIGH, Category.UNKNOWN, message, context);
	}

	private static Rule rule(String id, int priority, List<Rule.Condition> match, String cause) {
		return new Rule(id, null, priority, match, cause, null, null, null, null, null, null, null);
	}

}
