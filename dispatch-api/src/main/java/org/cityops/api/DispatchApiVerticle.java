package org.cityops.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Tokens;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViewKeeper;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.AuditOutcome;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch API. {@code openapi.yaml} (served at {@code /openapi.yaml}) is the source of truth:
 * the router is built from it and validates every request before a handler runs; {@link #routes}
 * binds each operationId to its handler. Every {@code /api/} request needs a bearer token (401) and
 * passes the per-token rate limit (429); handlers check role and department (403). Reads come from
 * the live view; actions are published to Kafka and answered 202.
 */
public final class DispatchApiVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchApiVerticle.class);
    private static final String READER = "reader";
    static final String CONTRACT = "openapi.yaml";

    private final Clock cityClock;
    private ApiConfig config;
    private LiveView live;
    private Tokens tokens;
    private IncidentReads incidents;
    private FeedReads feeds;
    private IncidentCommands commands;
    private ManualCalls calls;
    private AlertReads alerts;
    private KpiReads kpis;
    private CapExports capExports;
    private EidoExports eidoExports;
    private LiveViewKeeper keeper;
    private CommandPublisher publisher;
    private Readiness readiness;
    private Idempotency idempotency;
    private RateLimits rateLimits;
    private final ApiMetrics metrics = new ApiMetrics();
    private HttpServer server;

    public DispatchApiVerticle() {
        this(Clock.systemUTC());
    }

    /**
     * {@code cityClock} stamps operators' and departments' actions (a replay's clock in a demo).
     */
    public DispatchApiVerticle(Clock cityClock) {
        this.cityClock = cityClock;
    }

    @Override
    public Future<?> start() {
        config = ApiConfig.from(config());
        live = LiveViews.open(config.liveView());
        tokens = new Tokens(vertx, config.access());
        incidents = new IncidentReads(live);
        feeds = new FeedReads(live);
        commands = new IncidentCommands(live, cityClock);
        calls = new ManualCalls(cityClock);
        alerts = new AlertReads(live);
        kpis = new KpiReads(live);
        capExports = new CapExports(live, config().getString("capSender", "cityops@city.example"));
        eidoExports =
                new EidoExports(
                        live, incidents, config().getString("nenaElement", "cityops.sf.example"));
        idempotency = new Idempotency(live);
        rateLimits = new RateLimits(config.rateLimitPerSecond());
        if (config.kafka() != null) {
            publisher =
                    new CommandPublisher(config.kafka(), Topics.withPrefix(config.topicPrefix()));
        }
        readiness = new Readiness(live, config.kafka());
        if (config.kafka() != null && config().getBoolean("keepLiveView", true)) {
            keepLiveView(
                    new LiveViewKeeper(
                            live, config.kafka(), Topics.withPrefix(config.topicPrefix())),
                    config().getLong("liveViewCheckMillis", 1_000L));
        }
        return OpenAPIContract.from(vertx, CONTRACT)
                .compose(
                        contract -> {
                            // a client that opens a connection and then sends and reads nothing
                            // (slowloris, a hung reader) is dropped instead of held for ever
                            server =
                                    vertx.createHttpServer(
                                            new io.vertx.core.http.HttpServerOptions()
                                                    .setIdleTimeout(config.idleTimeoutSeconds())
                                                    .setIdleTimeoutUnit(
                                                            java.util.concurrent.TimeUnit.SECONDS));
                            return server.requestHandler(routes(contract))
                                    .listen(config.port(), config.host());
                        });
    }

    /** The port actually bound (useful when configured with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** Every route: the operational ones, then each operation of the contract with its handler. */
    Router routes(OpenAPIContract contract) {
        RouterBuilder builder =
                RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
        builder.rootHandler((io.vertx.ext.web.handler.PlatformHandler) metrics::time);
        if (!config.corsOrigins().isEmpty() || config.corsOriginPattern() != null) {
            builder.rootHandler(cors()); // without origins CorsHandler would allow any page
        }
        builder.rootHandler(BodyHandler.create().setBodyLimit(64 * 1024));
        builder.rootHandler(this::authenticate);
        Map<String, Consumer<RoutingContext>> operations =
                Map.ofEntries(
                        Map.entry("listIncidents", this::listIncidents),
                        Map.entry("createIncident", this::createIncident),
                        Map.entry("getIncident", this::getIncident),
                        Map.entry(
                                "mergeIncident",
                                ctx -> command(ctx, r -> commands.merge(r, id(ctx), body(ctx)))),
                        Map.entry(
                                "splitIncident",
                                ctx -> command(ctx, r -> commands.split(r, id(ctx), body(ctx)))),
                        Map.entry(
                                "taskAction",
                                ctx ->
                                        command(
                                                ctx,
                                                r ->
                                                        commands.taskAction(
                                                                r,
                                                                id(ctx),
                                                                ctx.pathParam("department"),
                                                                ctx.pathParam("action"),
                                                                body(ctx)))),
                        Map.entry("verifyIncident", ctx -> incidentAction(ctx, CommandKind.VERIFY)),
                        Map.entry("reopenIncident", ctx -> incidentAction(ctx, CommandKind.REOPEN)),
                        Map.entry("cancelIncident", ctx -> incidentAction(ctx, CommandKind.CANCEL)),
                        Map.entry(
                                "rateIncident",
                                ctx -> incidentAction(ctx, CommandKind.SATISFACTION)),
                        Map.entry("taskQueue", this::taskQueue),
                        Map.entry("listAlerts", this::listAlerts),
                        Map.entry("listEscalations", this::listEscalations),
                        Map.entry(
                                "listKpis", ctx -> read(ctx, r -> kpis.kpis(r, ctx.queryParams()))),
                        Map.entry("listFeeds", ctx -> read(ctx, r -> feeds.feeds())),
                        Map.entry("listDeadLetters", this::listDeadLetters),
                        Map.entry("listRules", ctx -> read(ctx, alerts::rules)),
                        Map.entry("listAudit", this::listAudit),
                        Map.entry(
                                "listWarnings",
                                ctx ->
                                        read(
                                                ctx,
                                                r ->
                                                        capExports.warnings(
                                                                "true"
                                                                        .equals(
                                                                                ctx.queryParams()
                                                                                        .get(
                                                                                                "all"))))),
                        Map.entry("exportIncidentCap", this::exportIncidentCap),
                        Map.entry("exportAlertCap", this::exportAlertCap),
                        Map.entry(
                                "incidentTimeline",
                                ctx -> read(ctx, r -> incidents.timeline(r, id(ctx)))),
                        Map.entry(
                                "exportIncidentEido",
                                ctx -> read(ctx, r -> eidoExports.incident(r, id(ctx)))));
        for (OpenAPIRoute route : builder.getRoutes()) {
            String operation = route.getOperation().getOperationId();
            Consumer<RoutingContext> handler = operations.get(operation);
            if (handler == null) {
                throw new IllegalStateException(
                        CONTRACT + " names " + operation + ", which has no handler");
            }
            route.setDoSecurity(false) // authenticated by the root handler, with our error body
                    .addHandler(ctx -> ctx.put(ApiMetrics.OPERATION, operation).next())
                    .addHandler(handler::accept)
                    .addFailureHandler(ApiErrors::handle);
        }
        Router router = builder.createRouter();
        router.get("/health").handler(this::health);
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(metrics::scrape);
        router.get("/" + CONTRACT)
                .handler(
                        ctx ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/yaml")
                                        .sendFile(CONTRACT));
        router.route().failureHandler(ApiErrors::handle);
        router.route().last().handler(ctx -> ctx.fail(404));
        return router;
    }

    // ---- authentication and rate limit (root handlers) ------------------------------------

    /**
     * Pages allowed to call the API from a browser (the command screen's operator view): others get
     * no CORS headers, so browsers refuse them. Preflights are answered before authentication.
     */
    private CorsHandler cors() {
        CorsHandler cors = CorsHandler.create();
        config.corsOrigins().forEach(cors::addOrigin);
        if (config.corsOriginPattern() != null) {
            cors.addOriginWithRegex(config.corsOriginPattern());
        }
        return cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key"))
                .exposedHeaders(
                        Set.of("CityOps-Version-Reached", "Idempotent-Replayed", "Retry-After"))
                .maxAgeSeconds(600);
    }

    private void authenticate(RoutingContext ctx) {
        if (!ctx.request().path().startsWith("/api/")) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.fail(AccessDenied.unauthenticated("send 'Authorization: Bearer <token>'"));
            return;
        }
        String token = header.substring(7).strip();
        tokens.verify(token)
                .onSuccess(
                        reader -> {
                            ctx.put(READER, reader);
                            rateLimits.check(ctx, token);
                        })
                .onFailure(ctx::fail);
    }

    // ---- operational routes -------------------------------------------------------------------

    private void health(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(
                        new JsonObject()
                                .put("status", "UP")
                                .put("liveViewRebuilds", keeper == null ? 0 : keeper.rebuilds())
                                .put(
                                        "liveViewCorrections",
                                        keeper == null ? 0 : keeper.reconciled())
                                .encode());
    }

    /**
     * Checks the live view's epoch every {@code millis} and rebuilds it from Kafka when its store
     * was lost (several API instances: the one that claims the new epoch rebuilds); after a job
     * restart, undoes what the failed run wrote and never committed.
     */
    private void keepLiveView(LiveViewKeeper keeper, long millis) {
        this.keeper = keeper;
        boolean[] inFlight = {false};
        vertx.setPeriodic(
                0,
                millis,
                id -> {
                    if (inFlight[0]) {
                        return;
                    }
                    inFlight[0] = true;
                    vertx.executeBlocking(keeper::check, true)
                            .onComplete(
                                    done -> {
                                        inFlight[0] = false;
                                        if (done.failed()) {
                                            LOG.warn(
                                                    "live view check failed: {}",
                                                    done.cause().toString());
                                        }
                                    });
                });
    }

    /** Ready when the live view and (if configured) Kafka answer; 503 naming what does not. */
    private void ready(RoutingContext ctx) {
        vertx.executeBlocking(readiness::check, false)
                .onSuccess(
                        state ->
                                ctx.response()
                                        .setStatusCode(state.getBoolean("ready") ? 200 : 503)
                                        .putHeader("Content-Type", "application/json")
                                        .end(state.encode()))
                .onFailure(ctx::fail);
    }

    // ---- reads --------------------------------------------------------------------------------

    private void listIncidents(RoutingContext ctx) {
        IncidentListParams params = IncidentListParams.from(ctx.queryParams());
        read(ctx, r -> incidents.list(r, params));
    }

    /**
     * One incident; with {@code minVersion}, waits up to 5 s for the live view to reach it (header
     * {@code CityOps-Version-Reached}). A read that shows personal data is audited first.
     */
    private void getIncident(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = id(ctx);
        String min = ctx.queryParams().get("minVersion");
        long minVersion = min == null ? 0 : Long.parseLong(min);
        long deadline = System.nanoTime() + 5_000_000_000L;
        Promise<IncidentReads.Detail> found = Promise.promise();
        awaitVersion(reader, id, minVersion, deadline, found);
        found.future()
                .compose(
                        detail ->
                                detail.personalData()
                                        ? auditPersonalDataRead(reader, id).map(detail)
                                        : Future.succeededFuture(detail))
                .onSuccess(
                        detail ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .putHeader(
                                                "CityOps-Version-Reached",
                                                Boolean.toString(detail.version() >= minVersion))
                                        .end(detail.incident().encode()))
                .onFailure(ctx::fail);
    }

    private void exportIncidentCap(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = id(ctx);
        sendCap(ctx, () -> capExports.incident(reader, id));
    }

    private void exportAlertCap(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String alertId = ctx.pathParam("alertId");
        sendCap(ctx, () -> capExports.alert(reader, alertId));
    }

    private void sendCap(RoutingContext ctx, java.util.concurrent.Callable<byte[]> cap) {
        vertx.executeBlocking(cap, false)
                .onSuccess(
                        xml ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/cap+xml")
                                        .end(io.vertx.core.buffer.Buffer.buffer(xml)))
                .onFailure(ctx::fail);
    }

    private void awaitVersion(
            Reader reader,
            String id,
            long minVersion,
            long deadline,
            Promise<IncidentReads.Detail> found) {
        vertx.executeBlocking(() -> incidents.get(reader, id), false)
                .onFailure(found::fail)
                .onSuccess(
                        detail -> {
                            if (detail.version() >= minVersion || System.nanoTime() > deadline) {
                                found.complete(detail);
                            } else {
                                vertx.setTimer(
                                        50,
                                        t -> awaitVersion(reader, id, minVersion, deadline, found));
                            }
                        });
    }

    private Future<Void> auditPersonalDataRead(Reader reader, String incidentId) {
        if (publisher == null) {
            return Future.failedFuture(
                    ApiException.unavailable(
                            "personal data is shown only when its reading can be audited (no Kafka)"));
        }
        AuditRecord record =
                AuditRecord.newBuilder()
                        .setAuditId(incidentId + "/read/" + java.util.UUID.randomUUID())
                        .setIncidentId(incidentId)
                        .setActor(reader.subject())
                        .setActorRole(reader.role().name())
                        .setAction("READ_PERSONAL_DATA")
                        .setOutcome(AuditOutcome.APPLIED)
                        .setReason("incident detail with callers' and patients' data")
                        .setAt(cityClock.instant())
                        .build();
        return publisher
                .publishAudit(context, record)
                .compose(
                        published ->
                                vertx.executeBlocking(
                                        () -> {
                                            live.apply(List.of(Documents.auditWrite(record)));
                                            return null;
                                        },
                                        false));
    }

    private void taskQueue(RoutingContext ctx) {
        String department = ctx.pathParam("department");
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 100);
        read(ctx, r -> incidents.queue(r, department, limit, cityClock.instant()));
    }

    private void listAlerts(RoutingContext ctx) {
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50);
        boolean dryRun = "true".equals(ctx.queryParams().get("dryRun"));
        read(ctx, r -> alerts.alerts(r, limit, dryRun));
    }

    private void listEscalations(RoutingContext ctx) {
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50);
        read(ctx, r -> alerts.escalations(r, limit));
    }

    private void listAudit(RoutingContext ctx) {
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 100);
        String incidentId = ctx.queryParams().get("incidentId");
        read(ctx, r -> incidents.audit(r, incidentId, limit));
    }

    private void listDeadLetters(RoutingContext ctx) {
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50);
        String feed = ctx.queryParams().get("feed");
        read(ctx, r -> feeds.deadLetters(r, feed, limit));
    }

    /** Runs a live-view read off the event loop and answers with its JSON, or fails the request. */
    private void read(RoutingContext ctx, ReaderCall read) {
        Reader reader = ctx.get(READER);
        vertx.executeBlocking(() -> read.call(reader), false)
                .onSuccess(
                        body ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(
                                                body instanceof JsonObject o
                                                        ? o.encode()
                                                        : body instanceof String text
                                                                ? text
                                                                : ((io.vertx.core.json.JsonArray)
                                                                                body)
                                                                        .encode()))
                .onFailure(ctx::fail);
    }

    private interface ReaderCall {
        /** A JsonObject, a JsonArray, or JSON text already encoded. */
        Object call(Reader reader) throws Exception;
    }

    // ---- actions ------------------------------------------------------------------------------

    private interface Validation {
        FeedbackCommand validate(Reader reader) throws Exception;
    }

    private void incidentAction(RoutingContext ctx, CommandKind kind) {
        command(ctx, r -> commands.incidentAction(r, id(ctx), kind, body(ctx)));
    }

    /** Validates off the event loop, publishes once (per Idempotency-Key), answers 202. */
    private void command(RoutingContext ctx, Validation validation) {
        once(
                ctx,
                reader ->
                        vertx.executeBlocking(
                                        () -> {
                                            FeedbackCommand command = validation.validate(reader);
                                            return new Validated(
                                                    command,
                                                    incidents.version(command.getIncidentId()));
                                        },
                                        false)
                                .compose(
                                        v ->
                                                publisher
                                                        .publish(context, v.command())
                                                        .map(
                                                                new JsonObject()
                                                                        .put(
                                                                                "actionId",
                                                                                v.command()
                                                                                        .getCommandId())
                                                                        .put(
                                                                                "kind",
                                                                                v.command()
                                                                                        .getKind()
                                                                                        .name())
                                                                        .put(
                                                                                "incidentId",
                                                                                v.command()
                                                                                        .getIncidentId())
                                                                        .put("status", "accepted")
                                                                        .put(
                                                                                "minVersion",
                                                                                v.version() + 1))));
    }

    private record Validated(FeedbackCommand command, long version) {}

    /** An operator takes a call: the report is published on its department's feed. */
    private void createIncident(RoutingContext ctx) {
        once(
                ctx,
                reader ->
                        vertx.executeBlocking(() -> calls.take(reader, body(ctx)), false)
                                .compose(
                                        call ->
                                                publisher
                                                        .publishReport(context, call)
                                                        .map(
                                                                new JsonObject()
                                                                        .put(
                                                                                "actionId",
                                                                                call.reportId())
                                                                        .put("kind", "REPORT")
                                                                        .put(
                                                                                "reportId",
                                                                                call.reportId())
                                                                        .put(
                                                                                "feed",
                                                                                call.feed().name())
                                                                        .put(
                                                                                "eventId",
                                                                                call.eventId())
                                                                        .put(
                                                                                "status",
                                                                                "accepted"))));
    }

    /**
     * Performs {@code action} once per reader and {@code Idempotency-Key} (when one is sent) and
     * answers 202 with its result; a repeat gets the first answer.
     */
    private void once(
            RoutingContext ctx, java.util.function.Function<Reader, Future<JsonObject>> action) {
        if (publisher == null) {
            ctx.fail(
                    ApiException.unavailable(
                            "actions are unavailable: this API has no Kafka configured"));
            return;
        }
        Reader reader = ctx.get(READER);
        String key = ctx.request().getHeader(Idempotency.HEADER);
        if (key == null) {
            action.apply(reader).onSuccess(body -> accepted(ctx, 202, body)).onFailure(ctx::fail);
            return;
        }
        Idempotency.Claim claim =
                Idempotency.claimOf(
                        reader,
                        key,
                        ctx.request().method().name(),
                        ctx.request().path(),
                        ctx.body().asString());
        vertx.executeBlocking(() -> idempotency.claim(claim), false)
                .onFailure(ctx::fail)
                .onSuccess(
                        stored -> {
                            if (stored.isPresent()) {
                                ctx.response().putHeader("Idempotent-Replayed", "true");
                                accepted(ctx, stored.get().status(), stored.get().body());
                                return;
                            }
                            action.apply(reader)
                                    .compose(
                                            body ->
                                                    vertx.executeBlocking(
                                                            () -> {
                                                                idempotency.remember(
                                                                        claim,
                                                                        new Idempotency.Answer(
                                                                                202, body));
                                                                return body;
                                                            },
                                                            false))
                                    .onSuccess(body -> accepted(ctx, 202, body))
                                    .onFailure(
                                            failure -> {
                                                vertx.executeBlocking(
                                                        () -> {
                                                            idempotency.release(claim);
                                                            return null;
                                                        },
                                                        false);
                                                ctx.fail(failure);
                                            });
                        });
    }

    private static void accepted(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    /** The JSON body (already validated against the contract), or null when there is none. */
    private static JsonObject body(RoutingContext ctx) {
        return ctx.body().isEmpty() ? null : ctx.body().asJsonObject();
    }

    @Override
    public Future<?> stop() {
        Future<?> keeperClosed =
                keeper == null
                        ? Future.succeededFuture()
                        : vertx.executeBlocking( // on the keeper's ordered queue: never concurrent
                                () -> {
                                    keeper.close();
                                    return null;
                                },
                                true);
        if (live != null) {
            keeperClosed.onComplete(done -> live.close());
        }
        if (publisher != null) {
            publisher.close();
        }
        if (readiness != null) {
            readiness.close();
        }
        LOG.info("dispatch-api stopped");
        return keeperClosed.transform(done -> Future.<Void>succeededFuture());
    }
}
