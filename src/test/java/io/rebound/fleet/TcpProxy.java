package io.rebound.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy that can be cut: while cut, every connection through it is dropped and new
 * ones are closed as soon as they are accepted, as a broken network path between a client
 * and its server would look to the client (a reset, then refusals) — and once healed it
 * forwards again. One virtual thread per direction of each connection.
 */
final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private volatile boolean closed;

	TcpProxy(int port, int targetPort) throws IOException {
		this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
		this.targetPort = targetPort;
		Thread.ofVirtual().name("proxy-" + port).start(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Drops every connection and refuses new ones until {@link #heal()}. */
	void cut() {
		this.cut = true;
		this.open.forEach(TcpProxy::quietlyClose);
		this.open.clear();
	}

	void heal() {
		this.cut = false;
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.cut) {
				quietlyClose(client);
				continue;
			}
			try {
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				this.open.add(client);
				this.open.add(upstream);
				Thread.ofVirtual().start(() -> pump(client, upstream));
				Thread.ofVirtual().start(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				quietlyClose(client);
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				out.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			// the other side went away, or the proxy was cut
		}
		finally {
			quietlyClose(from);
			quietlyClose(to);
			this.open.remove(from);
			this.open.remove(to);
		}
	}

	private static void quietlyClose(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.server.close();
		cut();
	}

}
