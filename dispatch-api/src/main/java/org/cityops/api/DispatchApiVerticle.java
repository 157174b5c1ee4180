package org.cityops.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Tokens;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.topics.Topics;

/**
 * The dispatch API. Every route is listed in {@link #routes}; every {@code /api/} route requires a
 * bearer token (401 without a valid one) and checks the reader's role and department (403). Reads
 * come from the live view; handlers delegate to {@link IncidentReads} and {@link FeedReads}.
 */
public final class DispatchApiVerticle extends VerticleBase {

    private static final String READER = "reader";

    private ApiConfig config;
    private LiveView live;
    private Tokens tokens;
    private IncidentReads incidents;
    private FeedReads feeds;
    private IncidentCommands commands;
    private final Clock cityClock;

    public DispatchApiVerticle() {
        this(Clock.systemUTC());
    }

    /**
     * {@code cityClock} stamps operators' and departments' actions (a replay's clock in a demo).
     */
    public DispatchApiVerticle(Clock cityClock) {
        this.cityClock = cityClock;
    }

    private AlertReads alerts;
    private KpiReads kpis;
    private CommandPublisher publisher;
    private HttpServer server;

    @Override
    public Future<?> start() {
        config = ApiConfig.from(config());
        live = LiveViews.open(config.liveView());
        tokens = new Tokens(vertx, config.access());
        incidents = new IncidentReads(live);
        feeds = new FeedReads(live);
        commands = new IncidentCommands(live, cityClock);
        alerts = new AlertReads(live);
        kpis = new KpiReads(live);
        if (config.kafka() != null) {
            publisher =
                    new CommandPublisher(config.kafka(), Topics.withPrefix(config.topicPrefix()));
        }
        server = vertx.createHttpServer();
        return server.requestHandler(routes()).listen(config.port(), config.host());
    }

