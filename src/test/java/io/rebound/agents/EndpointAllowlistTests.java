package io.rebound.agents;

import java.util.List;

import io.rebound.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EndpointAllowlistTests {

	final EndpointAllowlist defaults = Settings.bind("rebound.agents", AgentsProperties.class).endpoints().allowlist();

	@Test
	void allowsLoopbackPrivateRangesInternalNamesAndBareServiceNames() {
		for (String url : List.of("http://localhost:9000/control", "http://127.0.0.1:1/", "http://[::1]:80/",
				"http://10.2.3.4/", "http://172.31.255.255/", "http://192.168.1.10/", "http://[fd12:3456::1]/",
				"http://planner.agents.svc.cluster.local/", "http://db.internal/", "http://planner-1:9000/")) {
			assertThat(this.defaults.refusal(url)).as(url).isEmpty();
		}
	}

	@Test
	void refusesPublicAddressesLinkLocalAndOtherNames() {
		for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://8.8.8.8/", "http://172.32.0.1/",
				"http://[2001:db8::1]/", "http://example.com/", "http://evil.svc.example.com/", "http://[fe80::1]/")) {
			assertThat(this.defaults.refusal(url)).as(url).isPresent();
		}
	}

	@Test
	void bareNamesOnlyWhenAllowedAndAStarAllowsAnything() {
		assertThat(new EndpointAllowlist(List.of("10.0.0.0/8"), false).refusal("http://planner-1/")).isPresent();
		assertThat(new EndpointAllowlist(List.of("*"), false).refusal("https://agents.example.com/")).isEmpty();
		assertThat(new EndpointAllowlist(List.of("agents.example.com"), false).refusal("https://AGENTS.example.com/"))
			.isEmpty();
	}

	@Test
	void aWrongCidrStopsStartUpNamingTheSetting() {
		assertThatIllegalStateException().isThrownBy(() -> new EndpointAllowlist(List.of("10.0.0.0/33"), true))
			.withMessageContaining("rebound.agents.endpoints.allowed: '10.0.0.0/33'");
	}

}
