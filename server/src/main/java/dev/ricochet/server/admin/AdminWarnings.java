package dev.ricochet.server.admin;

import dev.ricochet.server.connection.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rate-limited WARN per kind of refused admin client: a flood of bad requests must not
 * become a flood of log lines, and one kind must not hide another.
 */
final class AdminWarnings {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    final RateLimitedWarning badRequest = new RateLimitedWarning(log, INTERVAL_NANOS);
    final RateLimitedWarning timedOut = new RateLimitedWarning(log, INTERVAL_NANOS);
    final RateLimitedWarning full = new RateLimitedWarning(log, INTERVAL_NANOS);
}
