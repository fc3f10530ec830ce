package io.rebound.recovery;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.NamedInterface;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Which instance leads recovery: every instance tries to take or renew the
 * {@code recovery} lease every {@code rebound.recovery.lease-renew} (default 2 s; the
 * lease lasts {@code rebound.recovery.lease-ttl}, default 10 s), so when the leader dies
 * another takes over within the TTL plus one renewal. A clean shutdown gives the lease up
 * at once.
 */
@Component
@NamedInterface("leadership")
public class RecoveryLeadership {

	private static final Logger log = LoggerFactory.getLogger(RecoveryLeadership.class);

	private final Lease lease;

	private final String instance;

	private volatile Optional<Lease.Held> held = Optional.empty();

	RecoveryLeadership(JdbcTemplate jdbc, RecoveryProperties properties) {
		this.instance = instanceName();
		this.lease = new Lease(jdbc, "recovery", this.instance, properties.leaseTtl());
	}

	@Scheduled(fixedDelayString = RecoveryProperties.BEAN + ".leaseRenew().toMillis()}", initialDelay = 0)
	void renew() {
		boolean was = this.held.isPresent();
		try {
			this.held = this.lease.acquire();
		}
		catch (RuntimeException ex) {
			// without the database, nobody can be sure to lead
			this.held = Optional.empty();
			log.warn("Could not renew the recovery lease: {}", ex.toString());
		}
		if (was != this.held.isPresent()) {
			log.info(
					this.held.isPresent() ? "This instance ({}) now leads recovery (token {})"
							: "This instance ({}) no longer leads recovery",
					this.instance, this.held.map(Lease.Held::token).orElse(0L));
		}
	}

	/**
	 * Whether this instance still holds the lease, checked inside the caller's
	 * transaction against the database (the lease row stays share-locked until commit): a
	 * step of a leader that lost its lease is not written.
	 */
	boolean stillLeading() {
		Optional<Lease.Held> mine = this.held;
		return mine.isPresent() && this.lease.stillHeld(mine.get().token());
	}

	/** Whether this instance leads recovery now. */
	public boolean leading() {
		return this.held.isPresent();
	}

	/** The leading instance and its fencing token, whichever instance it is. */
	public Optional<String> leader() {
		return this.lease.current().map((h) -> h.holder() + " (token " + h.token() + ")");
	}

	@PreDestroy
	void release() {
		if (this.held.isPresent()) {
			this.lease.release();
		}
	}

	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

}
