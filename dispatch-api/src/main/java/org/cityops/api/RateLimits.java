package org.cityops.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * A request budget per bearer token (resilience4j: {@code perSecond} permits refreshed every
 * second); beyond it, 429 with {@code Retry-After}. Limiters of tokens not seen for ten minutes are
 * dropped, so thousands of tokens cannot grow memory without bound.
 */
final class RateLimits {

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters =
            Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterAccess(Duration.ofMinutes(10))
                    .build();

    RateLimits(int perSecond) {
        this.config =
                RateLimiterConfig.custom()
                        .limitForPeriod(perSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build();
    }

    /** After authentication: lets the request on, or answers 429. */
    void check(RoutingContext ctx, String token) {
        RateLimiter limiter = limiters.get(token, t -> RateLimiter.of("token", config));
        if (limiter.acquirePermission()) {
            ctx.next();
            return;
        }
        long waitNanos =
                Math.max(1, ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait());
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        ctx.fail(
                ApiException.tooManyRequests(
                        "more than "
                                + config.getLimitForPeriod()
                                + " requests per second with this token; retry after "
                                + seconds
                                + " s"));
    }
}