    /** The port actually bound (useful when configured with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    Router routes() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.route("/api/*").handler(this::authenticate);
        router.get("/api/v1/incidents").handler(this::listIncidents);
        router.get("/api/v1/incidents/:id").handler(this::getIncident);
        router.post("/api/v1/incidents/:id/merge").handler(this::merge);
        router.post("/api/v1/incidents/:id/split").handler(this::split);
        router.post("/api/v1/incidents/:id/tasks/:department/:action").handler(this::taskAction);
        router.post("/api/v1/incidents/:id/verify")
                .handler(ctx -> incidentAction(ctx, CommandKind.VERIFY));
        router.post("/api/v1/incidents/:id/reopen")
                .handler(ctx -> incidentAction(ctx, CommandKind.REOPEN));
        router.post("/api/v1/incidents/:id/cancel")
                .handler(ctx -> incidentAction(ctx, CommandKind.CANCEL));
        router.post("/api/v1/incidents/:id/satisfaction")
                .handler(ctx -> incidentAction(ctx, CommandKind.SATISFACTION));
        router.get("/api/v1/alerts").handler(this::listAlerts);
        router.get("/api/v1/rules").handler(this::listRules);
        router.get("/api/v1/escalations").handler(this::listEscalations);
        router.get("/api/v1/kpis").handler(this::listKpis);
        router.get("/api/v1/feeds").handler(this::listFeeds);
        router.get("/api/v1/deadletters").handler(this::listDeadLetters);
        router.route().failureHandler(ApiErrors::handle);
        router.route().last().handler(ctx -> ctx.fail(404));
        return router;
    }

    private void health(RoutingContext ctx) {
        blocking(
                ctx,
                () -> {
                    boolean liveUp = live.ping();
                    return new JsonObject()
                            .put("status", liveUp ? "UP" : "DOWN")
                            .put("liveView", live.describe())
                            .put("liveViewReachable", liveUp);
                });
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.fail(AccessDenied.unauthenticated("send 'Authorization: Bearer <token>'"));
            return;
        }
        tokens.verify(header.substring(7).strip())
                .onSuccess(
                        reader -> {
                            ctx.put(READER, reader);
                            ctx.next();
                        })
                .onFailure(ctx::fail);
    }

    private void listIncidents(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        IncidentListParams params = IncidentListParams.from(ctx.queryParams());
        blocking(ctx, () -> incidents.list(reader, params));
    }

    private void getIncident(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = ctx.pathParam("id");
        blocking(ctx, () -> incidents.get(reader, id));
    }

    private void merge(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = ctx.pathParam("id");
        JsonObject body = jsonBody(ctx);
        command(ctx, () -> commands.merge(reader, id, body));
    }

    private void split(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = ctx.pathParam("id");
        JsonObject body = jsonBody(ctx);
        command(ctx, () -> commands.split(reader, id, body));
    }

    private void taskAction(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        String id = ctx.pathParam("id");
        String department = ctx.pathParam("department");
        String action = ctx.pathParam("action");
        JsonObject body = jsonBody(ctx);
        command(ctx, () -> commands.taskAction(reader, id, department, action, body));
    }

    private void incidentAction(RoutingContext ctx, CommandKind kind) {
        Reader reader = ctx.get(READER);
        String id = ctx.pathParam("id");
        JsonObject body = jsonBody(ctx);
        command(ctx, () -> commands.incidentAction(reader, id, kind, body));
    }

    /** Validates off the event loop, publishes, answers 202 with the command id. */
    private void command(RoutingContext ctx, Callable<FeedbackCommand> validate) {
        if (publisher == null) {
            ctx.fail(
                    ApiException.unavailable(
                            "commands are unavailable: this API has no Kafka configured"));
            return;
        }
        vertx.executeBlocking(validate, false)
                .compose(command -> publisher.publish(context, command).map(command))
                .onSuccess(
                        command ->
                                ctx.response()
                                        .setStatusCode(202)
                                        .putHeader("Content-Type", "application/json")
                                        .end(
                                                new JsonObject()
                                                        .put("commandId", command.getCommandId())
                                                        .put("kind", command.getKind().name())
                                                        .put("incidentId", command.getIncidentId())
                                                        .put("status", "accepted")
                                                        .encode()))
                .onFailure(ctx::fail);
    }

    private static JsonObject jsonBody(RoutingContext ctx) {
        if (ctx.body().isEmpty()) {
            return null;
        }
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
    }

    private void listAlerts(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50, 1, 500);
        String dryRun = ctx.queryParams().get("dryRun");
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw ApiException.badRequest("dryRun", "dryRun must be true or false");
        }
        blocking(ctx, () -> alerts.alerts(reader, limit, "true".equals(dryRun)));
    }

    private void listEscalations(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50, 1, 500);
        blocking(ctx, () -> alerts.escalations(reader, limit));
    }

    private void listKpis(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        blocking(ctx, () -> kpis.kpis(reader, ctx.queryParams()));
    }

    private void listRules(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        blocking(ctx, () -> alerts.rules(reader));
    }

    private void listFeeds(RoutingContext ctx) {
        blocking(ctx, feeds::feeds);
    }

    private void listDeadLetters(RoutingContext ctx) {
        Reader reader = ctx.get(READER);
        int limit = IncidentListParams.integer(ctx.queryParams(), "limit", 50, 1, 200);
        String feed = ctx.queryParams().get("feed");
        blocking(ctx, () -> feeds.deadLetters(reader, feed, limit));
    }

    /** Runs a live-view read off the event loop and answers with its JSON, or fails the request. */
    private void blocking(RoutingContext ctx, Callable<Object> read) {
        vertx.executeBlocking(read, false)
                .onSuccess(
                        body ->
                                ctx.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(
                                                body instanceof JsonObject o
                                                        ? o.encode()
                                                        : ((io.vertx.core.json.JsonArray) body)
                                                                .encode()))
                .onFailure(ctx::fail);
    }

    @Override
    public Future<?> stop() {
        if (live != null) {
            live.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        return Future.succeededFuture();
    }
}
