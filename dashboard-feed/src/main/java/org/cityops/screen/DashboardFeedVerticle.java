package org.cityops.screen;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cityops.access.AccessConfig;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Tokens;
import org.cityops.livestate.Delta;
import org.cityops.livestate.Documents;
import org.cityops.livestate.IncidentPage;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.KpiRows;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.livestate.StreamIds;
import org.cityops.schemas.topics.Topics;

/**
 * The live feed for command screens and the page itself. Routes are listed in {@link #routes}.
 * {@code /ws/screen?token=T[&lastId=ID]}: a snapshot then ordered deltas; with {@code lastId} the
 * deltas missed since then (or a fresh snapshot when the stream no longer holds them). See
 * docs/screen-protocol.md.
 */
public final class DashboardFeedVerticle extends VerticleBase {

    /** Each delta is parsed and masked once for all screens (used on this verticle's loop). */
    private final DeltaCache deltaCache = new DeltaCache();

    /** Open screens per token (on this verticle's loop), against {@code maxScreensPerToken}. */
    private final java.util.Map<String, Integer> screensOf = new java.util.HashMap<>();

    private int maxScreensPerToken;
    private JsonArray latestFeeds = new JsonArray();
    private boolean feedsReadInFlight;

    /** How much a screen's socket may hold unsent before its updates are coalesced. */
    private int writeQueueBytes;

    static final int SNAPSHOT_LIMIT = 2_000;
    static final int CATCH_UP_LIMIT = 5_000;
    static final int ALERTS_IN_SNAPSHOT = 30;
    static final long HEARTBEAT_MILLIS = 15_000;

    /** KPIs are aggregates: re-read every few seconds rather than flooding the delta stream. */
    static final long KPI_REFRESH_MILLIS = 5_000;

    private final Set<ScreenSession> sessions = new LinkedHashSet<>();
    private LiveView live;
    private Tokens tokens;
    private DeltaPump pump;
    private HttpServer server;
    private byte[] districts;

    /** The Kafka history for after-action review (null without Kafka). */
    private IncidentHistory history;

    /** What the page needs besides the feed: the dispatch API's URL and the KPI targets. */
    private String pageConfig;

    private JsonArray latestKpis = new JsonArray();
    private boolean kpiReadInFlight;

