package io.rebound.correlation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.rebound.errors.Classification;
import io.rebound.errors.Classifier;
import io.rebound.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the rules on every event the ingest path reads. At start-up it stores the built-in
 * pack and the operators' rule file (without overwriting what the API changed since),
 * then keeps the compiled rule set current: at once after a change made here, and within
 * {@code rebound.correlation.rule-refresh} after one made by another instance.
 */
@Component
class RuleClassifier implements Classifier {

	static final String BUILTIN = "correlation/builtin-rules.yml";

	private static final Logger log = LoggerFactory.getLogger(RuleClassifier.class);

	private final RuleRepository repository;

	private final RuleCompiler compiler;

	private volatile RuleSet rules = RuleSet.EMPTY;

	private final boolean enabled;

	RuleClassifier(RuleRepository repository, CorrelationProperties properties) {
		this.repository = repository;
		this.compiler = new RuleCompiler(properties.incident());
		this.enabled = properties.enabled();
		if (properties.builtinRules()) {
			seed(new ClassPathResource(BUILTIN), "builtin");
		}
		if (!properties.rulesFile().isBlank()) {
			seed(new DefaultResourceLoader().getResource(properties.rulesFile()), "file");
		}
		reload();
	}

	@Override
	public Classification classify(Fields event) {
		return this.enabled ? this.rules.classify(event) : Classification.NONE;
	}

	RuleSet rules() {
		return this.rules;
	}

	RuleCompiler compiler() {
		return this.compiler;
	}

	@Scheduled(fixedDelayString = CorrelationProperties.BEAN + ".ruleRefresh().toMillis()}")
	void refresh() {
		if (this.repository.version() != this.rules.version()) {
			reload();
		}
	}

	synchronized void reload() {
		long version = this.repository.version();
		List<CompiledRule> compiled = new ArrayList<>();
		for (RuleRepository.StoredRule stored : this.repository.all()) {
			try {
				compiled.add(this.compiler.compile(stored.rule()));
			}
			catch (ProblemException ex) {
				// stored rules were checked when saved; one that no longer compiles is
				// left
				// out, loudly, rather than stopping ingest
				log.error("Correlation rule '{}' does not compile and is skipped: {}", stored.rule().id(),
						ex.problem().getProperties());
			}
		}
		this.rules = RuleSet.of(version, compiled);
	}

	private void seed(Resource resource, String origin) {
		List<Rule> rules = read(resource);
		for (Rule rule : rules) {
			try {
				this.compiler.compile(rule);
			}
			catch (ProblemException ex) {
				throw new IllegalStateException("The correlation rules in " + resource + " are wrong about '"
						+ rule.id() + "': " + ex.problem().getProperties(), ex);
			}
			this.repository.seed(rule, origin);
		}
		log.info("Loaded {} {} correlation rules from {}", rules.size(), origin, resource);
	}

	/** Reads a YAML file of rules ({@code rules:} and a list), strictly. */
	static List<Rule> read(Resource resource) {
		YAMLMapper yaml = YAMLMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
		try (InputStream in = resource.getInputStream()) {
			RuleFile file = yaml.readValue(in, RuleFile.class);
			return (file.rules() != null) ? file.rules() : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the correlation rules in " + resource, ex);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(
					"The correlation rules in " + resource + " cannot be read: " + ex.getOriginalMessage(), ex);
		}
	}

	/** A YAML file of rules. */
	record RuleFile(List<Rule> rules) {
	}

}
