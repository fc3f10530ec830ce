package io.rebound.agents;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Rebound may send control calls and health probes: the hosts of registered
 * {@code control_url}s and {@code health_url}s must match one entry — a CIDR
 * ({@code 10.0.0.0/8}), a host name ({@code db-1.example.com}), a wildcard
 * ({@code *.svc.cluster.local}) or {@code *} (anywhere) — or, when allowed, be a bare
 * service name without a dot ({@code planner-1}). Host names are judged by name, never
 * resolved, so the answer does not depend on DNS at the moment of registration.
 */
final class EndpointAllowlist {

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]?");

	private final List<String> entries;

	private final List<Cidr> cidrs = new ArrayList<>();

	private final List<String> names = new ArrayList<>();

	private final boolean singleLabel;

	EndpointAllowlist(List<String> entries, boolean singleLabel) {
		this.entries = List.copyOf(entries);
		this.singleLabel = singleLabel;
		for (String entry : entries) {
			String e = entry.strip().toLowerCase(Locale.ROOT);
			if (e.contains("/")) {
				this.cidrs.add(Cidr.parse(e));
			}
			else if (!e.isEmpty()) {
				this.names.add(e);
			}
		}
	}

	/** Why the URL's host is not allowed, or empty when it is. */
	Optional<String> refusal(String url) {
		String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
		if (this.names.contains("*") || this.names.contains(host)) {
			return Optional.empty();
		}
		if (IP_LITERAL.matcher(host).matches()) {
			Optional<InetAddress> address = literal(host);
			if (address.isPresent() && this.cidrs.stream().anyMatch((c) -> c.contains(address.get()))) {
				return Optional.empty();
			}
		}
		else if ((this.singleLabel && host.indexOf('.') < 0)
				|| this.names.stream().anyMatch((n) -> n.startsWith("*.") && host.endsWith(n.substring(1)))) {
			return Optional.empty();
		}
		return Optional.of("host '" + host + "' is not in rebound.agents.endpoints.allowed " + this.entries
				+ (this.singleLabel ? " (bare service names are allowed too)" : ""));
	}

	private static Optional<InetAddress> literal(String host) {
		try {
			return Optional.of(InetAddress.getByName(host.replace("[", "").replace("]", "")));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

	/** A block of addresses; an IPv4 address is never in an IPv6 block or the reverse. */
	record Cidr(byte[] network, int bits) {

		static Cidr parse(String text) {
			int slash = text.indexOf('/');
			try {
				byte[] network = InetAddress.getByName(text.substring(0, slash)).getAddress();
				int bits = Integer.parseInt(text.substring(slash + 1));
				if (bits < 0 || bits > network.length * 8) {
					throw new IllegalArgumentException();
				}
				return new Cidr(network, bits);
			}
			catch (UnknownHostException | IllegalArgumentException ex) {
				throw new IllegalStateException(
						"rebound.agents.endpoints.allowed: '" + text + "' is not a CIDR like 10.0.0.0/8 or fc00::/7");
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			int shift = bytes.length * 8 - this.bits;
			return new BigInteger(1, bytes).shiftRight(shift).equals(new BigInteger(1, this.network).shiftRight(shift));
		}

	}

}
