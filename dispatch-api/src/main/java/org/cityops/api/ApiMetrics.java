package org.cityops.api;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;

/**
 * Prometheus metrics of the API: {@code cityops_api_requests_seconds} (count, sum, histogram) per
 * operation (the OpenAPI operationId), method and status, so request rates, latencies and errors
 * per route come from one timer. Served at {@code /metrics}.
 */
final class ApiMetrics {

    /** Where an operation's first handler records its operationId for the timer. */
    static final String OPERATION = "cityops.operation";

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The first root handler: times the request until its response ends. */
    void time(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(
                done -> {
                    String operation = ctx.get(OPERATION);
                    Timer.builder("cityops_api_requests")
                            .description("dispatch-api requests by operation and status")
                            .tag(
                                    "operation",
                                    operation != null ? operation : unrouted(ctx.request().path()))
                            .tag("method", ctx.request().method().name())
                            .tag("status", Integer.toString(ctx.response().getStatusCode()))
                            .publishPercentileHistogram()
                            .register(registry)
                            .record(
                                    System.nanoTime() - started,
                                    java.util.concurrent.TimeUnit.NANOSECONDS);
                });
        ctx.next();
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
