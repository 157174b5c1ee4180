package org.cityops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;
import org.cityops.schemas.feeds.PoliceCall;
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

/**
 * What makes the API safe to work with all day, against real Kafka and Redis: the contract as the
 * gate, safe retries, waiting for a version, the rate limit, search and queues, calls taken by
 * operators, audited personal data, RS256 tokens, readiness and metrics.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DispatchApiOperationsITCase {

    private static final String SECRET = "an-operations-test-secret-of-at-least-32-bytes";
    private static final int RATE = 20;
    private static Tokens tokens;
    private static KeyPair identityKey;
    private static WebClient client;
    private static LiveView live;
    private static int port;
    private static Topics topics;
    private static Vertx vertx;
    private static KeyPair keySet;

    private static final String SCREEN_ORIGIN = "https://screen.city.example";

    @BeforeAll
    static void start(Vertx testVertx, VertxTestContext context) throws Exception {
        vertx = testVertx;
        String prefix = TestInfra.uniquePrefix("apiops");
        topics = Topics.withPrefix(prefix);
        String target = LiveViews.redisTarget(TestInfra.redisUri(), prefix);
        TopicSetup.ensure(TestInfra.kafkaBootstrapServers(), topics, 1, (short) 1);
        live = LiveViews.open(target);
        live.apply(
                List.of(
                        Documents.incidentWrite(
                                incident("INC-A", 5, Category.VIOLENT_CRIME, 37.7840, -122.4100)
                                        .setTasks(
                                                List.of(
                                                        task(
                                                                Department.police,
                                                                "2018-12-08T10:05:00Z"),
                                                        task(
                                                                Department.medical,
                                                                "2018-12-08T10:04:00Z")))
                                        .build()),
                        Documents.incidentWrite(
                                incident("INC-B", 5, Category.VIOLENT_CRIME, 37.7600, -122.4300)
                                        .setTasks(
                                                List.of(
                                                        task(
                                                                Department.police,
                                                                "2018-12-08T10:01:00Z")))
                                        .build()),
                        Documents.incidentWrite(
                                incident("INC-C", 2, Category.PROPERTY_CRIME, 37.7841, -122.4101)
                                        .setTasks(
                                                List.of(
                                                        task(
                                                                Department.police,
                                                                "2018-12-08T09:00:00Z")))
                                        .build())));
        identityKey = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        keySet = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        tokens = new Tokens(vertx, new AccessConfig(SECRET, null));
        client = WebClient.create(vertx);
        DispatchApiITCase.deploy(
                vertx,
                new JsonObject()
                        .put("liveView", target)
                        .put("jwtSecret", SECRET)
                        .put("jwks", new io.vertx.core.json.JsonArray().add(jwk(keySet, "key-2")))
                        .put(
                                "jwtPublicKeyPem",
                                pem("PUBLIC KEY", identityKey.getPublic().getEncoded()))
                        .put("kafka", TestInfra.kafkaBootstrapServers())
                        .put("topicPrefix", prefix)
                        .put("rateLimitPerSecond", RATE)
                        .put("corsOrigins", new io.vertx.core.json.JsonArray().add(SCREEN_ORIGIN)),
                context,
                bound -> port = bound);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    // ---- the contract ------------------------------------------------------------------------

    @Test
    void theContractIsServedAndEveryPartOfARequestIsCheckedAgainstItNamingTheField()
            throws Exception {
        HttpResponse<Buffer> contract =
                send(client.get(port, "127.0.0.1", "/openapi.yaml"), null, null);
        assertThat(contract.statusCode()).isEqualTo(200);
        assertThat(contract.bodyAsString()).contains("openapi: 3.1.0", "operationId: taskQueue");

        String operator = token(Role.operator, null);
        assertError(get("/api/v1/incidents?minSeverity=9", operator), 400, "minSeverity");
        assertError(get("/api/v1/incidents?near=somewhere", operator), 400, "near");
        assertError(get("/api/v1/departments/navy/queue", operator), 400, "department");
        assertError(
                post(
                        "/api/v1/incidents/INC-A/merge",
                        operator,
                        new JsonObject().put("into", "INC-B").put("by", "me"),
                        null),
                400,
                "by");
        assertError(
                post(
                        "/api/v1/incidents/INC-A/merge",
                        operator,
                        new JsonObject().put("into", "INC-B"),
                        "short"),
                400,
                "Idempotency-Key");
        assertError(get("/api/v1/incidents", null), 401, null);
    }

    // ---- safe retries ------------------------------------------------------------------------

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndNothingIsDoneTwice() throws Exception {
        String operator = token(Role.operator, null);
        String key = "retry-" + UUID.randomUUID();
        JsonObject body = new JsonObject().put("into", "INC-B").put("reason", "same robbery");

        HttpResponse<Buffer> first = post("/api/v1/incidents/INC-A/merge", operator, body, key);
        HttpResponse<Buffer> again = post("/api/v1/incidents/INC-A/merge", operator, body, key);

        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
        assertThat(first.bodyAsJsonObject().getLong("minVersion"))
                .as("the version that will reflect it")
                .isEqualTo(2);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
        assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
        String actionId = first.bodyAsJsonObject().getString("actionId");
        List<FeedbackCommand> published =
                KafkaTestClient.readAll(
                        TestInfra.kafkaBootstrapServers(),
                        topics.feedback().name(),
                        new AvroSerde<>(FeedbackCommand.class));
        assertThat(published).filteredOn(c -> c.getCommandId().equals(actionId)).hasSize(1);
        assertThat(published).filteredOn(c -> "same robbery".equals(c.getReason())).hasSize(1);

        assertError(
                post(
                        "/api/v1/incidents/INC-A/merge",
                        operator,
                        body.copy().put("reason", "other"),
                        key),
                422,
                "Idempotency-Key");
    }

    @Test
    void aReaderCanWaitForTheVersionAnActionWillProduce() throws Exception {
        String operator = token(Role.operator, null);
        Incident v1 = incident("INC-W", 3, Category.OTHER, 37.77, -122.42).build();
        live.apply(List.of(Documents.incidentWrite(v1)));
        // the job applies the action a moment after the reader starts waiting
        java.util.concurrent.CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
                .execute(
                        () ->
                                live.apply(
                                        List.of(
                                                Documents.incidentWrite(
                                                        Incident.newBuilder(v1)
                                                                .setVersion(2)
                                                                .setStatus(IncidentStatus.CANCELLED)
                                                                .build()))));

        HttpResponse<Buffer> waited = get("/api/v1/incidents/INC-W?minVersion=2", operator);

        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(waited.bodyAsJsonObject().getLong("version")).isEqualTo(2);
        assertThat(waited.getHeader("CityOps-Version-Reached")).isEqualTo("true");
        HttpResponse<Buffer> never = get("/api/v1/incidents/INC-W?minVersion=9", operator);
        assertThat(never.statusCode()).isEqualTo(200);
        assertThat(never.getHeader("CityOps-Version-Reached")).isEqualTo("false");
    }

    // ---- the rate limit ----------------------------------------------------------------------

    @Test
    void aTokenBeyondItsRateGets429WithRetryAfterAndOtherTokensAreUntouched() throws Exception {
        String busy = token(Role.leader, null);
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<Buffer> limited = null;
        for (int i = 0; i < RATE * 3 && limited == null; i++) {
            HttpResponse<Buffer> r = get("/api/v1/feeds", busy);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("statuses " + statuses).isNotNull();
        assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isBetween(1, 2);
        assertThat(limited.bodyAsJsonObject().getJsonObject("error").getString("code"))
                .isEqualTo("too_many_requests");
        assertThat(get("/api/v1/feeds", token(Role.leader, null)).statusCode())
                .as("another token")
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> get("/api/v1/feeds", busy).statusCode() == 200);
    }

    // ---- search and queues -------------------------------------------------------------------

    @Test
    void incidentsAreSearchedBySeverityCategoryTextAndDistanceAndSorted() throws Exception {
        String operator = token(Role.operator, null);
        assertThat(ids(get("/api/v1/incidents?minSeverity=5&sort=lastReportAt", operator)))
                .containsExactly("INC-A", "INC-B");
        assertThat(ids(get("/api/v1/incidents?category=PROPERTY_CRIME", operator)))
                .containsExactly("INC-C");
        assertThat(
                        ids(
                                get(
                                        "/api/v1/incidents?near=37.7840,-122.4100,100&sort=-severity",
                                        operator)))
                .as("within 100 m, most severe first")
                .containsExactly("INC-A", "INC-C");
        assertThat(ids(get("/api/v1/incidents?q=p-inc-b", operator)))
                .as("free text reaches the reports' ids, case-insensitively")
                .containsExactly("INC-B");
        JsonObject page =
                get("/api/v1/incidents?minSeverity=5&limit=1", operator).bodyAsJsonObject();
        assertThat(page.getLong("total")).isEqualTo(2);
        assertThat(page.getJsonArray("items")).hasSize(1);
    }

    @Test
    void aDepartmentsQueueIsMostSevereFirstThenSoonestDeadlineAndOnlyForWhoMaySeeIt()
            throws Exception {
        JsonObject queue =
                get("/api/v1/departments/police/queue", token(Role.dispatcher, Department.police))
                        .bodyAsJsonObject();
        assertThat(
                        queue.getJsonArray("items").stream()
                                .map(i -> ((JsonObject) i).getString("incidentId")))
                .startsWith("INC-B", "INC-A")
                .contains("INC-C");
        JsonObject first = queue.getJsonArray("items").getJsonObject(0);
        assertThat(first.getJsonObject("task").getString("duePhase")).isEqualTo("acknowledge");
        assertThat(first.getBoolean("overdue")).as("2018 deadlines, 2026 clock").isTrue();
        assertThat(
                        get(
                                        "/api/v1/departments/police/queue",
                                        token(Role.dispatcher, Department.fire))
                                .statusCode())
                .isEqualTo(403);
        assertThat(
                        ids(
                                get(
                                        "/api/v1/incidents?department=police",
                                        token(Role.dispatcher, Department.medical))))
                .as("a supporting department's dispatcher finds the incidents that task it")
                .containsExactly("INC-A");
    }

    // ---- calls taken by operators ------------------------------------------------------------

    @Test
    void anOperatorTakesACallAndItIsPublishedAsAReportOfTheDepartmentsFeed() throws Exception {
        JsonObject call =
                new JsonObject()
                        .put("department", "police")
                        .put("category", "ROBBERY")
                        .put("severity", 4)
                        .put("lat", 37.7841)
                        .put("lon", -122.4102)
                        .put("address", "200 Block of EDDY ST")
                        .put("description", "caller saw a robbery in progress")
                        .put("callerPhone", "415-555-0100");
        assertThat(
                        post(
                                        "/api/v1/incidents",
                                        token(Role.dispatcher, Department.police),
                                        call,
                                        null)
                                .statusCode())
                .isEqualTo(403);
        assertError(
                post(
                        "/api/v1/incidents",
                        token(Role.operator, null),
                        call.copy().put("lat", 51.5),
                        null),
                400,
                "lat");

        HttpResponse<Buffer> taken =
                post("/api/v1/incidents", token(Role.operator, null), call, null);

        assertThat(taken.statusCode()).as(taken.bodyAsString()).isEqualTo(202);
        String reportId = taken.bodyAsJsonObject().getString("reportId");
        assertThat(taken.bodyAsJsonObject().getString("eventId"))
                .isEqualTo("police.calls/" + reportId);
        PoliceCall published =
                KafkaTestClient.readAll(
                                TestInfra.kafkaBootstrapServers(),
                                topics.feed(org.cityops.schemas.contract.FeedSpec.POLICE_CALLS)
                                        .name(),
                                new AvroSerde<>(PoliceCall.class))
                        .stream()
                        .filter(c -> c.getCallId().equals(reportId))
                        .findFirst()
                        .orElseThrow();
        assertThat(published.getPriority()).as("severity 4 is police priority 1").isEqualTo(1);
        assertThat(published.getCategory()).isEqualTo("ROBBERY");
        assertThat(published.getCallerPhone()).isEqualTo("415-555-0100");
    }

    // ---- personal data -----------------------------------------------------------------------

    @Test
    void personalDataIsShownOnlyInTheDetailToThoseWhoNeedItAndEveryReadOfItIsAudited()
            throws Exception {
        HttpResponse<Buffer> detail = get("/api/v1/incidents/INC-C", token(Role.operator, null));
        assertThat(detail.bodyAsString()).contains("415-555-0142");
        assertThat(get("/api/v1/incidents/INC-C", token(Role.leader, null)).bodyAsString())
                .doesNotContain("415-555-0142");
        assertThat(get("/api/v1/incidents?limit=500", token(Role.operator, null)).bodyAsString())
                .as("lists never carry personal data")
                .doesNotContain("415-555-0142");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                KafkaTestClient.readAll(
                                                        TestInfra.kafkaBootstrapServers(),
                                                        topics.audit().name(),
                                                        new AvroSerde<>(AuditRecord.class)))
                                        .filteredOn(a -> a.getIncidentId().equals("INC-C"))
                                        .singleElement()
                                        .satisfies(
                                                a -> {
                                                    assertThat(a.getAction())
                                                            .isEqualTo("READ_PERSONAL_DATA");
                                                    assertThat(a.getActorRole())
                                                            .isEqualTo("operator");
                                                }));
        JsonObject trail =
                get("/api/v1/audit?incidentId=INC-C", token(Role.admin, null)).bodyAsJsonObject();
        assertThat(
                        trail.getJsonArray("items").stream()
                                .map(a -> ((JsonObject) a).getString("action")))
                .as("administrators read the trail")
                .containsExactly("READ_PERSONAL_DATA");
        assertThat(get("/api/v1/audit", token(Role.operator, null)).statusCode()).isEqualTo(403);
        assertThat(
                        get("/api/v1/incidents/INC-C", token(Role.leader, null))
                                .bodyAsJsonObject()
                                .getJsonArray("actions"))
                .as("the incident's timeline shows who read its personal data")
                .hasSize(1);
    }

    // ---- tokens from an identity provider ----------------------------------------------------

    @Test
    void anRs256TokenFromTheIdentityProviderIsAcceptedAndOneSignedWithAnotherKeyIsNot()
            throws Exception {
        String signed =
                rs256(
                        identityKey,
                        null,
                        new JsonObject().put("role", "dispatcher").put("department", "police"),
                        "idp-user");
        assertThat(get("/api/v1/departments/police/queue", signed).statusCode()).isEqualTo(200);

        String fromKeySet =
                rs256(keySet, "key-2", new JsonObject().put("role", "leader"), "idp-leader");
        assertThat(get("/api/v1/incidents", fromKeySet).statusCode())
                .as("a key of the configured JWKS, chosen by kid")
                .isEqualTo(200);

        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String forged = rs256(other, null, new JsonObject().put("role", "operator"), "mallory");
        assertThat(get("/api/v1/incidents", forged).statusCode()).isEqualTo(401);
    }

    /** A token as an identity provider signs it: RS256 with {@code pair}'s private key. */
    private static String rs256(KeyPair pair, String kid, JsonObject claims, String subject) {
        PubSecKeyOptions key =
                new PubSecKeyOptions()
                        .setAlgorithm("RS256")
                        .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        if (kid != null) {
            key.setId(kid);
        }
        return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key))
                .generateToken(
                        claims,
                        new JWTOptions()
                                .setAlgorithm("RS256")
                                .setIssuer(AccessConfig.DEFAULT_ISSUER)
                                .setSubject(subject)
                                .setExpiresInMinutes(5));
    }

    // ---- operations --------------------------------------------------------------------------

    @Test
    void readinessNamesKafkaAndTheLiveViewAndMetricsCountRequestsPerOperation() throws Exception {
        HttpResponse<Buffer> ready = send(client.get(port, "127.0.0.1", "/ready"), null, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject().getString("kafka")).isEqualTo("UP");
        assertThat(ready.bodyAsJsonObject().getString("liveView")).isEqualTo("UP");

        get("/api/v1/departments/police/queue", token(Role.operator, null));
        String metrics = send(client.get(port, "127.0.0.1", "/metrics"), null, null).bodyAsString();
        assertThat(metrics)
                .containsPattern(
                        "cityops_api_requests_seconds_count\\{[^}]*operation=\"taskQueue\"[^}]*status=\"200\"[^}]*} [1-9]");
    }

    @Test
    void theCommandScreensPageMayCallTheApiFromABrowserAndNoOtherPageMay() throws Exception {
        HttpResponse<Buffer> preflight =
                send(
                        client.request(
                                        io.vertx.core.http.HttpMethod.OPTIONS,
                                        port,
                                        "127.0.0.1",
                                        "/api/v1/incidents/INC-A/tasks/police/acknowledge")
                                .putHeader("Origin", SCREEN_ORIGIN)
                                .putHeader("Access-Control-Request-Method", "POST")
                                .putHeader(
                                        "Access-Control-Request-Headers",
                                        "authorization,content-type,idempotency-key"),
                        null,
                        null);
        assertThat(preflight.statusCode())
                .as("answered before authentication: a preflight carries no token")
                .isIn(200, 204);
        assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(SCREEN_ORIGIN);
        assertThat(preflight.getHeader("Access-Control-Allow-Headers"))
                .containsIgnoringCase("Idempotency-Key");

        HttpResponse<Buffer> read =
                send(
                        client.get(port, "127.0.0.1", "/api/v1/incidents/INC-A")
                                .putHeader("Origin", SCREEN_ORIGIN),
                        token(Role.leader, null),
                        null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.getHeader("Access-Control-Allow-Origin")).isEqualTo(SCREEN_ORIGIN);

        HttpResponse<Buffer> elsewhere =
                send(
                        client.get(port, "127.0.0.1", "/api/v1/incidents/INC-A")
                                .putHeader("Origin", "https://evil.example"),
                        token(Role.leader, null),
                        null);
        assertThat(elsewhere.getHeader("Access-Control-Allow-Origin"))
                .as("a page from another origin is not allowed to read the answer")
                .isNull();
        assertError(elsewhere, 403, null);
    }

    @Test
    void aMajorIncidentIsExportedAsValidCapWithoutPersonalDataAndWarningsAreListed()
            throws Exception {
        HttpResponse<Buffer> cap = get("/api/v1/incidents/INC-A/cap", token(Role.leader, null));
        assertThat(cap.statusCode()).as(cap.bodyAsString()).isEqualTo(200);
        assertThat(cap.getHeader("Content-Type")).isEqualTo("application/cap+xml");
        org.cityops.schemas.cap.CapAlert alert =
                org.cityops.schemas.cap.CapMessages.parse(cap.body().getBytes()); // valid CAP 1.2
        assertThat(alert.status()).isEqualTo("Actual");
        assertThat(alert.infos().get(0).severity()).as("severity 5").isEqualTo("Extreme");
        assertThat(alert.infos().get(0).categories()).containsExactly("Security");
        assertThat(alert.infos().get(0).areas().get(0).circles())
                .singleElement()
                .asString()
                .startsWith("37.78400,-122.41000");
        assertThat(cap.bodyAsString()).doesNotContain("415-555").doesNotContain("callerPhone");

        assertError(get("/api/v1/incidents/INC-C/cap", token(Role.operator, null)), 409, null);
        assertThat(
                        get(
                                        "/api/v1/incidents/INC-A/cap",
                                        token(Role.dispatcher, Department.police))
                                .statusCode())
                .isEqualTo(403);

        // a rule's alert goes out as CAP too
        live.apply(
                List.of(
                        Documents.alertWrite(
                                org.cityops.schemas.city.Alert.newBuilder()
                                        .setAlertId("crowd-fight/42")
                                        .setRuleId("crowd-fight")
                                        .setRuleVersion(3)
                                        .setRuleKind("burst")
                                        .setAction("ALERT")
                                        .setSeverity(4)
                                        .setMessage("Several fight reports around Union Square")
                                        .setDepartment(Department.police)
                                        .setDryRun(false)
                                        .setEvidenceEventIds(List.of("e1", "e2", "e3"))
                                        .setEvidenceIncidentIds(List.of())
                                        .setIncidentId(null)
                                        .setLocation(
                                                CityLocation.newBuilder()
                                                        .setLat(37.788)
                                                        .setLon(-122.4075)
                                                        .setDistrict(
                                                                "Financial District/South Beach")
                                                        .build())
                                        .setFiredAt(Instant.parse("2018-12-08T22:00:00Z"))
                                        .build())));
        HttpResponse<Buffer> alertCap =
                get("/api/v1/alerts/crowd-fight%2F42/cap", token(Role.operator, null));
        assertThat(alertCap.statusCode()).as(alertCap.bodyAsString()).isEqualTo(200);
        org.cityops.schemas.cap.CapAlert fromRule =
                org.cityops.schemas.cap.CapMessages.parse(alertCap.body().getBytes());
        assertThat(fromRule.infos().get(0).headline())
                .isEqualTo("Several fight reports around Union Square");
        assertThat(fromRule.infos().get(0).severity()).isEqualTo("Severe");
        assertThat(get("/api/v1/alerts/nope/cap", token(Role.leader, null)).statusCode())
                .isEqualTo(404);

        live.apply(
                List.of(
                        new org.cityops.livestate.LiveWrite.WarningWrite(
                                "nws/1",
                                1,
                                true,
                                new JsonObject()
                                        .put("warningId", "nws/1")
                                        .put("actual", true)
                                        .put("state", "ACTIVE")
                                        .encode()),
                        new org.cityops.livestate.LiveWrite.WarningWrite(
                                "drill/1",
                                1,
                                false,
                                new JsonObject()
                                        .put("warningId", "drill/1")
                                        .put("actual", false)
                                        .put("state", "ACTIVE")
                                        .encode())));
        var inForce =
                get("/api/v1/warnings", token(Role.dispatcher, Department.fire)).bodyAsJsonArray();
        assertThat(inForce.stream().map(w -> ((JsonObject) w).getString("warningId")))
                .containsExactly("nws/1");
        var all = get("/api/v1/warnings?all=true", token(Role.operator, null)).bodyAsJsonArray();
        assertThat(all.stream().map(w -> ((JsonObject) w).getString("warningId")))
                .containsExactlyInAnyOrder("nws/1", "drill/1");
    }

    @Test
    void anIncidentIsExportedAsAnEidoThatFollowsTheSchemaWithItsMergeAndNoPersonalData()
            throws Exception {
        live.apply(
                List.of(
                        Documents.incidentWrite(
                                incident("INC-M", 4, Category.VIOLENT_CRIME, 37.7839, -122.4099)
                                        .setStatus(IncidentStatus.MERGED)
                                        .setMergedInto("INC-A")
                                        .setLinks(
                                                List.of(
                                                        org.cityops.schemas.city.IncidentLink
                                                                .newBuilder()
                                                                .setKind(
                                                                        org.cityops.schemas.city
                                                                                .LinkKind
                                                                                .REPLACED_BY)
                                                                .setIncidentId("INC-A")
                                                                .setAt(
                                                                        Instant.parse(
                                                                                "2018-12-08T10:07:00Z"))
                                                                .setReason("same robbery")
                                                                .build()))
                                        .setTasks(
                                                List.of(
                                                        task(
                                                                Department.police,
                                                                "2018-12-08T10:05:00Z")))
                                        .build())));
        HttpResponse<Buffer> response =
                get("/api/v1/incidents/INC-M/eido", token(Role.operator, null));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject eido = response.bodyAsJsonObject();

        JsonObject schema;
        try (var in =
                DispatchApiVerticle.class.getResourceAsStream("/eido/eido-cityops.schema.json")) {
            schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        var result =
                io.vertx.json.schema.Validator.create(
                                io.vertx.json.schema.JsonSchema.of(schema),
                                new io.vertx.json.schema.JsonSchemaOptions()
                                        .setDraft(io.vertx.json.schema.Draft.DRAFT202012)
                                        .setBaseUri("https://cityops.example/")
                                        .setOutputFormat(io.vertx.json.schema.OutputFormat.Basic))
                        .validate(eido);
        assertThat(result.getValid()).as(result.toJson().encodePrettily()).isTrue();

        JsonObject incident = eido.getJsonObject("incidentComponent");
        assertThat(incident.getString("incidentTrackingIdentifier"))
                .isEqualTo("urn:emergency:uid:incidentid:INC-M:cityops.sf.example");
        assertThat(incident.getJsonArray("incidentStatusCommonRegistryText").getList())
                .containsExactly("Merged");
        assertThat(
                        eido.getJsonArray("mergeComponent")
                                .getJsonObject(0)
                                .getString("incidentMergeDirectionCode"))
                .isEqualTo("REPLACED");
        assertThat(
                        eido.getJsonArray("mergeComponent")
                                .getJsonObject(0)
                                .getString("incidentTrackingIdentifier"))
                .contains("INC-A");
        assertThat(eido.getJsonArray("dispatchComponent").getJsonObject(0).getString("$id"))
                .isEqualTo("dispatch-police");
        assertThat(eido.getJsonArray("callComponent")).hasSize(1);
        assertThat(response.bodyAsString())
                .as("EIDOs go to other centres: no personal data")
                .doesNotContain("415-555")
                .doesNotContain("Ada");

        // an incident whose schema breaks shows it: the validator is not a rubber stamp
        eido.getJsonObject("incidentComponent").put("incidentTrackingID", "typo");
        assertThat(
                        io.vertx.json.schema.Validator.create(
                                        io.vertx.json.schema.JsonSchema.of(schema),
                                        new io.vertx.json.schema.JsonSchemaOptions()
                                                .setDraft(io.vertx.json.schema.Draft.DRAFT202012)
                                                .setBaseUri("https://cityops.example/"))
                                .validate(eido)
                                .getValid())
                .isFalse();
        assertThat(
                        get("/api/v1/incidents/INC-M/eido", token(Role.dispatcher, Department.fire))
                                .statusCode())
                .isEqualTo(403);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static Incident.Builder incident(
            String id, int severity, Category category, double lat, double lon) {
        Incident base =
                DispatchApiITCase.incident(
                        id,
                        Department.police,
                        Feed.POLICE_CALLS,
                        "P-" + id,
                        "Tenderloin",
                        severity * 1000L);
        return Incident.newBuilder(base)
                .setSeverity(severity)
                .setCategory(category)
                .setStatus(IncidentStatus.DISPATCHED)
                .setLocation(
                        CityLocation.newBuilder()
                                .setLat(lat)
                                .setLon(lon)
                                .setAddress("200 Block of EDDY ST")
                                .setDistrict("Tenderloin")
                                .build());
    }

    private static Task task(Department department, String dueAt) {
        return Task.newBuilder()
                .setDepartment(department)
                .setLead(department == Department.police)
                .setStatus(TaskStatus.ORDERED)
                .setOrderedAt(Instant.parse("2018-12-08T10:00:00Z"))
                .setUpdatedAt(Instant.parse("2018-12-08T10:00:00Z"))
                .setDueAt(Instant.parse(dueAt))
                .setDuePhase("acknowledge")
                .build();
    }

    /** The public half of {@code pair} as a JSON Web Key, as an identity provider publishes it. */
    private static JsonObject jwk(KeyPair pair, String kid) {
        var key = (java.security.interfaces.RSAPublicKey) pair.getPublic();
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return new JsonObject()
                .put("kty", "RSA")
                .put("kid", kid)
                .put("alg", "RS256")
                .put("use", "sig")
                .put("n", url.encodeToString(unsigned(key.getModulus().toByteArray())))
                .put("e", url.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement[0] == 0
                ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
                : twosComplement;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    /** A distinct subject per call, so tests do not share a rate-limit budget. */
    private static String token(Role role, Department department) {
        return tokens.issue(
                new Reader("t-" + UUID.randomUUID(), role, department), Duration.ofMinutes(5));
    }

    private static HttpResponse<Buffer> get(String path, String token) throws Exception {
        return send(client.get(port, "127.0.0.1", path), token, null);
    }

    private static HttpResponse<Buffer> post(String path, String token, JsonObject body, String key)
            throws Exception {
        HttpRequest<Buffer> request = client.post(port, "127.0.0.1", path);
        if (key != null) {
            request.putHeader("Idempotency-Key", key);
        }
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.sendJsonObject(body)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, String token, Buffer body)
            throws Exception {
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String field) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getInteger("status")).isEqualTo(status);
        assertThat(error.getString("field")).as(error.encode()).isEqualTo(field);
        assertThat(error.getString("message")).isNotBlank();
    }

    private static List<String> ids(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject().getJsonArray("items").stream()
                .map(i -> ((JsonObject) i).getString("incidentId"))
                .toList();
    }
}
