package io.rebound.security;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens from the configured issuer (here: the test key pair behind
 * {@code public-key-location}): roles and agents come from their claims, and a token that
 * is expired or signed by someone else is refused.
 */
@IntegrationTest
class JwtIntegrationTests {

	@LocalServerPort
	int port;

	String tag;

	@BeforeEach
	void setUp() {
		this.tag = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void aViewersTokenReadsButMayNotAct() throws Exception {
		Http viewer = bearer(token("alice", List.of("viewer"), List.of(), Instant.now().plusSeconds(300), true));

		assertThat(viewer.get("/api/incidents").status()).isEqualTo(200);
		assertThat(viewer.post("/api/errors/" + UUID.randomUUID() + "/resolve", "{}").status()).isEqualTo(403);
	}

	@Test
	void anAgentsTokenSpeaksOnlyForTheAgentsInItsClaim() throws Exception {
		String mine = "jwt-agent-" + this.tag;
		Http agent = bearer(token(mine, List.of("agent"), List.of(mine), Instant.now().plusSeconds(300), true));

		assertThat(agent.post("/api/errors", event(mine)).status()).isEqualTo(202);
		assertThat(agent.post("/api/errors", event("someone-else-" + this.tag)).status()).isEqualTo(403);
	}

	@Test
	void anExpiredOrForeignTokenIsRefused() throws Exception {
		Http expired = bearer(token("bob", List.of("operator"), List.of(), Instant.now().minusSeconds(600), true));
		Http foreign = bearer(token("mallory", List.of("operator"), List.of(), Instant.now().plusSeconds(300), false));

		assertThat(expired.get("/api/errors").status()).isEqualTo(401);
		Http.Response response = foreign.get("/api/errors");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	private Http bearer(String token) {
		return new Http(this.port, null).withHeader("Authorization", "Bearer " + token);
	}

	private static String token(String subject, List<String> roles, List<String> agents, Instant expires,
			boolean trusted) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
				new JWTClaimsSet.Builder().subject(subject)
					.issuer("https://issuer.test")
					.claim("roles", roles)
					.claim("agents", agents)
					.issueTime(Date.from(expires.minusSeconds(900)))
					.expirationTime(Date.from(expires))
					.build());
		jwt.sign(new RSASSASigner(trusted ? trustedKey() : otherKey()));
		return jwt.serialize();
	}

	private static RSAPrivateKey trustedKey() throws Exception {
		String pem = new ClassPathResource("test-jwt-pkcs8.key").getContentAsString(StandardCharsets.US_ASCII);
		byte[] der = Base64.getMimeDecoder()
			.decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
		return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
	}

	private static RSAPrivateKey otherKey() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return (RSAPrivateKey) generator.generateKeyPair().getPrivate();
	}

	private static String event(String source) {
		return Http.json(Map.of("source", source, "type", "t", "severity", "low", "message", "m"));
	}

}
