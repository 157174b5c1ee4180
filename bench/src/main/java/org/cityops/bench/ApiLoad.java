package org.cityops.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Dispatchers and operators reading: {@code users} concurrent users, each with their own token,
 * alternating an incident list page (50) and an incident's detail, as fast as answers come, for a
 * number of seconds. Latency per request, errors counted.
 */
final class ApiLoad {

    final Histogram latencyMicros = new ConcurrentHistogram(3);
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    /** Runs the load; returns requests per second. */
    double run(
            Vertx vertx,
            String apiUrl,
            List<String> userTokens,
            List<String> incidentIds,
            int seconds)
            throws Exception {
        URI uri = URI.create(apiUrl);
        WebClient http =
                WebClient.create(
                        vertx,
                        new WebClientOptions()
                                .setDefaultHost(uri.getHost())
                                .setDefaultPort(uri.getPort())
                                .setKeepAlive(true),
                        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(userTokens.size()));
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<Void>> users = new ArrayList<>();
        long started = System.nanoTime();
        for (int u = 0; u < userTokens.size(); u++) {
            Promise<Void> done = Promise.promise();
            loop(http, userTokens.get(u), incidentIds, u, end, done);
            users.add(done.future());
        }
        Future.all(users)
                .toCompletionStage()
                .toCompletableFuture()
                .get(seconds + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        http.close();
        return ok.get() / elapsed;
    }

    private void loop(
            WebClient http, String token, List<String> ids, long i, long end, Promise<Void> done) {
        if (System.nanoTime() >= end) {
            done.complete();
            return;
        }
        String path =
                i % 2 == 0 || ids.isEmpty()
                        ? "/api/v1/incidents?limit=50"
                        : "/api/v1/incidents/" + ids.get((int) (i % ids.size()));
        long start = System.nanoTime();
        http.get(path)
                .bearerTokenAuthentication(token)
                .send()
                .onComplete(
                        result -> {
                            latencyMicros.recordValue((System.nanoTime() - start) / 1000);
                            if (result.succeeded() && result.result().statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                            loop(http, token, ids, i + 1, end, done);
                        });
    }
}
