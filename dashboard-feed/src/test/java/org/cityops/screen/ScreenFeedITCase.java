package org.cityops.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.livestate.LiveWrite;
import org.cityops.schemas.Department;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The screen feed against a real redis-server, with real WebSocket clients. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ScreenFeedITCase {

    private static final String SECRET = "an-integration-test-secret-of-at-least-32-bytes";
    private static Tokens tokens;
    private static LiveView live;
    private static int port;
    private static WebSocketClient sockets;
    private static WebClient http;
    private static Vertx vertx;

    @BeforeAll
    static void start(Vertx testVertx, VertxTestContext context) {
        vertx = testVertx;
        String target =
                LiveViews.redisTarget(TestInfra.redisUri(), TestInfra.uniquePrefix("screen"));
        live = LiveViews.open(target);
        live.apply(List.of(write("INC-1", 1, "police", "415-555-0142")));
        tokens = new Tokens(vertx, new AccessConfig(SECRET, null));
        sockets = vertx.createWebSocketClient();
        http = WebClient.create(vertx);
        DashboardFeedVerticle feed = new DashboardFeedVerticle();
        vertx.deployVerticle(
                        feed,
                        new DeploymentOptions()
                                .setConfig(
                                        new JsonObject()
                                                .put("port", 0)
                                                .put("liveView", target)
                                                .put("jwtSecret", SECRET)
                                                .put("kpiRefreshMillis", 100)
                                                .put("maxScreensPerToken", 8)
                                                .put("screenWriteQueueBytes", 16 * 1024)
                                                .put("apiUrl", "https://api.city.example")))
                .onComplete(
                        context.succeeding(
                                id -> {
                                    port = feed.actualPort();
                                    context.completeNow();
                                }));
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    static LiveWrite.IncidentWrite write(String id, long version, String department, String phone) {
        String doc =
                new JsonObject()
                        .put("incidentId", id)
                        .put("version", version)
                        .put("status", "DISCOVERED")
                        .put("departments", List.of(department))
                        .put(
                                "reports",
                                List.of(
                                        new JsonObject()
                                                .put(
                                                        "personalData",
                                                        new JsonObject()
                                                                .put("callerPhone", phone))))
                        .encode();
        return new LiveWrite.IncidentWrite(
                id, version, "DISCOVERED", List.of(department), "Mission", version, doc);
    }

    /** A connected screen and everything it has received. */
    @Test
    void thousandsOfForgedExpiredAndWrongKeyTokensAreRefusedAndRealScreensAreStillServed()
            throws Exception {
        String forged =
                new Tokens(
                                vertx,
                                new AccessConfig(
                                        "another-secret-of-at-least-32-bytes-long!!", null))
                        .issue(new Reader("intruder", Role.operator, null), Duration.ofMinutes(5));
        String expired = // signed with the right key, expired a minute ago
                tokens.provider()
                        .generateToken(
                                new JsonObject()
                                        .put("sub", "late")
                                        .put("role", "operator")
                                        .put("exp", System.currentTimeMillis() / 1000 - 60),
                                new io.vertx.ext.auth.JWTOptions().setAlgorithm("HS256"));
        String[] bad = {forged, expired, "not.a.jwt", "", forged + "x"};
        int screensBefore = screensHeld();
        int attempts = 2_000;
        java.util.concurrent.atomic.AtomicInteger refused =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger accepted =
                new java.util.concurrent.atomic.AtomicInteger();
        List<io.vertx.core.Future<?>> all = new java.util.ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < attempts; i++) {
            String token = bad[i % bad.length];
            all.add(
                    sockets.connect(
                                    new WebSocketConnectOptions()
                                            .setPort(port)
                                            .setHost("127.0.0.1")
                                            .setURI("/ws/screen?token=" + token))
                            .onSuccess(
                                    ws -> {
                                        accepted.incrementAndGet();
                                        ws.close();
                                    })
                            .onFailure(e -> refused.incrementAndGet()));
            if (all.size() % 200 == 0) { // in waves, as a flood of reconnecting clients would
                io.vertx.core.Future.join(all.subList(all.size() - 200, all.size()))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .exceptionally(e -> null)
                        .get(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> refused.get() + accepted.get() == attempts);
        System.out.printf(
                "%d hostile connection attempts refused in %d ms%n",
                refused.get(), (System.nanoTime() - started) / 1_000_000);
        assertThat(accepted.get()).as("no bad token opened a screen").isZero();
        assertThat(refused.get()).isEqualTo(attempts);

        // the server is still there for real screens, and holds nothing for the refused ones
        Screen real = connect(token(Role.leader, null), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !real.messages().isEmpty());
        assertThat(real.messages().get(0).getString("type")).isEqualTo("snapshot");
        assertThat(screensHeld())
                .as("the refused attempts left nothing behind: only the real screen is new")
                .isEqualTo(screensBefore + 1);
        real.socket().close();
    }

    private static int screensHeld() throws Exception {
        return http.get(port, "127.0.0.1", "/health")
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .bodyAsJsonObject()
                .getInteger("screens");
    }

    record Screen(WebSocket socket, List<JsonObject> messages) {
        JsonObject last() {
            return messages.get(messages.size() - 1);
        }

        List<JsonObject> deltas() {
            return messages.stream().filter(m -> m.getString("type").equals("delta")).toList();
        }
    }

    static Screen connect(String token, String lastId) throws Exception {
        return connect(token, lastId, "");
    }

    static Screen connect(String token, String lastId, String subscription) throws Exception {
        List<JsonObject> messages = new CopyOnWriteArrayList<>();
        String uri =
                "/ws/screen?token="
                        + token
                        + (lastId == null ? "" : "&lastId=" + lastId)
                        + subscription;
        // The handler is set before connecting: the server speaks first, right after the upgrade.
        ClientWebSocket client = sockets.webSocket();
        client.textMessageHandler(text -> messages.add(new JsonObject(text)));
        WebSocket socket =
                client.connect(
                                new WebSocketConnectOptions()
                                        .setPort(port)
                                        .setHost("127.0.0.1")
                                        .setURI(uri))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        return new Screen(socket, messages);
    }

    static String token(Role role, Department department) {
        return tokens.issue(new Reader("screen", role, department), Duration.ofMinutes(5));
    }

    @Test
    void thePageLearnsTheApiAndTheTargetsAndADispatchersScreenItsDepartment() throws Exception {
        JsonObject config =
                http.get(port, "127.0.0.1", "/config.json")
                        .send()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .bodyAsJsonObject();
        assertThat(config.getString("apiUrl")).isEqualTo("https://api.city.example");
        assertThat(config.getJsonObject("kpiTargets").getJsonObject("fire").getInteger("onScene"))
                .as("NFPA 1710: 64 s alarm handling + 80 s turnout + 240 s travel")
                .isEqualTo(384);
        assertThat(config.getJsonObject("kpiTargets").fieldNames()).doesNotContain("_doc");

        Screen screen = connect(token(Role.dispatcher, Department.fire), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !screen.messages().isEmpty());
        JsonObject snapshot = screen.messages().get(0);
        assertThat(snapshot.getString("role")).isEqualTo("dispatcher");
        assertThat(snapshot.getString("department"))
                .as("the page opens the fire queue for a fire dispatcher")
                .isEqualTo("fire");
        screen.socket().close();
    }

    @Test
    void aScreenGetsASnapshotThenLiveDeltasAndResumesWithoutGapsOrRepeats() throws Exception {
        Screen screen = connect(token(Role.operator, null), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !screen.messages().isEmpty());
        JsonObject snapshot = screen.messages().get(0);
        assertThat(snapshot.getString("type")).isEqualTo("snapshot");
        assertThat(
                        snapshot.getJsonArray("incidents").stream()
                                .map(o -> ((JsonObject) o).getString("incidentId")))
                .contains("INC-1");

        live.apply(List.of(write("INC-2", 1, "fire", "415-555-0100")));
        await().atMost(Duration.ofSeconds(10)).until(() -> screen.deltas().size() == 1);
        String seen = screen.deltas().get(0).getString("id");
        assertThat(screen.deltas().get(0).getJsonObject("incident").getString("incidentId"))
                .isEqualTo("INC-2");

        screen.socket().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        live.apply(List.of(write("INC-3", 1, "medical", "1"), write("INC-2", 2, "fire", "2")));

        Screen resumed = connect(token(Role.operator, null), seen);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.deltas().size() == 2);
        assertThat(resumed.messages().get(0).getString("type")).isEqualTo("resume");
        assertThat(resumed.deltas())
                .extracting(
                        d ->
                                d.getJsonObject("incident").getString("incidentId")
                                        + "@"
                                        + d.getJsonObject("incident").getLong("version"))
                .containsExactly("INC-3@1", "INC-2@2");
        resumed.socket().close();
    }

    @Test
    void theTokenDecidesWhatAScreenSees() throws Exception {
        Screen fire = connect(token(Role.dispatcher, Department.fire), null);
        Screen leader = connect(token(Role.leader, null), null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !fire.messages().isEmpty() && !leader.messages().isEmpty());

        live.apply(
                List.of(
                        write("INC-P", 1, "police", "415-555-0177"),
                        write("INC-F", 1, "fire", "415-555-0188")));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> leader.deltas().size() == 2 && !fire.deltas().isEmpty());
        assertThat(fire.deltas())
                .extracting(d -> d.getJsonObject("incident").getString("incidentId"))
                .containsExactly("INC-F");
        assertThat(fire.deltas().get(0).encode()).contains("415-555-0188");
        assertThat(leader.messages().toString())
                .doesNotContain("415-555-0177", "415-555-0188")
                .contains("***77");
        fire.socket().close();
        leader.socket().close();
    }

    @Test
    void alertsReachScreensLiveAndInTheSnapshotButDryRunsDoNot() throws Exception {
        Screen operator = connect(token(Role.operator, null), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !operator.messages().isEmpty());
        live.apply(
                List.of(
                        new LiveWrite.AlertWrite(
                                "ALR-DRY", 1, true, "{\"alertId\":\"ALR-DRY\",\"dryRun\":true}"),
                        new LiveWrite.AlertWrite(
                                "ALR-LIVE",
                                2,
                                false,
                                "{\"alertId\":\"ALR-LIVE\",\"department\":\"fire\",\"dryRun\":false}")));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                operator.messages().stream()
                                        .anyMatch(m -> m.getString("type").equals("alert")));
        assertThat(
                        operator.messages().stream()
                                .filter(m -> m.getString("type").equals("alert"))
                                .map(m -> m.getJsonObject("alert").getString("alertId")))
                .containsExactly("ALR-LIVE");

        Screen police = connect(token(Role.dispatcher, Department.police), null);
        Screen fire = connect(token(Role.dispatcher, Department.fire), null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !police.messages().isEmpty() && !fire.messages().isEmpty());
        assertThat(fire.messages().get(0).getJsonArray("alerts")).hasSize(1);
        assertThat(police.messages().get(0).getJsonArray("alerts")).isEmpty();
        operator.socket().close();
        police.socket().close();
        fire.socket().close();
    }

    @Test
    void escalationsReachTheScreensOfThoseWhoMayKnow() throws Exception {
        Screen leader = connect(token(Role.leader, null), null);
        Screen fire = connect(token(Role.dispatcher, Department.fire), null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !leader.messages().isEmpty() && !fire.messages().isEmpty());
        live.apply(
                List.of(
                        new LiveWrite.EscalationWrite(
                                "ESC-1",
                                5,
                                "{\"escalationId\":\"ESC-1\",\"department\":\"police\"}")));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                leader.messages().stream()
                                        .anyMatch(m -> m.getString("type").equals("escalation")));
        assertThat(fire.messages().stream().filter(m -> m.getString("type").equals("escalation")))
                .isEmpty();
        leader.socket().close();
        fire.socket().close();
    }

    @Test
    void theNewestDaysKpisReachTheScreenAndADepartmentSeesOnlyItsOwnRow() throws Exception {
        live.apply(
                List.of(
                        kpi("city", "2018-12-07", 1, null),
                        kpi("city", "2018-12-08", 2, null),
                        kpi("department:fire", "2018-12-08", 3, "fire"),
                        kpi("department:police", "2018-12-08", 4, "police"),
                        kpi("department:police", "2018-12-07", 5, "police")));
        Screen leader = connect(token(Role.leader, null), null);
        Screen fire = connect(token(Role.dispatcher, Department.fire), null);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(kpiRows(leader))
                                        .containsExactly(
                                                "city@2018-12-08",
                                                "department:fire@2018-12-08",
                                                "department:police@2018-12-08"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(kpiRows(fire))
                                        .containsExactly("department:fire@2018-12-08"));
        assertThat(leader.messages().get(0).getString("type"))
                .as("KPIs follow the snapshot")
                .isEqualTo("snapshot");

        live.apply(List.of(kpi("department:fire", "2018-12-08", 9, "fire")));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(newestKpis(fire).getJsonObject(0).getLong("opened"))
                                        .isEqualTo(9));
        leader.socket().close();
        fire.socket().close();
    }

    private static LiveWrite.KpiWrite kpi(
            String group, String day, long opened, String department) {
        JsonObject row = new JsonObject().put("group", group).put("day", day).put("opened", opened);
        if (department != null) {
            row.put("department", department);
        }
        return new LiveWrite.KpiWrite(group, day, opened, row.encode());
    }

    private static io.vertx.core.json.JsonArray newestKpis(Screen screen) {
        List<JsonObject> kpis =
                screen.messages().stream().filter(m -> m.getString("type").equals("kpis")).toList();
        assertThat(kpis).isNotEmpty();
        return kpis.get(kpis.size() - 1).getJsonArray("rows");
    }

    private static List<String> kpiRows(Screen screen) {
        return newestKpis(screen).stream()
                .map(
                        o ->
                                ((JsonObject) o).getString("group")
                                        + "@"
                                        + ((JsonObject) o).getString("day"))
                .toList();
    }

    @Test
    void aScreenSubscribesToADistrictADepartmentAndAMinimumSeverity() throws Exception {
        Screen severeInTenderloin =
                connect(token(Role.leader, null), null, "&district=Tenderloin&minSeverity=4");
        Screen fire = connect(token(Role.operator, null), null, "&department=fire");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                !severeInTenderloin.messages().isEmpty()
                                        && !fire.messages().isEmpty());

        live.apply(
                List.of(
                        located("INC-T5", "police", "Tenderloin", 5),
                        located("INC-T2", "police", "Tenderloin", 2),
                        located("INC-M5", "fire", "Mission", 5)));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            assertThat(incidentIds(severeInTenderloin)).containsExactly("INC-T5");
                            assertThat(incidentIds(fire)).containsExactly("INC-M5");
                        });
        assertThat(
                        sockets.connect(
                                        new WebSocketConnectOptions()
                                                .setPort(port)
                                                .setHost("127.0.0.1")
                                                .setURI(
                                                        "/ws/screen?minSeverity=9&token="
                                                                + token(Role.leader, null)))
                                .toCompletionStage()
                                .toCompletableFuture())
                .as("a bad subscription is refused before the upgrade")
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .withMessageContaining("400");
        severeInTenderloin.socket().close();
        fire.socket().close();
    }

    @Test
    void oneTokenMayOpenOnlySoManyScreensAtOnce() throws Exception {
        String wall = tokens.issue(new Reader("wall-7", Role.leader, null), Duration.ofMinutes(5));
        List<Screen> open = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            open.add(connect(wall, null));
        }
        assertThat(
                        sockets.connect(
                                        new WebSocketConnectOptions()
                                                .setPort(port)
                                                .setHost("127.0.0.1")
                                                .setURI("/ws/screen?token=" + wall))
                                .toCompletionStage()
                                .toCompletableFuture())
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .withMessageContaining("429");
        assertThat(connect(token(Role.leader, null), null).socket().isClosed())
                .as("another token is not affected")
                .isFalse();

        open.get(0).socket().close();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> !connect(wall, null).socket().isClosed());
        open.forEach(s -> s.socket().close());
    }

    @Test
    void aScreenThatFallsBehindGetsTheNewestStateOfEachIncidentInsteadOfEveryVersion()
            throws Exception {
        Screen slow = connect(token(Role.leader, null), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !slow.messages().isEmpty());
        slow.socket().pause(); // stops reading: its socket buffers fill up

        String padding = "x".repeat(100_000); // 30 MB in all: more than loopback buffers hold
        for (int version = 1; version <= 300; version++) {
            String doc =
                    new JsonObject()
                            .put("incidentId", "INC-BUSY")
                            .put("version", version)
                            .put("status", "DISPATCHED")
                            .put("departments", List.of("police"))
                            .put("title", padding)
                            .put("reports", List.of())
                            .encode();
            live.apply(
                    List.of(
                            new LiveWrite.IncidentWrite(
                                    "INC-BUSY",
                                    version,
                                    "DISPATCHED",
                                    List.of("police"),
                                    "Mission",
                                    version,
                                    doc)));
        }
        slow.socket().resume();

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                slow.deltas().stream()
                                        .anyMatch(
                                                d ->
                                                        d.getJsonObject("incident")
                                                                        .getLong("version")
                                                                == 300));
        List<JsonObject> busy =
                slow.deltas().stream()
                        .filter(
                                d ->
                                        d.getJsonObject("incident")
                                                .getString("incidentId")
                                                .equals("INC-BUSY"))
                        .toList();
        assertThat(busy.size()).as("versions skipped while it could not keep up").isLessThan(300);
        assertThat(busy)
                .extracting(d -> d.getJsonObject("incident").getLong("version"))
                .as("never an older state after a newer one")
                .isSorted();
        assertThat(slow.socket().isClosed()).as("coalesced, not dropped").isFalse();
        slow.socket().close();
    }

    @Test
    void aClientThatCannotOpenAWebSocketGetsTheSameFeedAsServerSentEvents(Vertx vertx)
            throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StringBuilder partial = new StringBuilder();
        var response =
                vertx.createHttpClient()
                        .request(
                                io.vertx.core.http.HttpMethod.GET,
                                port,
                                "127.0.0.1",
                                "/sse/screen?department=fire&token=" + token(Role.operator, null))
                        .compose(request -> request.send())
                        .map(
                                r -> {
                                    // on the event loop, before any chunk can arrive
                                    r.handler(
                                            chunk -> {
                                                synchronized (partial) {
                                                    partial.append(chunk.toString());
                                                    int end;
                                                    while ((end = partial.indexOf("\n\n")) >= 0) {
                                                        events.add(partial.substring(0, end));
                                                        partial.delete(0, end + 2);
                                                    }
                                                }
                                            });
                                    return r;
                                })
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> e.contains("\"type\":\"snapshot\"")));

        live.apply(List.of(located("INC-SSE", "fire", "Mission", 3)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> e.contains("INC-SSE")));
        String delta = events.stream().filter(e -> e.contains("INC-SSE")).findFirst().orElseThrow();
        assertThat(delta)
                .as("the stream position rides in the id field, so EventSource resumes by itself")
                .startsWith("id: ")
                .contains("\ndata: {\"type\":\"delta\"");
        response.request().connection().close();

        var refused =
                vertx.createHttpClient()
                        .request(
                                io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/sse/screen")
                        .compose(request -> request.send())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    private static List<String> incidentIds(Screen screen) {
        return screen.deltas().stream()
                .map(d -> d.getJsonObject("incident").getString("incidentId"))
                .toList();
    }

    static LiveWrite.IncidentWrite located(
            String id, String department, String district, int severity) {
        String doc =
                new JsonObject()
                        .put("incidentId", id)
                        .put("version", 1)
                        .put("status", "DISCOVERED")
                        .put("severity", severity)
                        .put("departments", List.of(department))
                        .put("location", new JsonObject().put("district", district))
                        .put("reports", List.of())
                        .encode();
        return new LiveWrite.IncidentWrite(
                id, 1, "DISCOVERED", List.of(department), district, 1, doc);
    }

    @Test
    void aScreenWithoutAValidTokenIsRefused() {
        assertThat(
                        sockets.connect(
                                        new WebSocketConnectOptions()
                                                .setPort(port)
                                                .setHost("127.0.0.1")
                                                .setURI("/ws/screen?token=forged"))
                                .toCompletionStage()
                                .toCompletableFuture())
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .withMessageContaining("401");
    }

    @Test
    void servesThePageAndTheDistrictMapWithoutAnyCdn() throws Exception {
        var page =
                http.get(port, "127.0.0.1", "/")
                        .send()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsString())
                .contains("CityOps")
                .doesNotContain("src=\"http", "href=\"http", "src=\"//", "href=\"//");
        var geo =
                http.get(port, "127.0.0.1", "/geo/districts.geojson")
                        .send()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(geo.bodyAsJsonObject().getJsonArray("features")).hasSize(41);
    }
}
