package org.cityops.api;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.cityops.access.Reader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics of the API — {@code cityops_api_requests_seconds} (count, sum, histogram) per
 * operation (the OpenAPI operationId), method and status, so request rates, latencies and errors
 * per route come from one timer, served at {@code /metrics} — and the access log.
 */
final class ApiMetrics {

    /** Where an operation's first handler records its operationId for the timer. */
    static final String OPERATION = "cityops.operation";

    /** The access log: its own logger, so operators can route it (e.g. as JSON) or silence it. */
    private static final Logger ACCESS = LoggerFactory.getLogger("cityops.api.access");

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The first root handler: times the request until its response ends. */
    void time(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(
                done -> {
                    long nanos = System.nanoTime() - started;
                    String operation = ctx.get(OPERATION);
                    int status = ctx.response().getStatusCode();
                    Timer.builder("cityops_api_requests")
                            .description("dispatch-api requests by operation and status")
                            .tag(
                                    "operation",
                                    operation != null ? operation : unrouted(ctx.request().path()))
                            .tag("method", ctx.request().method().name())
                            .tag("status", Integer.toString(status))
                            .publishPercentileHistogram()
                            .register(registry)
                            .record(nanos, TimeUnit.NANOSECONDS);
                    if (ACCESS.isInfoEnabled()) {
                        Reader reader = ctx.get("reader");
                        ACCESS.info(
                                accessLine(
                                        operation,
                                        ctx.request().method().name(),
                                        ctx.request().path(),
                                        status,
                                        nanos / 1_000_000,
                                        reader == null ? null : reader.subject(),
                                        reader == null ? null : reader.role().name()));
                    }
                });
        ctx.next();
    }

    /**
     * One access-log line in logfmt: who (staff subject and role, never a citizen's data), what
     * operation, status and time. The path carries ids only; the query string (free-text search)
     * and bodies (callers' details) are never logged.
     */
    static String accessLine(
            String operation,
            String method,
            String path,
            int status,
            long millis,
            String subject,
            String role) {
        return "request operation="
                + (operation == null ? "-" : operation)
                + " method="
                + method
                + " path="
                + safe(path)
                + " status="
                + status
                + " ms="
                + millis
                + " subject="
                + (subject == null ? "-" : safe(subject))
                + " role="
                + (role == null ? "-" : role);
    }

    /** No spaces or quotes: a value cannot forge another field of the line. */
    private static String safe(String value) {
        return value.replaceAll("[\\s\"]", "_");
    }

    /** Paths outside the contract, named without ids so the tag stays bounded. */
    private static String unrouted(String path) {
        return switch (path) {
            case "/health", "/ready", "/metrics", "/openapi.yaml" -> path;
            default -> "other";
        };
    }

    void scrape(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }
}