    @Override
    public Future<?> start() {
        JsonObject config = config();
        String secret = config.getString("jwtSecret", System.getenv("CITYOPS_JWT_SECRET"));
        if (secret == null || config.getString("liveView") == null) {
            return Future.failedFuture(
                    "dashboard-feed needs liveView and jwtSecret (or CITYOPS_JWT_SECRET)");
        }
        live = LiveViews.open(config.getString("liveView"));
        maxScreensPerToken = config.getInteger("maxScreensPerToken", 20);
        writeQueueBytes = config.getInteger("screenWriteQueueBytes", 256 * 1024);
        tokens = new Tokens(vertx, new AccessConfig(secret, config.getString("jwtIssuer")));
        districts = resource("/geo/sf-analysis-neighborhoods.geojson");
        if (config.getString("kafka") != null) {
            history =
                    new IncidentHistory(
                            config.getString("kafka"),
                            Topics.withPrefix(config.getString("topicPrefix", ""))
                                    .incidents()
                                    .name());
        }
        JsonObject targets = config.getJsonObject("kpiTargets");
        if (targets == null) {
            targets = new JsonObject(new String(resource("kpi-targets.json"), UTF_8));
            targets.remove("_doc");
        }
        pageConfig =
                new JsonObject()
                        .put("apiUrl", config.getString("apiUrl"))
                        .put("kpiTargets", targets)
                        .encode();
        pump = new DeltaPump(live, deltas -> context.runOnContext(v -> broadcast(deltas)));
        pump.start();
        vertx.setPeriodic(HEARTBEAT_MILLIS, id -> heartbeat());
        vertx.setPeriodic(
                config.getLong("kpiRefreshMillis", KPI_REFRESH_MILLIS),
                id -> {
                    refreshKpis();
                    refreshFeeds();
                });
        // screens get a heartbeat every 15 s, so only a connection that does nothing at all (a
        // half-open socket, slowloris) goes quiet for longer: dropped after 60 s
        server =
                vertx.createHttpServer(
                        new io.vertx.core.http.HttpServerOptions()
                                .setIdleTimeout(config.getInteger("idleTimeoutSeconds", 60))
                                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS));
        return server.requestHandler(routes())
                .listen(config.getInteger("port", 8081), config.getString("host", "127.0.0.1"));
    }

    public int actualPort() {
        return server.actualPort();
    }

    Router routes() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/ws/screen").handler(ctx -> openScreen(ctx, false));
        router.get("/sse/screen").handler(ctx -> openScreen(ctx, true));
        router.get("/geo/districts.geojson").handler(this::districts);
        router.get("/history").handler(this::history);
        router.get("/config.json")
                .handler(
                        ctx ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(pageConfig));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        return router;
    }

    private void health(RoutingContext ctx) {
        vertx.executeBlocking(live::ping, false)
                .onComplete(
                        up ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(
                                                new JsonObject()
                                                        .put(
                                                                "status",
                                                                up.succeeded() && up.result()
                                                                        ? "UP"
                                                                        : "DOWN")
                                                        .put("screens", sessions.size())
                                                        .put("liveView", live.describe())
                                                        .encode()));
    }

    /**
     * After-action review: {@code /history?at=ISO-instant} — every incident the token may see as it
     * stood at that city time, from the Kafka history (personal data always masked); without {@code
     * at}, only the span of time the history covers.
     */
    private void history(RoutingContext ctx) {
        if (history == null) {
            ctx.response().setStatusCode(503).end("review needs Kafka (config kafka, topicPrefix)");
            return;
        }
        String at = ctx.queryParams().get("at");
        Instant when;
        try {
            when = at == null ? null : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            ctx.response().setStatusCode(400).end("at: '" + at + "' is not an ISO-8601 instant");
            return;
        }
        tokens.verify(token(ctx))
                .compose(
                        reader ->
                                vertx.executeBlocking(
                                        () -> {
                                            Instant[] span = history.span();
                                            JsonObject answer = new JsonObject();
                                            if (span != null) {
                                                answer.put(
                                                        "span",
                                                        new JsonObject()
                                                                .put("from", span[0].toString())
                                                                .put("to", span[1].toString()));
                                            }
                                            if (when == null) {
                                                return answer;
                                            }
                                            JsonArray incidents = new JsonArray();
                                            for (String doc : history.at(when, SNAPSHOT_LIMIT)) {
                                                var incident = Documents.parse(doc);
                                                if (reader.canSeeIncident(
                                                        Documents.involved(incident))) {
                                                    incidents.add(
                                                            new JsonObject(
                                                                    Documents.maskIncident(incident)
                                                                            .toString()));
                                                }
                                            }
                                            return answer.put("at", when.toString())
                                                    .put("incidents", incidents);
                                        },
                                        true)) // one worker at a time: the history is not shared
                .onSuccess(
                        answer ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(answer.encode()))
                .onFailure(
                        e ->
                                ctx.response()
                                        .setStatusCode(
                                                e instanceof AccessDenied denied
                                                        ? denied.status()
                                                        : 503)
                                        .end(String.valueOf(e.getMessage())));
    }

    private void districts(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/geo+json")
                .end(io.vertx.core.buffer.Buffer.buffer(districts));
    }

    /**
     * The caller's token: {@code ?token=} (a wall screen's URL, a browser's WebSocket, which cannot
     * set headers) or {@code Authorization: Bearer}.
     */
    private static String token(RoutingContext ctx) {
        String token = ctx.queryParams().get("token");
        String header = ctx.request().getHeader("Authorization");
        if (token == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).strip();
        }
        return token;
    }

    /** A screen over a WebSocket, or over Server-Sent Events ({@code sse}): the same protocol. */
    private void openScreen(RoutingContext ctx, boolean sse) {
        String token = token(ctx);
        String lastId = ctx.queryParams().get("lastId");
        if (lastId == null && sse) {
            lastId = ctx.request().getHeader("Last-Event-ID"); // an EventSource resuming
        }
        String resumeFrom = lastId;
        ScreenFilter filter;
        try {
            filter = ScreenFilter.from(ctx.queryParams());
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(400).end(e.getMessage());
            return;
        }
        String key = token == null ? "" : token;
        if (screensOf.getOrDefault(key, 0) >= maxScreensPerToken) {
            ctx.response()
                    .setStatusCode(429)
                    .end(
                            "at most "
                                    + maxScreensPerToken
                                    + " screens may use one token at a time; close one first");
            return;
        }
        ctx.request().pause();
        tokens.verify(token)
                .onFailure(
                        e -> {
                            int status = e instanceof AccessDenied denied ? denied.status() : 401;
                            ctx.response().setStatusCode(status).end(e.getMessage());
                        })
                .onSuccess(
                        reader -> {
                            if (sse) {
                                ctx.request().resume();
                                HttpServerResponse response = ctx.response();
                                response.setWriteQueueMaxSize(writeQueueBytes);
                                ScreenChannel channel =
                                        new ScreenChannel.ServerSentEvents(response);
                                ScreenSession session =
                                        attach(channel, reader, resumeFrom, filter, key);
                                response.closeHandler(v -> detach(session, key));
                                return;
                            }
                            ctx.request()
                                    .toWebSocket()
                                    .onSuccess(
                                            socket -> {
                                                socket.setWriteQueueMaxSize(writeQueueBytes);
                                                ScreenSession session =
                                                        attach(
                                                                new ScreenChannel.WebSocket(socket),
                                                                reader,
                                                                resumeFrom,
                                                                filter,
                                                                key);
                                                socket.closeHandler(v -> detach(session, key));
                                                socket.exceptionHandler(
                                                        e -> session.close((short) 1011, "error"));
                                            })
                                    .onFailure(ctx::fail);
                        });
    }

    private void detach(ScreenSession session, String tokenKey) {
        session.markClosed();
        sessions.remove(session);
        screensOf.computeIfPresent(tokenKey, (k, n) -> n > 1 ? n - 1 : null);
    }

    private ScreenSession attach(
            ScreenChannel channel,
            Reader reader,
            String lastId,
            ScreenFilter filter,
            String tokenKey) {
        ScreenSession session = new ScreenSession(channel, reader, deltaCache, filter);
        sessions.add(session);
        screensOf.merge(tokenKey, 1, Integer::sum);
        if (!latestKpis.isEmpty()) {
            session.sendKpis(latestKpis);
        }
        if (!latestFeeds.isEmpty()) {
            session.sendFeeds(latestFeeds);
        }
        if (lastId != null && StreamIds.isValid(lastId) && !lastId.equals(StreamIds.BEGINNING)) {
            vertx.executeBlocking(() -> live.deltasAfter(lastId, CATCH_UP_LIMIT, 0), false)
                    .onSuccess(
                            batch -> {
                                if (batch.gap()
                                        || batch.deltas().size() >= CATCH_UP_LIMIT
                                        || batch.deltas().stream()
                                                .anyMatch(d -> Delta.REBUILT.equals(d.kind()))) {
                                    snapshot(session);
                                } else {
                                    session.sendCatchUp(lastId, batch.deltas());
                                }
                            })
                    .onFailure(e -> session.close((short) 1011, "live view unavailable"));
        } else {
            snapshot(session);
        }
        return session;
    }

    private void snapshot(ScreenSession session) {
        String department = session.reader().restrictedToDepartment();
        vertx.executeBlocking(
                        () -> {
                            String tip = live.deltaTip();
                            IncidentPage page =
                                    live.incidents(
                                            new IncidentQuery(
                                                    null,
                                                    null,
                                                    null,
                                                    department,
                                                    0,
                                                    SNAPSHOT_LIMIT));
                            return new Snapshot(
                                    tip,
                                    page,
                                    live.alerts(ALERTS_IN_SNAPSHOT, false),
                                    live.escalations(ALERTS_IN_SNAPSHOT),
                                    activeWarnings(live.warnings()));
                        },
                        false)
                .onSuccess(
                        s ->
                                session.sendSnapshot(
                                        s.tip(),
                                        s.page().total(),
                                        s.page().documents(),
                                        s.alerts(),
                                        s.escalations(),
                                        s.warnings()))
                .onFailure(e -> session.close((short) 1011, "live view unavailable"));
    }

    private record Snapshot(
            String tip,
            IncidentPage page,
            List<String> alerts,
            List<String> escalations,
            JsonArray warnings) {}

    /** Public warnings a screen shows: real ones (never a test or exercise) not cancelled. */
    static JsonArray activeWarnings(List<String> documents) {
        JsonArray active = new JsonArray();
        for (String document : documents) {
            JsonObject warning = new JsonObject(document);
            if (warning.getBoolean("actual", false)
                    && "ACTIVE".equals(warning.getString("state"))) {
                active.add(warning);
            }
        }
        return active;
    }

    private void broadcast(List<Delta> deltas) {
        deltaCache.nextBatch();
        boolean rebuilt = deltas.stream().anyMatch(d -> Delta.REBUILT.equals(d.kind()));
        for (ScreenSession session : List.copyOf(sessions)) {
            if (rebuilt) {
                // the store was lost and rebuilt from Kafka: what a screen holds may be what only
                // the lost store had (a failed run's versions), so it gets a fresh snapshot
                session.awaitSnapshot();
                snapshot(session);
            } else {
                session.onDeltas(deltas);
            }
        }
    }

    /** Feed health, re-read with the KPIs: a feed that goes silent or starts rejecting shows. */
    private void refreshFeeds() {
        if (feedsReadInFlight) {
            return;
        }
        feedsReadInFlight = true;
        vertx.executeBlocking(
                        () -> {
                            JsonArray feeds = new JsonArray();
                            live.feedHealth().forEach(doc -> feeds.add(new JsonObject(doc)));
                            return feeds;
                        },
                        false)
                .onComplete(
                        read -> {
                            feedsReadInFlight = false;
                            if (read.succeeded() && !read.result().equals(latestFeeds)) {
                                latestFeeds = read.result();
                                sessions.forEach(s -> s.sendFeeds(latestFeeds));
                            }
                        });
    }

    private void refreshKpis() {
        if (kpiReadInFlight) {
            return;
        }
        kpiReadInFlight = true;
        vertx.executeBlocking(this::readNewestDayKpis, false)
                .onComplete(
                        read -> {
                            kpiReadInFlight = false;
                            if (read.succeeded() && !read.result().equals(latestKpis)) {
                                latestKpis = read.result();
                                sessions.forEach(s -> s.sendKpis(latestKpis));
                            }
                        });
    }

    /** The city's and each department's KPIs of the newest day there are KPIs for. */
    private JsonArray readNewestDayKpis() {
        JsonArray rows = new JsonArray();
        List<String> cityDays = live.kpis("city", "0001-01-01", "9999-12-31");
        if (cityDays.isEmpty()) {
            return rows;
        }
        String day = new JsonObject(cityDays.get(cityDays.size() - 1)).getString("day");
        live.kpis("city", day, day).forEach(doc -> rows.add(shown(doc)));
        live.kpis("department:", day, day).forEach(doc -> rows.add(shown(doc)));
        return rows;
    }

    /** A stored KPI row as the screen gets it: without the raw durations. */
    private static JsonObject shown(String document) {
        return new JsonObject(KpiRows.published(Documents.parse(document)).toString());
    }

    private void heartbeat() {
        long now = System.currentTimeMillis();
        sessions.forEach(s -> s.heartbeat(now));
    }

    /** Number of connected screens (for health and tests). */
    int screens() {
        return sessions.size();
    }

    @Override
    public Future<?> stop() {
        if (pump != null) {
            pump.stop();
        }
        sessions.forEach(s -> s.close((short) 1001, "server stopping"));
        if (live != null) {
            live.close();
        }
        if (history != null) {
            return vertx.executeBlocking(
                    () -> {
                        history.close();
                        return null;
                    },
                    true);
        }
        return Future.succeededFuture();
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardFeedVerticle.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
