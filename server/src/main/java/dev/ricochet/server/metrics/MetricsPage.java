package dev.ricochet.server.metrics;

/**
 * What the admin port's {@code /metrics} serves: a server's own meters ({@link ServerMetrics}),
 * or a master's page gathered from its workers.
 */
public interface MetricsPage {

    /** Whether there is a page at all ({@code --metrics=false}: none, and /metrics says so). */
    boolean enabled();

    /** The Content-Type of the page {@link #scrape} returns for this Accept header (null: none sent). */
    String contentType(String accept);

    /**
     * The page, rendered now; may take milliseconds (the admin server calls it off its event loop).
     *
     * @param accept the request's Accept header, or null
     */
    String scrape(String accept);
}
