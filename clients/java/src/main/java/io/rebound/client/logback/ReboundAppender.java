package io.rebound.client.logback;

import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.rebound.client.ReboundClient;

/**
 * A Logback appender that reports ERROR events carrying a throwable (its class as the
 * type, the log message, the stack trace as the traceback) through the client built last
 * ({@link ReboundClient#current()}), or the one given. The client's own loggers are left
 * alone, so nothing loops.
 *
 * <pre>{@code
 * <appender name="REBOUND" class="io.rebound.client.logback.ReboundAppender"/>
 * <root level="INFO"><appender-ref ref="REBOUND"/></root>
 * }</pre>
 */
public class ReboundAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

	private volatile ReboundClient client;

	public void setClient(ReboundClient client) {
		this.client = client;
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (!event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() == null
				|| event.getLoggerName().startsWith("io.rebound.client")) {
			return;
		}
		ReboundClient target = (this.client != null) ? this.client : ReboundClient.current();
		if (target == null) {
			return;
		}
		IThrowableProxy thrown = event.getThrowableProxy();
		Map<String, Object> context = new LinkedHashMap<>();
		context.put("logger", event.getLoggerName());
		context.put("thread", event.getThreadName());
		if (thrown instanceof ThrowableProxy proxy) {
			StringBuilder trace = new StringBuilder();
			java.io.StringWriter text = new java.io.StringWriter();
			proxy.getThrowable().printStackTrace(new java.io.PrintWriter(text));
			trace.append(text);
			context.put("traceback", trace.toString());
		}
		String type = thrown.getClassName().substring(thrown.getClassName().lastIndexOf('.') + 1);
		target.report(type, event.getFormattedMessage(), "high", context);
	}

}
