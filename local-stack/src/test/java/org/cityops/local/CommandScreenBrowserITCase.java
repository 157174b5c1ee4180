package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The command screen in a real browser (Debian's chromium driven by chromium-driver, installed by
 * {@code .ci/run}; nothing is installed here): a wall screen opens {@code /?token=…}, real SF data
 * is replayed, and markers, KPI tiles and the ticker appear and change — as data flows and as an
 * operator acts through the API. Screenshots go to {@code target/screens/} for review. And a screen
 * that stops reading does not delay the others.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandScreenBrowserITCase {

    private static final Path SCREENS = Path.of("target/screens");
    private static LocalStack stack;
    private static String prefix;
    private static Vertx vertx;
    private static io.vertx.core.http.WebSocketClient sockets;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        prefix = TestInfra.uniquePrefix("browser");
        stack =
                new LocalStack(
                                DemoDay.stack(
                                        dir,
                                        prefix,
                                        "a-browser-test-secret-of-at-least-32-bytes-long"))
                        .start();
        vertx = Vertx.vertx();
        Files.createDirectories(SCREENS);
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aWallScreenShowsTheCityLiveAndFollowsAnOperatorsAction() throws Exception {
        WebDriver browser = chromium(1920, 1080);
        try {
            browser.get(stack.screenUrl() + "/?token=" + stack.tokens().get("leader"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> text(browser, "conn-text").equalsIgnoreCase("live"));
            screenshot(browser, "00-empty-city");

            replay(lines("police.calls", 0, 25), lines("medical.calls", 0, 10));
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(markers(browser)).isGreaterThan(5);
                                assertThat(number(browser, "kpi-open")).isGreaterThan(5);
                                assertThat(browser.findElements(By.cssSelector("#ticker li")))
                                        .isNotEmpty();
                            });
            long openBefore = number(browser, "kpi-open");
            screenshot(browser, "01-first-reports");

            List<String> later = lines("police.calls", 25, 60);
            replay(later, lines("medical.calls", 10, 30));
            String newest =
                    "INC-POL-" + new JsonObject(later.get(later.size() - 1)).getString("callId");
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(marker(browser, newest))
                                        .as("the newest call is on the map")
                                        .isNotEmpty();
                                assertThat(number(browser, "kpi-open")).isGreaterThan(openBefore);
                            });
            screenshot(browser, "02-more-reports");
            // (tiles are redrawn as data flows: read them inside an await that retries)
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                String medicalTrend =
                                        browser.findElement(
                                                        By.cssSelector(
                                                                ".dept.medical svg.spark polyline"))
                                                .getAttribute("points");
                                assertThat(medicalTrend.split(" "))
                                        .as("twelve 5-minute buckets of the last city hour")
                                        .hasSize(12);
                                assertThat(
                                                browser.findElement(
                                                                By.cssSelector(
                                                                        ".dept.medical svg.spark title"))
                                                        .getAttribute("textContent"))
                                        .as("medical calls came in during the last hour")
                                        .matches(".*: .*[1-9].*");
                            });

            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(feed(browser, "medical.calls").getAttribute("class"))
                                        .as("feeds are re-read every few seconds")
                                        .contains("ok");
                                assertThat(feed(browser, "police.calls").getAttribute("class"))
                                        .as(
                                                "the real SFPD data has rows without coordinates: rejected")
                                        .contains("rejecting");
                            });
            // EMS's system starts sending records that break the contract: its feed turns red
            replay(List.of(), List.of("{\"callId\":\"BROKEN-1\",\"acuity\":9}"));
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () ->
                                    assertThat(feed(browser, "medical.calls").getAttribute("class"))
                                            .contains("rejecting"));
            screenshot(browser, "02b-a-feed-rejecting");

            // an operator cancels one incident through the API: the wall screen follows
            String incidentId = firstIncidentId();
            long cancelledBefore = number(browser, "kpi-cancelled");
            var cancelled =
                    WebClient.create(vertx)
                            .postAbs(stack.apiUrl() + "/api/v1/incidents/" + incidentId + "/cancel")
                            .bearerTokenAuthentication(stack.tokens().get("operator"))
                            .sendJsonObject(new JsonObject().put("reason", "duplicate call"))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
            assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(number(browser, "kpi-cancelled"))
                                        .isEqualTo(cancelledBefore + 1);
                                assertThat(marker(browser, incidentId))
                                        .singleElement()
                                        .satisfies(
                                                m ->
                                                        assertThat(m.getAttribute("class"))
                                                                .contains("cancelled"));
                            });
            screenshot(browser, "03-after-an-operators-cancel");

            // an operator clicks the incident in the ticker: its detail, with its timeline
            browser.findElement(By.cssSelector("#ticker li[data-id='" + incidentId + "']")).click();
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                var detail = browser.findElement(By.id("detail"));
                                assertThat(detail.isDisplayed()).isTrue();
                                assertThat(detail.getText()).contains(incidentId, "cancelled");
                                assertThat(detail.findElements(By.cssSelector(".timeline li")))
                                        .as("its report and the order to its department, at least")
                                        .hasSizeGreaterThanOrEqualTo(2);
                                assertThat(detail.getText()).contains("report", "ordered");
                                assertThat(
                                                detail.findElements(By.cssSelector(".timeline li"))
                                                        .get(
                                                                detail.findElements(
                                                                                        By
                                                                                                .cssSelector(
                                                                                                        ".timeline li"))
                                                                                .size()
                                                                        - 1)
                                                        .getText())
                                        .as("the operator's cancel ends the timeline")
                                        .endsWith("cancelled");
                            });
            screenshot(browser, "04-incident-detail");

            // a wind advisory arrives as CAP: its area over the districts it covers, a banner; the
            // same morning's shelter-in-place exercise never shows
            Path root = Path.of(System.getProperty("cityops.root", ".."));
            try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
                replayer.replay(
                        List.of(
                                root.resolve("data/demo/cap-sf-shelter-exercise.xml"),
                                root.resolve("data/demo/cap-sf-wind-advisory-1.xml")),
                        null,
                        Speed.MAX,
                        null);
            }
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(browser.findElement(By.id("warnings")).getText())
                                        .contains("Wind Advisory");
                                assertThat(
                                                browser.findElements(
                                                        By.cssSelector("#map .warning-area")))
                                        .isNotEmpty();
                                assertThat(
                                                browser.findElements(
                                                        By.cssSelector("path.district.warned")))
                                        .hasSizeGreaterThan(5);
                            });
            assertThat(browser.findElement(By.id("warnings")).getText()).doesNotContain("EXERCISE");
            screenshot(browser, "04b-public-warning-over-the-city");
            assertThat(browser.getPageSource())
                    .as("a leader's screen shows no caller's phone number")
                    .doesNotContain("415-555-01");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void aScreenThatStopsReadingDoesNotDelayTheOthers() throws Exception {
        URI screen = URI.create(stack.screenUrl());
        String token = stack.tokens().get("leader");
        WebSocketConnectOptions options =
                new WebSocketConnectOptions()
                        .setHost(screen.getHost())
                        .setPort(screen.getPort())
                        .setURI("/ws/screen?token=" + token);
        // (clients held in a field: Vert.x closes a client that is no longer referenced)
        sockets = vertx.createWebSocketClient();
        // a screen that never reads: paused, its socket buffers fill up
        ClientWebSocket stalled = sockets.webSocket();
        AtomicReference<Short> stalledClosedWith = new AtomicReference<>();
        stalled.closeHandler(v -> stalledClosedWith.set(stalled.closeStatusCode()));
        stalled.connect(options)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        stalled.pause();
        // a screen that reads
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ClientWebSocket reading = sockets.webSocket();
        reading.textMessageHandler(
                text -> {
                    JsonObject message = new JsonObject(text);
                    if ("delta".equals(message.getString("type"))) {
                        seen.add(message.getJsonObject("incident").getString("incidentId"));
                    }
                });
        reading.connect(options)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        List<String> police = lines("police.calls", 60, 294);
        replay(police, lines("medical.calls", 30, 96));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(seen)
                                        .as("the reading screen gets every new incident")
                                        .contains(
                                                "INC-POL-"
                                                        + new JsonObject(
                                                                        police.get(
                                                                                police.size() - 1))
                                                                .getString("callId")));
        assertThat(stalledClosedWith.get())
                .as(
                        "the stalled screen was told to resume later, or still waits; it held no one up")
                .isIn(null, (short) 1013);
        stalled.resume();
    }

    @Test
    @Order(3)
    void aDispatcherWorksTheQueueFromTheScreenAndTheLeaderSeesTheCityAtAGlance() throws Exception {
        WebDriver desk = chromium(1920, 1080);
        try {
            desk.get(stack.screenUrl() + "/?token=" + stack.tokens().get("dispatcher:police"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> text(desk, "conn-text").equalsIgnoreCase("live"));
            assertThat(desk.findElement(By.id("queue-panel")).isDisplayed())
                    .as("a dispatcher's token opens the operator view")
                    .isTrue();
            assertThat(text(desk, "role")).isEqualTo("dispatcher · police");
            By acknowledge = By.cssSelector("#queue li[data-id] button[data-action='acknowledge']");
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> !desk.findElements(acknowledge).isEmpty());
            var row = desk.findElement(acknowledge).findElement(By.xpath("./.."));
            String incidentId = row.getAttribute("data-id");

            // the dispatcher acknowledges from the queue: the job applies it, the queue moves on
            desk.findElement(acknowledge).click();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(
                                                desk.findElement(By.id("action-status"))
                                                        .getAttribute("class"))
                                        .as(text(desk, "action-status"))
                                        .contains("ok");
                                var moved = queueRow(desk, incidentId);
                                assertThat(moved.getAttribute("data-status"))
                                        .isEqualTo("ACKNOWLEDGED");
                                assertThat(
                                                moved.findElements(
                                                        By.cssSelector(
                                                                "button[data-action='en-route']")))
                                        .hasSize(1);
                            });
            screenshot(desk, "05-dispatcher-queue-after-acknowledge");

            // the row opens the detail: who did what, from the API's audit trail; en route from
            // there
            queueRow(desk, incidentId).click();
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    desk.findElement(
                                                                    By.cssSelector(
                                                                            "#detail .audit"))
                                                            .getText())
                                            .contains(
                                                    "acknowledge police · demo-dispatcher-police"));
            desk.findElement(By.cssSelector("#detail button[data-action='en-route']")).click();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(
                                                desk.findElement(By.cssSelector("#detail .audit"))
                                                        .getText())
                                        .contains("en route police · demo-dispatcher-police");
                                assertThat(queueRow(desk, incidentId).getAttribute("data-status"))
                                        .isEqualTo("EN_ROUTE");
                            });
            assertThat(desk.findElements(By.cssSelector("#detail button.cancel")))
                    .as("cancelling is the command centre's, not a dispatcher's")
                    .isEmpty();
            screenshot(desk, "06-dispatcher-detail-with-audit-trail");
        } finally {
            desk.quit();
        }

        // the EMS dispatch system reports its units for the calls replayed so far (real SF times)
        Set<String> calls = new java.util.HashSet<>();
        lines("medical.calls", 0, 96)
                .forEach(line -> calls.add(new JsonObject(line).getString("callId")));
        replayFeedback(
                lines("dispatch.feedback", 0, Integer.MAX_VALUE).stream()
                        .filter(line -> calls.contains(new JsonObject(line).getString("reportId")))
                        .toList());

        // a leader on a laptop: the city at a glance, department medians against their targets
        WebDriver laptop = chromium(1366, 768);
        try {
            laptop.get(
                    stack.screenUrl()
                            + "/?hours=24&token="
                            + stack.tokens().get("leader")); // the whole replayed day
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> text(laptop, "conn-text").equalsIgnoreCase("live"));
            assertThat(laptop.findElement(By.id("queue-panel")).isDisplayed())
                    .as("a leader's view has no queue")
                    .isFalse();
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                var ack =
                                        laptop.findElement(
                                                By.cssSelector(".dept.medical .kpi.ack"));
                                assertThat(ack.getText())
                                        .as("today's EMS median against the 1:30 target")
                                        .matches("(?s)ack\\s+[0-9:]+( s)? / 1:30");
                                assertThat(ack.getAttribute("class"))
                                        .containsAnyOf("within", "over");
                                assertThat(text(laptop, "city-kpis")).contains("opened", "closed");
                            });
            Object overflow =
                    ((org.openqa.selenium.JavascriptExecutor) laptop)
                            .executeScript(
                                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).longValue())
                    .as("nothing sticks out sideways on a 1366-pixel laptop")
                    .isLessThanOrEqualTo(0);

            // crowded routine incidents are one numbered bubble; every incident is accounted for
            var clusters = laptop.findElements(By.cssSelector("#map g.cluster"));
            assertThat(clusters).as("the replayed day crowds downtown").isNotEmpty();
            long clustered =
                    clusters.stream()
                            .mapToLong(c -> Long.parseLong(c.getAttribute("data-count")))
                            .sum();
            assertThat(markers(laptop) + clustered)
                    .isEqualTo(
                            Long.parseLong(
                                    laptop.findElement(By.id("map")).getAttribute("data-shown")));
            screenshot(laptop, "07-leader-on-a-laptop");
            String before = laptop.findElement(By.id("map")).getDomAttribute("viewBox");
            // (a severe marker drawn over a bubble may take a real click: dispatch it on the
            // bubble)
            ((org.openqa.selenium.JavascriptExecutor) laptop)
                    .executeScript(
                            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                            clusters.get(0));
            assertThat(laptop.findElement(By.id("zoom-out")).isDisplayed()).isTrue();
            assertThat(laptop.findElement(By.id("map")).getDomAttribute("viewBox"))
                    .isNotEqualTo(before);
            screenshot(laptop, "08-zoomed-into-a-cluster");
            laptop.findElement(By.id("zoom-out")).click();
            assertThat(laptop.findElement(By.id("map")).getDomAttribute("viewBox"))
                    .isEqualTo(before);

            // after-action review: the city at 02:00 that morning, from the Kafka history — the
            // 03:09 robbery call is not there yet; back to live, it is
            String later = "INC-POL-SFPD-183420388"; // reported 2018-12-08T03:09-08:00
            assertThat(
                            WebClient.create(vertx)
                                    .getAbs(stack.apiUrl() + "/api/v1/incidents/" + later)
                                    .bearerTokenAuthentication(stack.tokens().get("leader"))
                                    .send()
                                    .toCompletionStage()
                                    .toCompletableFuture()
                                    .get(10, TimeUnit.SECONDS)
                                    .statusCode())
                    .isEqualTo(200);
            laptop.get(
                    stack.screenUrl()
                            + "/?hours=24&review=2018-12-08T10:00:00Z&token="
                            + stack.tokens().get("leader"));
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(
                                                laptop.findElement(By.tagName("body"))
                                                        .getAttribute("class"))
                                        .contains("reviewing");
                                assertThat(text(laptop, "review-at")).contains("2:00");
                                assertThat(markers(laptop)).isGreaterThan(0);
                                assertThat(marker(laptop, later)).isEmpty();
                            });
            long reviewed = number(laptop, "ticker-count");
            screenshot(laptop, "09-review-of-the-early-morning");
            laptop.findElement(By.id("review-live")).click();
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertThat(marker(laptop, later)).hasSize(1);
                                assertThat(number(laptop, "ticker-count")).isGreaterThan(reviewed);
                            });
        } finally {
            laptop.quit();
        }
    }

    private static org.openqa.selenium.WebElement queueRow(WebDriver browser, String incidentId) {
        return browser.findElement(By.cssSelector("#queue li[data-id='" + incidentId + "']"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static WebDriver chromium(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary("CITYOPS_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=" + width + "," + height);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(
                                new java.io.File(
                                        binary("CITYOPS_CHROMEDRIVER", "/usr/bin/chromedriver")))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static String binary(String env, String fallback) {
        String path = System.getenv(env);
        return path != null ? path : fallback;
    }

    private static int markers(WebDriver browser) {
        return browser.findElements(By.cssSelector("circle.marker")).size();
    }

    private static List<org.openqa.selenium.WebElement> marker(WebDriver browser, String id) {
        return browser.findElements(By.cssSelector("circle.marker[data-id='" + id + "']"));
    }

    private static org.openqa.selenium.WebElement feed(WebDriver browser, String name) {
        return browser.findElement(By.cssSelector("#feeds li.feed[data-feed='" + name + "']"));
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    private static long number(WebDriver browser, String id) {
        return Long.parseLong(text(browser, id).replaceAll("[^0-9]", ""));
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> lines(String feed, int from, int to) throws Exception {
        return DemoDay.lines(feed, from, to);
    }

    private static void replay(List<String> police, List<String> medical) throws Exception {
        Path batch = Files.createTempDirectory(dir, "batch");
        Files.write(batch.resolve("police.calls.jsonl"), police);
        Files.write(batch.resolve("medical.calls.jsonl"), medical);
        try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
            replayer.replay(
                    List.of(
                            batch.resolve("police.calls.jsonl"),
                            batch.resolve("medical.calls.jsonl")),
                    null,
                    Speed.MAX,
                    null);
        }
    }

    private static void replayFeedback(List<String> commands) throws Exception {
        Path batch = Files.createTempDirectory(dir, "feedback");
        Files.write(batch.resolve("dispatch.feedback.jsonl"), commands);
        try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
            replayer.replay(
                    List.of(batch.resolve("dispatch.feedback.jsonl")), null, Speed.MAX, null);
        }
    }

    private static String firstIncidentId() throws Exception {
        var page =
                WebClient.create(vertx)
                        .getAbs(stack.apiUrl() + "/api/v1/incidents?status=DISPATCHED&limit=1")
                        .bearerTokenAuthentication(stack.tokens().get("operator"))
                        .send()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        return page.bodyAsJsonObject()
                .getJsonArray("items")
                .getJsonObject(0)
                .getString("incidentId");
    }
}
