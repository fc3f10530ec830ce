package io.rebound.recovery;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease that makes one instance the recovery leader, with contenders on one real
 * PostgreSQL: one holder at a time, takeover after expiry with a higher fencing token,
 * and a former leader's fenced write refused.
 */
@IntegrationTest
class LeaseIntegrationTests {

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void exactlyOneOfManyContendersHoldsTheLease() throws Exception {
		String name = "test-" + UUID.randomUUID();
		CompletableFuture<Optional<Lease.Held>>[] attempts = new CompletableFuture[8];
		for (int i = 0; i < attempts.length; i++) {
			Lease lease = new Lease(this.jdbc, name, "instance-" + i, Duration.ofSeconds(10));
			attempts[i] = CompletableFuture.supplyAsync(lease::acquire);
		}
		long holders = 0;
		for (CompletableFuture<Optional<Lease.Held>> attempt : attempts) {
			holders += attempt.get().isPresent() ? 1 : 0;
		}

		assertThat(holders).isEqualTo(1);
	}

	@Test
	void anotherTakesOverOnceTheLeaderStopsRenewingAndTheFormerLeaderIsFenced() {
		String name = "test-" + UUID.randomUUID();
		Lease a = new Lease(this.jdbc, name, "a", Duration.ofMillis(800));
		Lease b = new Lease(this.jdbc, name, "b", Duration.ofMillis(800));
		Lease.Held first = a.acquire().orElseThrow();
		assertThat(b.acquire()).isEmpty();
		assertThat(a.acquire()).as("renewal keeps the token")
			.hasValueSatisfying((h) -> assertThat(h.token()).isEqualTo(first.token()));

		// a stalls; b takes over once the lease expires
		Lease.Held second = await().atMost(Duration.ofSeconds(5)).until(b::acquire, Optional::isPresent).orElseThrow();

		assertThat(second.token()).isGreaterThan(first.token());
		assertThat(a.acquire()).as("the former leader cannot renew").isEmpty();
		TransactionTemplate transaction = new TransactionTemplate(
				new JdbcTransactionManager(this.jdbc.getDataSource()));
		Boolean formerHeld = transaction.execute((s) -> a.stillHeld(first.token()));
		Boolean currentHeld = transaction.execute((s) -> b.stillHeld(second.token()));
		assertThat(formerHeld).isFalse();
		assertThat(currentHeld).isTrue();
	}

	@Test
	void aReleasedLeaseIsTakenAtOnce() {
		String name = "test-" + UUID.randomUUID();
		Lease a = new Lease(this.jdbc, name, "a", Duration.ofMinutes(5));
		Lease b = new Lease(this.jdbc, name, "b", Duration.ofMinutes(5));
		a.acquire().orElseThrow();

		a.release();

		assertThat(b.acquire()).isPresent();
		assertThat(b.current()).hasValueSatisfying((h) -> assertThat(h.holder()).isEqualTo("b"));
	}

}
