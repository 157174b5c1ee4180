package org.cityops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.livestate.LiveWrite;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.PersonalData;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentReport;
import org.cityops.schemas.city.PayloadFormat;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dispatch-api against a real redis-server: authentication, authorisation, filters, masking. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DispatchApiITCase {

    private static final String SECRET = "an-integration-test-secret-of-at-least-32-bytes";
    private static Tokens tokens;
    private static WebClient client;
    private static Vertx testVertx;
    private static LiveView live;
    private static int port;
    private static String topicPrefix;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext context) {
        testVertx = vertx;
        topicPrefix = TestInfra.uniquePrefix("api");
        String target = LiveViews.redisTarget(TestInfra.redisUri(), topicPrefix);
        TopicSetup.ensure(
                TestInfra.kafkaBootstrapServers(), Topics.withPrefix(topicPrefix), 1, (short) 1);
        live = LiveViews.open(target);
        live.apply(
                List.of(
                        Documents.incidentWrite(
                                incident(
                                        "INC-POL-1",
                                        Department.police,
                                        Feed.POLICE_CALLS,
                                        "P-1",
                                        "Tenderloin",
                                        1000)),
                        Documents.incidentWrite(
                                incident(
                                        "INC-FIR-1",
                                        Department.fire,
                                        Feed.FIRE_ALARMS,
                                        "F-1",
                                        "Mission",
                                        2000)),
                        Documents.incidentWrite(
                                incident(
                                        "INC-MED-1",
                                        Department.medical,
                                        Feed.MEDICAL_CALLS,
                                        "M-1",
                                        "Mission",
                                        3000)),
                        Documents.deadLetterWrite(deadLetter()),
                        Documents.incidentWrite(
                                Incident.newBuilder(
                                                incident(
                                                        "INC-TSK",
                                                        Department.police,
                                                        Feed.POLICE_CALLS,
                                                        "P-7",
                                                        "Mission",
                                                        500))
                                        .setStatus(IncidentStatus.DISPATCHED)
                                        .setTasks(
                                                List.of(
                                                        org.cityops.schemas.city.Task.newBuilder()
                                                                .setDepartment(Department.police)
                                                                .setLead(true)
                                                                .setStatus(
                                                                        org.cityops.schemas
                                                                                .TaskStatus.ORDERED)
                                                                .setOrderedAt(Instant.EPOCH)
                                                                .setUpdatedAt(Instant.EPOCH)
                                                                .build()))
                                        .build()),
                        new LiveWrite.AlertWrite(
                                "ALR-1",
                                1000,
                                false,
                                "{\"alertId\":\"ALR-1\",\"ruleId\":\"r1\",\"department\":\"fire\",\"dryRun\":false}"),
                        new LiveWrite.AlertWrite(
                                "ALR-2",
                                2000,
                                false,
                                "{\"alertId\":\"ALR-2\",\"ruleId\":\"r2\",\"department\":null,\"dryRun\":false}"),
                        new LiveWrite.AlertWrite(
                                "ALR-3",
                                3000,
                                true,
                                "{\"alertId\":\"ALR-3\",\"ruleId\":\"r2\",\"department\":null,\"dryRun\":true}"),
                        new LiveWrite.EscalationWrite(
                                "E-1",
                                1000,
                                "{\"escalationId\":\"E-1\",\"department\":\"police\"}"),
                        new LiveWrite.EscalationWrite(
                                "E-2", 2000, "{\"escalationId\":\"E-2\",\"department\":\"fire\"}"),
                        new LiveWrite.RuleStatusWrite(
                                "r1", "definition", 1, "{\"ruleId\":\"r1\",\"status\":\"active\"}"),
                        new LiveWrite.RuleStatusWrite(
                                "r1", "metrics", 7, "{\"ruleId\":\"r1\",\"firings\":2}")));
        tokens = new Tokens(vertx, new AccessConfig(SECRET, null));
        client = WebClient.create(vertx);
        deploy(
                vertx,
                new JsonObject()
                        .put("liveView", target)
                        .put("jwtSecret", SECRET)
                        .put("kafka", TestInfra.kafkaBootstrapServers())
                        .put("topicPrefix", topicPrefix)
                        // the limit itself: DispatchApiOperationsITCase
                        .put("rateLimitPerSecond", 100_000)
                        .put("idleTimeoutSeconds", 2),
                context,
                bound -> port = bound);
    }

    /** Deploys dispatch-api on a free port with {@code config}; {@code port} learns which. */
    static void deploy(
            Vertx vertx,
            JsonObject config,
            VertxTestContext context,
            java.util.function.IntConsumer port) {
        DispatchApiVerticle api = new DispatchApiVerticle();
        vertx.deployVerticle(
                        api,
                        new io.vertx.core.DeploymentOptions()
                                .setConfig(config.copy().put("port", 0)))
                .onComplete(
                        context.succeeding(
                                id -> {
                                    port.accept(api.actualPort());
                                    context.completeNow();
                                }));
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    static Incident incident(
            String id, Department dept, Feed feed, String sourceId, String district, long time) {
        Instant at = Instant.ofEpochMilli(1_543_700_000_000L + time);
        IncidentReport report =
                IncidentReport.newBuilder()
                        .setEventId(feed + "/" + sourceId)
                        .setFeed(feed)
                        .setSourceId(sourceId)
                        .setDepartment(dept)
                        .setAction(Action.NEW)
                        .setReportedAt(at)
                        .setCategory(Category.OTHER)
                        .setOriginalCategory("OTHER")
                        .setSeverity(3)
                        .setPersonalData(new PersonalData("415-555-0142", "Ada Lovelace", 67))
                        .build();
        return Incident.newBuilder()
                .setIncidentId(id)
                .setVersion(1)
                .setStatus(IncidentStatus.DISCOVERED)
                .setCategory(Category.OTHER)
                .setSeverity(3)
                .setTitle("Other")
                .setDepartments(List.of(dept))
                .setLocation(
                        CityLocation.newBuilder()
                                .setLat(37.78)
                                .setLon(-122.41)
                                .setDistrict(district)
                                .build())
                .setFirstReportAt(at)
                .setLastReportAt(at)
                .setUpdatedAt(at)
                .setReports(List.of(report))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setDeadLetterId("police.calls-0-7")
                .setFeed(Feed.POLICE_CALLS)
                .setFormat(PayloadFormat.JSON)
                .setReason("priority: must be between 1 and 4, was 9")
                .setField("priority")
                .setPayload(
                        ByteBuffer.wrap(
                                "{\"callId\":\"P-9\",\"priority\":9,\"callerPhone\":\"415-555-0199\"}"
                                        .getBytes()))
                .setReceivedAt(Instant.now())
                .setTopic("police.calls")
                .setPartition(0)
                .setOffset(7)
                .build();
    }

    /** The command the API published to dispatch.feedback under {@code commandId}: exactly one. */
    static FeedbackCommand published(String commandId) throws Exception {
        List<FeedbackCommand> all =
                KafkaTestClient.readAll(
                        TestInfra.kafkaBootstrapServers(),
                        Topics.withPrefix(topicPrefix).feedback().name(),
                        new AvroSerde<>(FeedbackCommand.class));
        List<FeedbackCommand> matching =
                all.stream().filter(c -> c.getCommandId().equals(commandId)).toList();
        assertThat(matching).as("commands published as " + commandId).hasSize(1);
        return matching.get(0);
    }

    static String token(Role role, Department department) {
        return tokens.issue(new Reader("tester", role, department), Duration.ofMinutes(5));
    }

    static HttpResponse<Buffer> get(String path, String token) throws Exception {
        var request = client.get(port, "127.0.0.1", path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final List<String> ROUTES =
            List.of(
                    "/api/v1/incidents",
                    "/api/v1/incidents/INC-POL-1",
                    "/api/v1/feeds",
                    "/api/v1/deadletters?feed=police.calls",
                    "/api/v1/alerts",
                    "/api/v1/rules",
                    "/api/v1/escalations",
                    "/api/v1/kpis?by=department",
                    "/api/v1/departments/police/queue",
                    "/api/v1/audit");

    /** Every route × every reader: the status each must get. */
    static Stream<Arguments> routeRoleMatrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String route : ROUTES) {
            cases.add(Arguments.of(route, null, null, 401));
            for (Role role : Role.values()) {
                List<Department> departments =
                        role.needsDepartment()
                                ? List.of(
                                        Department.police,
                                        Department.fire,
                                        Department.medical,
                                        Department.traffic)
                                : java.util.Arrays.asList((Department) null);
                for (Department d : departments) {
                    int expected = 200;
                    if (route.contains("INC-POL-1") && d != null && d != Department.police) {
                        expected = 403;
                    }
                    if (route.contains("escalations") && role == Role.dispatcher) {
                        expected = 403;
                    }
                    if (route.contains("rules") && role != Role.operator && role != Role.admin) {
                        expected = 403;
                    }
                    if (route.contains("/audit") && role != Role.admin) {
                        expected = 403;
                    }
                    if (route.contains("/queue")
                            && (role == Role.admin || (d != null && d != Department.police))) {
                        expected = 403;
                    }
                    if (route.contains("deadletters")
                            && (role == Role.leader || (d != null && d != Department.police))) {
                        expected = 403;
                    }
                    cases.add(Arguments.of(route, role, d, expected));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1} {2} -> {3}")
    @MethodSource("routeRoleMatrix")
    void everyRouteAuthenticatesAndAuthorisesEveryReader(
            String route, Role role, Department dept, int expected) throws Exception {
        HttpResponse<Buffer> response = get(route, role == null ? null : token(role, dept));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
                    .isNotBlank();
        }
    }

    /** Actions: who may take each; an allowed one is accepted (202), a refused one is 403. */
    static Stream<Arguments> actionRoleMatrix() {
        List<Arguments> cases = new ArrayList<>();
        JsonObject call =
                new JsonObject()
                        .put("department", "fire")
                        .put("category", "STRUCTURE_FIRE")
                        .put("severity", 3)
                        .put("lat", 37.77)
                        .put("lon", -122.42)
                        .put("description", "smoke from a window");
        List<Arguments> actions =
                List.of(
                        Arguments.of(
                                "/api/v1/incidents/INC-TSK/tasks/police/acknowledge",
                                new JsonObject()),
                        Arguments.of("/api/v1/incidents/INC-POL-1/cancel", new JsonObject()),
                        Arguments.of(
                                "/api/v1/incidents/INC-FIR-1/merge",
                                new JsonObject().put("into", "INC-MED-1")),
                        Arguments.of("/api/v1/incidents", call));
        for (Arguments action : actions) {
            String route = (String) action.get()[0];
            JsonObject body = (JsonObject) action.get()[1];
            cases.add(Arguments.of(route, body, null, null, 401));
            for (Role role : Role.values()) {
                List<Department> departments =
                        role.needsDepartment()
                                ? List.of(Department.values()).subList(1, 5)
                                : java.util.Arrays.asList((Department) null);
                for (Department d : departments) {
                    boolean allowed =
                            role == Role.operator
                                    || (route.contains("/tasks/police/")
                                            && role.needsDepartment()
                                            && d == Department.police);
                    cases.add(Arguments.of(route, body, role, d, allowed ? 202 : 403));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "POST {0} as {2} {3} -> {4}")
    @MethodSource("actionRoleMatrix")
    void everyActionAuthenticatesAndAuthorisesEveryReader(
            String route, JsonObject body, Role role, Department dept, int expected)
            throws Exception {
        HttpResponse<Buffer> response = post(route, role == null ? null : token(role, dept), body);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expected);
    }

    /**
     * 3,000 hostile requests in waves of 300 at once — forged, expired, malformed and missing
     * tokens, another department's incident, 200 KB bodies — each gets its refusal, and the API
     * still answers a real dispatcher between and after the waves. The heap is measured (printed),
     * not asserted: limits are structural (64 KB body limit, bounded rate-limit cache, no session).
     */
    @Test
    void aFloodOfHostileRequestsIsRefusedAndRealReadersAreStillServed() throws Exception {
        String forged =
                new Tokens(
                                testVertx,
                                new AccessConfig("another-secret-that-is-32-bytes-long!!", null))
                        .issue(new Reader("x", Role.operator, null), Duration.ofMinutes(5));
        String fireDispatcher = token(Role.dispatcher, Department.fire);
        String police = token(Role.dispatcher, Department.police);
        Buffer huge = Buffer.buffer("{\"reason\":\"" + "x".repeat(200 * 1024) + "\"}");
        Runtime runtime = Runtime.getRuntime();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<Integer> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        for (int wave = 0; wave < 10; wave++) {
            List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int kind = i % 6;
                var request =
                        kind == 5
                                ? client.post(
                                        port, "127.0.0.1", "/api/v1/incidents/INC-POL-1/cancel")
                                : client.get(
                                        port,
                                        "127.0.0.1",
                                        kind == 4
                                                ? "/api/v1/incidents/INC-POL-1"
                                                : "/api/v1/incidents");
                switch (kind) {
                    case 0 -> request.bearerTokenAuthentication(forged);
                    case 1 -> request.bearerTokenAuthentication(forged.substring(0, 40));
                    case 2 -> request.putHeader("Authorization", "Basic YWRtaW46YWRtaW4=");
                    case 3 -> {} // no token at all
                    case 4 -> request.bearerTokenAuthentication(fireDispatcher);
                    default -> request.bearerTokenAuthentication(police);
                }
                int expected =
                        switch (kind) {
                            case 4 -> 403;
                            case 5 -> 413;
                            default -> 401;
                        };
                var sent = kind == 5 ? request.sendBuffer(huge) : request.send();
                inFlight.add(
                        sent.toCompletionStage()
                                .toCompletableFuture()
                                .handle(
                                        (response, error) -> {
                                            int status = error == null ? response.statusCode() : -1;
                                            statuses.merge(status, 1, Integer::sum);
                                            if (status != expected) {
                                                unexpected.add(status);
                                            }
                                            return null;
                                        }));
            }
            java.util.concurrent.CompletableFuture.allOf(
                            inFlight.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            assertThat(get("/api/v1/incidents", police).statusCode())
                    .as("a real dispatcher between the waves")
                    .isEqualTo(200);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long heapAfter = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf(
                "3,000 hostile requests refused in %d ms (%s); heap in use %d -> %d MiB%n",
                millis, statuses, heapBefore >> 20, heapAfter >> 20);
        assertThat(unexpected).as("requests not refused as they should be").isEmpty();
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3_000);
    }

    /** Slowloris: half a request, then nothing — the server closes the connection. */
    @Test
    void aConnectionThatGoesQuietIsClosedByTheServer() throws Exception {
        try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port);
                java.net.Socket silent = new java.net.Socket("127.0.0.1", port)) {
            slow.getOutputStream()
                    .write(
                            "GET /api/v1/incidents HTTP/1.1\r\nHost: api\r\nX-Slow: 1"
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            slow.setSoTimeout(30_000);
            silent.setSoTimeout(30_000);
            long started = System.nanoTime();
            assertThat(slow.getInputStream().read()).as("closed, nothing answered").isEqualTo(-1);
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            System.out.printf(
                    "quiet connections closed after %d ms (idleTimeoutSeconds 2)%n",
                    (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(get("/api/v1/incidents", token(Role.operator, null)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void forgedExpiredAndRoleLessTokensAreRefused() throws Exception {
        String forged =
                new Tokens(
                                Vertx.vertx(),
                                new AccessConfig("another-secret-that-is-32-bytes-long!!", null))
                        .issue(new Reader("x", Role.operator, null), Duration.ofMinutes(5));
        assertThat(get("/api/v1/incidents", forged).statusCode()).isEqualTo(401);
        assertThat(
                        get(
                                        "/api/v1/incidents",
                                        tokens.provider()
                                                .generateToken(
                                                        new JsonObject()
                                                                .put("role", "operator")
                                                                .put(
                                                                        "iat",
                                                                        Instant.now()
                                                                                        .getEpochSecond()
                                                                                - 600)
                                                                .put(
                                                                        "exp",
                                                                        Instant.now()
                                                                                        .getEpochSecond()
                                                                                - 300),
                                                        new io.vertx.ext.auth.JWTOptions()
                                                                .setIssuer("cityops")))
                                .statusCode())
                .isEqualTo(401);
        String noRole =
                tokens.provider()
                        .generateToken(
                                new JsonObject().put("role", "mayor"),
                                new io.vertx.ext.auth.JWTOptions()
                                        .setIssuer("cityops")
                                        .setExpiresInSeconds(60));
        assertThat(get("/api/v1/incidents", noRole).statusCode()).isEqualTo(403);
        String dispatcherWithoutDepartment =
                tokens.provider()
                        .generateToken(
                                new JsonObject().put("role", "dispatcher"),
                                new io.vertx.ext.auth.JWTOptions()
                                        .setIssuer("cityops")
                                        .setExpiresInSeconds(60));
        HttpResponse<Buffer> refused = get("/api/v1/incidents", dispatcherWithoutDepartment);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.bodyAsString()).contains("must name a department");
    }

    @Test
    void listsFilterPageAndRestrictDispatchersToTheirDepartment() throws Exception {
        JsonObject all = get("/api/v1/incidents", token(Role.operator, null)).bodyAsJsonObject();
        assertThat(all.getLong("total")).isEqualTo(4);
        assertThat(ids(all)).containsExactly("INC-MED-1", "INC-FIR-1", "INC-POL-1", "INC-TSK");

        JsonObject mission =
                get("/api/v1/incidents?district=Mission&limit=1&offset=1", token(Role.leader, null))
                        .bodyAsJsonObject();
        assertThat(mission.getLong("total")).isEqualTo(3);
        assertThat(ids(mission)).containsExactly("INC-FIR-1");

        assertThat(
                        ids(
                                get("/api/v1/incidents", token(Role.dispatcher, Department.fire))
                                        .bodyAsJsonObject()))
                .containsExactly("INC-FIR-1");
        assertThat(
                        ids(
                                get(
                                                "/api/v1/incidents?status=DISCOVERED&department=medical",
                                                token(Role.operator, null))
                                        .bodyAsJsonObject()))
                .containsExactly("INC-MED-1");
        assertThat(
                        ids(
                                get("/api/v1/incidents?status=CLOSED", token(Role.operator, null))
                                        .bodyAsJsonObject()))
                .isEmpty();
    }

    @Test
    void badQueryValuesAre400sNamingTheField() throws Exception {
        String operator = token(Role.operator, null);
        for (String[] bad :
                new String[][] {
                    {"/api/v1/incidents?limit=0", "limit"},
                    {"/api/v1/incidents?limit=abc", "limit"},
                    {"/api/v1/incidents?status=OPEN", "status"},
                    {"/api/v1/incidents?department=army", "department"},
                    {"/api/v1/incidents?offset=-1", "offset"},
                    {"/api/v1/deadletters", "feed"},
                    {"/api/v1/deadletters?feed=weather", "feed"}
                }) {
            HttpResponse<Buffer> response = get(bad[0], operator);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field"))
                    .as(bad[0])
                    .isEqualTo(bad[1]);
        }
        assertThat(get("/api/v1/incidents/INC-NOPE", operator).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/nothing-here", operator).statusCode()).isEqualTo(404);
    }

    @Test
    void detailNamesEachReportsFeedAndSenderIdAndMasksPersonalDataForReadersWhoDoNotNeedIt()
            throws Exception {
        JsonObject forOperator =
                get("/api/v1/incidents/INC-POL-1", token(Role.operator, null)).bodyAsJsonObject();
        JsonObject report = forOperator.getJsonArray("reports").getJsonObject(0);
        assertThat(report.getString("feed")).isEqualTo("police.calls");
        assertThat(report.getString("callId")).isEqualTo("P-1");
        assertThat(report.getJsonObject("personalData").getString("callerPhone"))
                .isEqualTo("415-555-0142");

        JsonObject forDispatcher =
                get("/api/v1/incidents/INC-POL-1", token(Role.dispatcher, Department.police))
                        .bodyAsJsonObject();
        assertThat(forDispatcher.encode()).contains("415-555-0142");

        for (String masked : List.of(token(Role.leader, null), token(Role.admin, null))) {
            String body = get("/api/v1/incidents/INC-POL-1", masked).bodyAsString();
            assertThat(body)
                    .doesNotContain("415-555-0142", "Ada Lovelace", "\"patientAge\"")
                    .contains("***42");
        }
        String leaderList = get("/api/v1/incidents", token(Role.leader, null)).bodyAsString();
        assertThat(leaderList).doesNotContain("415-555-0142", "Ada Lovelace");
    }

    @Test
    void feedHealthListsAllFiveFeedsAndDeadLettersComeMasked() throws Exception {
        JsonArray feeds = get("/api/v1/feeds", token(Role.leader, null)).bodyAsJsonArray();
        assertThat(feeds).hasSize(5);
        assertThat(feeds.getJsonObject(0).fieldNames())
                .contains("feed", "accepted", "rejected", "duplicates", "lastReceivedAt");

        JsonObject deadLetters =
                get(
                                "/api/v1/deadletters?feed=police.calls",
                                token(Role.dispatcher, Department.police))
                        .bodyAsJsonObject();
        JsonObject first = deadLetters.getJsonArray("items").getJsonObject(0);
        assertThat(first.getString("reason")).contains("priority");
        assertThat(first.getString("payloadExcerpt"))
                .contains("P-9")
                .doesNotContain("415-555-0199");
    }

    @Test
    void departmentsActOnlyOnTheirOwnTasksAndOnlyWhereTheLifecycleAllows() throws Exception {
        String police = token(Role.dispatcher, Department.police);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-TSK/tasks/police/acknowledge",
                                        token(Role.dispatcher, Department.fire),
                                        new JsonObject())
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-TSK/tasks/police/acknowledge",
                                        token(Role.leader, null),
                                        new JsonObject())
                                .statusCode())
                .isEqualTo(403);
        HttpResponse<Buffer> early =
                post(
                        "/api/v1/incidents/INC-TSK/tasks/police/resolve",
                        police,
                        new JsonObject().put("disposition", "done"));
        assertThat(early.statusCode()).as(early.bodyAsString()).isEqualTo(409);
        assertThat(early.bodyAsString()).contains("is ORDERED: it cannot become RESOLVED");
        HttpResponse<Buffer> noReason =
                post(
                        "/api/v1/incidents/INC-TSK/tasks/police/transfer",
                        police,
                        new JsonObject().put("transferTo", "traffic"));
        assertThat(noReason.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("reason");
        HttpResponse<Buffer> fly =
                post("/api/v1/incidents/INC-TSK/tasks/police/fly", police, new JsonObject());
        assertThat(fly.statusCode()).as("the contract lists the task actions").isEqualTo(400);
        assertThat(fly.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("action");
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-TSK/tasks/medical/acknowledge",
                                        token(Role.operator, null),
                                        new JsonObject())
                                .statusCode())
                .isEqualTo(404);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-TSK/verify",
                                        token(Role.operator, null),
                                        new JsonObject())
                                .statusCode())
                .isEqualTo(409);
        assertThat(post("/api/v1/incidents/INC-TSK/cancel", police, new JsonObject()).statusCode())
                .isEqualTo(403);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-TSK/satisfaction",
                                        token(Role.operator, null),
                                        new JsonObject().put("score", 4))
                                .statusCode())
                .as("satisfaction only after closing")
                .isEqualTo(409);
        HttpResponse<Buffer> nine =
                post(
                        "/api/v1/incidents/INC-TSK/satisfaction",
                        token(Role.operator, null),
                        new JsonObject().put("score", 9));
        assertThat(nine.statusCode()).as("the contract checks the shape first").isEqualTo(400);
        assertThat(nine.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("score");

        HttpResponse<Buffer> ack =
                post(
                        "/api/v1/incidents/INC-TSK/tasks/police/acknowledge",
                        police,
                        new JsonObject());
        assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(202);
        String commandId = ack.bodyAsJsonObject().getString("actionId");
        assertThat(published(commandId))
                .satisfies(
                        c -> {
                            assertThat(c.getKind()).isEqualTo(CommandKind.ACKNOWLEDGE);
                            assertThat(c.getDepartment()).isEqualTo(Department.police);
                            assertThat(c.getActorDepartment()).isEqualTo(Department.police);
                        });
    }

    @Test
    void supervisorsSeeTheirDepartmentsEscalationsAndTasksCanBeExtendedWithAReason()
            throws Exception {
        assertThat(
                        get("/api/v1/escalations", token(Role.leader, null))
                                .bodyAsJsonObject()
                                .getJsonArray("items"))
                .hasSize(2);
        assertThat(
                        get("/api/v1/escalations", token(Role.supervisor, Department.fire))
                                .bodyAsJsonObject()
                                .getJsonArray("items"))
                .extracting(o -> ((JsonObject) o).getString("escalationId"))
                .containsExactly("E-2");

        String police = token(Role.dispatcher, Department.police);
        HttpResponse<Buffer> noSeconds =
                post(
                        "/api/v1/incidents/INC-TSK/tasks/police/extend",
                        police,
                        new JsonObject().put("reason", "road closed"));
        assertThat(noSeconds.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("seconds");
        HttpResponse<Buffer> extended =
                post(
                        "/api/v1/incidents/INC-TSK/tasks/police/extend",
                        police,
                        new JsonObject()
                                .put("seconds", 600)
                                .put("reason", "road closed by flooding"));
        assertThat(extended.statusCode()).as(extended.bodyAsString()).isEqualTo(202);
        String commandId = extended.bodyAsJsonObject().getString("actionId");
        assertThat(published(commandId))
                .satisfies(c -> assertThat(c.getExtendBySeconds()).isEqualTo(600));
    }

    @Test
    void alertsAreFilteredByDepartmentAndDryRunAndRulesCarryTheirMetrics() throws Exception {
        assertThat(
                        get("/api/v1/alerts", token(Role.leader, null))
                                .bodyAsJsonObject()
                                .getJsonArray("items"))
                .extracting(o -> ((JsonObject) o).getString("alertId"))
                .containsExactly("ALR-2", "ALR-1");
        assertThat(
                        get("/api/v1/alerts?dryRun=true", token(Role.operator, null))
                                .bodyAsJsonObject()
                                .getJsonArray("items"))
                .hasSize(3);
        assertThat(
                        get("/api/v1/alerts", token(Role.dispatcher, Department.fire))
                                .bodyAsJsonObject()
                                .getJsonArray("items"))
                .extracting(o -> ((JsonObject) o).getString("alertId"))
                .containsExactly("ALR-1");
        assertThat(get("/api/v1/alerts?dryRun=maybe", token(Role.operator, null)).statusCode())
                .isEqualTo(400);
        JsonObject rule =
                get("/api/v1/rules", token(Role.admin, null))
                        .bodyAsJsonObject()
                        .getJsonArray("items")
                        .getJsonObject(0);
        assertThat(rule.getString("status")).isEqualTo("active");
        assertThat(rule.getJsonObject("metrics").getInteger("firings")).isEqualTo(2);
    }

    @Test
    void kpisArePerDayAndGroupingAndADepartmentsStaffSeeOnlyTheirDepartment() throws Exception {
        live.apply(
                List.of(
                        kpi("city", "2018-12-08", 10),
                        kpi("city", "2018-12-09", 4),
                        kpi("department:fire", "2018-12-08", 6),
                        kpi("department:police", "2018-12-08", 3),
                        kpi("district:Mission", "2018-12-08", 2),
                        kpi("city", "live", 1),
                        kpi("department:fire", "live", 1)));

        assertThat(groups(get("/api/v1/kpis", token(Role.leader, null))))
                .containsExactly("city@2018-12-08..2018-12-09");
        JsonObject city =
                get("/api/v1/kpis", token(Role.leader, null))
                        .bodyAsJsonObject()
                        .getJsonArray("items")
                        .getJsonObject(0);
        assertThat(city.getLong("opened")).isEqualTo(14);
        assertThat(city.getJsonObject("onScene").getInteger("count")).isEqualTo(2);
        assertThat(city.getJsonObject("onScene").getLong("median"))
                .as("of 240 s and 600 s")
                .isEqualTo(240);
        assertThat(city.containsKey("seconds")).as("raw durations stay inside").isFalse();
        assertThat(
                        groups(
                                get(
                                        "/api/v1/kpis?by=department&from=2018-12-08&to=2018-12-08",
                                        token(Role.operator, null))))
                .containsExactly(
                        "department:fire@2018-12-08..2018-12-08",
                        "department:police@2018-12-08..2018-12-08");
        assertThat(groups(get("/api/v1/kpis?by=city&from=2018-12-09", token(Role.admin, null))))
                .containsExactly("city@2018-12-09..2018-12-09");
        assertThat(
                        groups(
                                get(
                                        "/api/v1/kpis?by=city&to=2018-12-08T23:59:59Z",
                                        token(Role.admin, null))))
                .containsExactly("city@2018-12-08..2018-12-08");
        assertThat(
                        groups(
                                get(
                                        "/api/v1/kpis?by=department",
                                        token(Role.supervisor, Department.fire))))
                .containsExactly("department:fire@2018-12-08..2018-12-08");
        assertThat(
                        get("/api/v1/kpis?by=city", token(Role.dispatcher, Department.fire))
                                .statusCode())
                .isEqualTo(403);
        assertThat(groups(get("/api/v1/kpis?by=city&window=live", token(Role.leader, null))))
                .as("the last hour")
                .containsExactly("city@live..live");
        assertThat(
                        groups(
                                get(
                                        "/api/v1/kpis?by=department&window=live",
                                        token(Role.supervisor, Department.police))))
                .isEmpty();

        for (String bad :
                List.of(
                        "by=street",
                        "from=08-12-2018",
                        "to=tomorrow",
                        "from=2018-12-09&to=2018-12-08",
                        "window=day",
                        "window=live&from=2018-12-08")) {
            HttpResponse<Buffer> response = get("/api/v1/kpis?" + bad, token(Role.operator, null));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
                    .as(bad)
                    .isNotBlank();
        }
    }

    private static LiveWrite.KpiWrite kpi(String group, String day, long opened) {
        return new LiveWrite.KpiWrite(
                group,
                day,
                opened,
                org.cityops.livestate.KpiRows.row(
                                group,
                                day,
                                day,
                                java.util.Map.of("opened", opened),
                                java.util.Map.of("onScene", List.of(opened * 60)))
                        .toString());
    }

    private static List<String> groups(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject().getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .map(
                        o ->
                                o.getString("group")
                                        + "@"
                                        + o.getString("from")
                                        + ".."
                                        + o.getString("to"))
                .toList();
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        HttpResponse<Buffer> health = get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    static HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
        var request = client.post(port, "127.0.0.1", path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.sendJsonObject(body)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void anOperatorsMergeIsPublishedToDispatchFeedbackWithWhoDidIt() throws Exception {
        HttpResponse<Buffer> accepted =
                post(
                        "/api/v1/incidents/INC-FIR-1/merge",
                        token(Role.operator, null),
                        new JsonObject()
                                .put("into", "INC-MED-1")
                                .put("reason", "same kitchen fire"));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String commandId = accepted.bodyAsJsonObject().getString("actionId");

        assertThat(published(commandId))
                .satisfies(
                        c -> {
                            assertThat(c.getKind()).isEqualTo(CommandKind.MERGE);
                            assertThat(c.getIncidentId()).isEqualTo("INC-FIR-1");
                            assertThat(c.getTargetIncidentId()).isEqualTo("INC-MED-1");
                            assertThat(c.getActor()).isEqualTo("tester");
                            assertThat(c.getReason()).isEqualTo("same kitchen fire");
                        });
    }

    @Test
    void badMergesAndSplitsAreRefusedWithTheReason() throws Exception {
        String operator = token(Role.operator, null);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-FIR-1/merge",
                                        token(Role.leader, null),
                                        new JsonObject().put("into", "INC-MED-1"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-FIR-1/merge",
                                        token(Role.dispatcher, Department.fire),
                                        new JsonObject().put("into", "INC-MED-1"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-NOPE/merge",
                                        operator,
                                        new JsonObject().put("into", "INC-MED-1"))
                                .statusCode())
                .isEqualTo(404);
        HttpResponse<Buffer> noTarget =
                post("/api/v1/incidents/INC-FIR-1/merge", operator, new JsonObject());
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(noTarget.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("into");
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-FIR-1/merge",
                                        operator,
                                        new JsonObject().put("into", "INC-FIR-1"))
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/api/v1/incidents/INC-FIR-1/merge",
                                        operator,
                                        new JsonObject().put("into", "INC-GONE"))
                                .statusCode())
                .isEqualTo(400);
        HttpResponse<Buffer> lastReport =
                post(
                        "/api/v1/incidents/INC-FIR-1/split",
                        operator,
                        new JsonObject().put("eventIds", new JsonArray().add("FIRE_ALARMS/F-1")));
        assertThat(lastReport.statusCode()).as(lastReport.bodyAsString()).isEqualTo(409);
        HttpResponse<Buffer> stranger =
                post(
                        "/api/v1/incidents/INC-FIR-1/split",
                        operator,
                        new JsonObject()
                                .put("eventIds", new JsonArray().add("police.calls/P-404")));
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.bodyAsJsonObject().getJsonObject("error").getString("field"))
                .isEqualTo("eventIds");
        HttpResponse<Buffer> huge =
                client.post(port, "127.0.0.1", "/api/v1/incidents/INC-FIR-1/split")
                        .bearerTokenAuthentication(operator)
                        .sendBuffer(
                                Buffer.buffer("{\"eventIds\":[\"" + "x".repeat(70_000) + "\"]}"))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    private static List<String> ids(JsonObject page) {
        return page.getJsonArray("items").stream()
                .map(o -> ((JsonObject) o).getString("incidentId"))
                .toList();
    }
}
