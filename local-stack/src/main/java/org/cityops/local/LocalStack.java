package org.cityops.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.api.DispatchApiVerticle;
import org.cityops.infra.EmbeddedKafka;
import org.cityops.infra.FreePorts;
import org.cityops.infra.RedisServerProcess;
import org.cityops.jobs.CityOpsJobMain;
import org.cityops.jobs.JobConfig;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.ReplayClock;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.schemas.Department;
import org.cityops.schemas.rules.Rule;
import org.cityops.schemas.rules.RuleParser;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.screen.DashboardFeedVerticle;
import org.cityops.tools.RulePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything CityOps needs, in one process: a real Kafka broker (KRaft, in-process), the ingest job
 * on a Flink MiniCluster, the live view (a redis-server child when installed, otherwise the
 * in-memory twin, announced), dispatch-api and dashboard-feed, and the demo replay.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final Duration TOKEN_VALIDITY = Duration.ofHours(12);

    private final LocalStackOptions options;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dataDir;
    private boolean temporaryDataDir;
    private String kafka;
    private String liveView;
    private JobClient job;
    private Vertx vertx;

    /** Pages the local API answers browsers from: the local screen, on any port. */
    private static final String LOOPBACK_PAGES = "http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?";

    private String apiUrl;
    private String screenUrl;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private Replayer replayer;

    /** Stamps actions through the API with the replayed city time (system time without replay). */
    private java.time.Clock cityClock = java.time.Clock.systemUTC();

    private Thread replayThread;
    private volatile ReplayReport replayReport;
    private long startupMillis;

    public LocalStack(LocalStackOptions options) {
        this.options = options;
    }

    public LocalStack start() throws Exception {
        long started = System.nanoTime();
        dataDir = options.dataDir();
        if (dataDir == null) {
            dataDir = Files.createTempDirectory("cityops-demo");
            temporaryDataDir = true;
        }
        Files.createDirectories(dataDir);
        startKafka();
        createTopics();
        startLiveView();
        publishRules();
        startJob();
        if (options.replay() && !options.replayFiles().isEmpty()) {
            cityClock = new ReplayClock(options.replaySpeed());
        }
        startServices();
        startupMillis = (System.nanoTime() - started) / 1_000_000;
        if (options.stateFile() != null) {
            writeStateFile(options.stateFile());
        }
        if (options.replay() && !options.replayFiles().isEmpty()) {
            startReplay();
        }
        return this;
    }

    private void startKafka() {
        if (options.externalKafka() != null) {
            kafka = options.externalKafka();
            return;
        }
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir.resolve("kafka"), 9092);
        toClose.add(broker);
        kafka = broker.bootstrapServers();
    }

    private void createTopics() {
        TopicSetup.ensure(kafka, Topics.withPrefix(options.topicPrefix()), 2, (short) 1);
    }

    /**
     * The rule files given (the starter set in the demo) go onto the rules topic; the job reads
     * them.
     */
    private void publishRules() throws Exception {
        if (options.ruleFiles().isEmpty()) {
            return;
        }
        List<Rule> rules = new ArrayList<>();
        for (Path file : options.ruleFiles()) {
            rules.addAll(RuleParser.parseAll(Files.readString(file)));
        }
        try (RulePublisher publisher =
                new RulePublisher(kafka, Topics.withPrefix(options.topicPrefix()))) {
            publisher.publish(rules);
        }
        LOG.info("Published {} detection rule(s) from {}", rules.size(), options.ruleFiles());
    }

    private void startLiveView() {
        if (options.liveViewTarget() != null) {
            liveView = options.liveViewTarget();
            return;
        }
        if (RedisServerProcess.findBinary().isPresent()) {
            RedisServerProcess redis =
                    RedisServerProcess.start(
                            dataDir.resolve("redis"), 6379, options.dataDir() != null);
            toClose.add(redis);
            liveView = LiveViews.redisTarget(redis.uri(), LiveViews.DEFAULT_PREFIX);
        } else {
            liveView = "memory:cityops";
            LOG.warn(
                    """

                    ************************************************************************
                    *  redis-server is not installed: the live view is IN MEMORY.          *
                    *  It works the same, but is lost when this process stops.             *
                    *  For the real thing: apt-get install -y redis-server                 *
                    ************************************************************************""");
        }
    }

    private void startJob() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("kafka", kafka);
        params.put("live-view", liveView);
        params.put("topic-prefix", options.topicPrefix());
        params.put("group-id", options.topicPrefix() + "cityops-ingest");
        params.put("transactional-id-prefix", options.topicPrefix() + "cityops-ingest");
        params.put("checkpoint-interval-ms", "2000");
        params.put("checkpoint-dir", dataDir.resolve("checkpoints").toUri().toString());
        params.put("parallelism", String.valueOf(options.parallelism()));
        params.put("restart-attempts", String.valueOf(options.restartAttempts()));
        if (options.dataDir() != null) {
            params.put("resume", "latest"); // a kept data directory: go on where it stopped
        }
        JobConfig config = JobConfig.fromMap(params);
        Configuration flink = config.flinkConfiguration();
        config.resumePath()
                .ifPresent(path -> LOG.info("Resuming the job from its last checkpoint {}", path));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(), flink);
        job = CityOpsJobMain.start(config, env);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline || job.getJobStatus().get().isTerminalState()) {
                throw new IllegalStateException(
                        "the Flink job did not start: " + job.getJobStatus().get());
            }
            Thread.sleep(50); // waiting for a job that is being scheduled
        }
    }

    private void startServices() throws Exception {
        vertx = Vertx.vertx();
        String secret = options.jwtSecret() != null ? options.jwtSecret() : Tokens.randomSecret();
        Tokens issuer = new Tokens(vertx, new AccessConfig(secret, null));
        DispatchApiVerticle api = new DispatchApiVerticle(cityClock);
        DashboardFeedVerticle screen = new DashboardFeedVerticle();
        int apiPort = options.apiPort() == 0 ? 0 : FreePorts.preferOrPick(options.apiPort());
        int screenPort =
                options.screenPort() == 0 ? 0 : FreePorts.preferOrPick(options.screenPort());
        JsonObject common = new JsonObject().put("liveView", liveView).put("jwtSecret", secret);
        JsonObject apiConfig =
                common.copy()
                        .put("kafka", kafka)
                        .put("topicPrefix", options.topicPrefix())
                        // the screen's operator view calls the API from the browser
                        .put("corsOriginPattern", LOOPBACK_PAGES);
        vertx.deployVerticle(api, new DeploymentOptions().setConfig(apiConfig.put("port", apiPort)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        apiUrl = "http://127.0.0.1:" + api.actualPort();
        vertx.deployVerticle(
                        screen,
                        new DeploymentOptions()
                                .setConfig(
                                        common.copy()
                                                .put("port", screenPort)
                                                .put("apiUrl", apiUrl)
                                                // after-action review reads the Kafka history
                                                .put("kafka", kafka)
                                                .put("topicPrefix", options.topicPrefix())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        screenUrl = "http://127.0.0.1:" + screen.actualPort();
        tokens.put(
                "operator",
                issuer.issue(new Reader("demo-operator", Role.operator, null), TOKEN_VALIDITY));
        tokens.put(
                "leader",
                issuer.issue(new Reader("demo-leader", Role.leader, null), TOKEN_VALIDITY));
        tokens.put(
                "admin", issuer.issue(new Reader("demo-admin", Role.admin, null), TOKEN_VALIDITY));
        for (Department d :
                List.of(
                        Department.police,
                        Department.fire,
                        Department.medical,
                        Department.traffic)) {
            tokens.put(
                    "dispatcher:" + d.name(),
                    issuer.issue(
                            new Reader("demo-dispatcher-" + d.name(), Role.dispatcher, d),
                            TOKEN_VALIDITY));
        }
    }

    private void startReplay() {
        replayer = new Replayer(kafka, Topics.withPrefix(options.topicPrefix()));
        replayThread =
                new Thread(
                        () -> {
                            long started = System.nanoTime();
                            LOG.info(
                                    "Replaying {} demo file(s) at speed {}",
                                    options.replayFiles().size(),
                                    options.replaySpeed());
                            long[] lastLog = {System.nanoTime()};
                            replayReport =
                                    replayer.replay(
                                            options.replayFiles(),
                                            null,
                                            options.replaySpeed(),
                                            report -> {
                                                if (System.nanoTime() - lastLog[0]
                                                        > 10_000_000_000L) {
                                                    lastLog[0] = System.nanoTime();
                                                    LOG.info(
                                                            "replay: {} lines sent so far",
                                                            String.format(
                                                                    "%,d", report.totalLines()));
                                                }
                                            },
                                            cityClock instanceof ReplayClock replayed
                                                    ? replayed
                                                    : null);
                            LOG.info(
                                    "Replay finished in {} s:\n{}",
                                    (System.nanoTime() - started) / 1_000_000_000,
                                    replayReport.table());
                        },
                        "demo-replay");
        replayThread.setDaemon(true);
        replayThread.start();
    }

    void writeStateFile(Path file) throws IOException {
        ObjectNode state = new ObjectMapper().createObjectNode();
        state.put("kafka", kafka);
        state.put("api", apiUrl);
        state.put("screen", screenUrl);
        state.put("screenUrl", screenUrl + "/?token=" + tokens.get("leader"));
        state.put("liveView", liveView);
        state.put("dataDir", dataDir.toString());
        state.put("startupMillis", startupMillis);
        ObjectNode tokenNode = state.putObject("tokens");
        tokens.forEach(tokenNode::put);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".cityops-state", ".json");
        Files.writeString(temp, state.toPrettyString());
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True while the Flink job runs (a job that failed or restarted-out is not). */
    public boolean jobRunning() throws Exception {
        return job.getJobStatus().get() == JobStatus.RUNNING;
    }

    public String kafka() {
        return kafka;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String screenUrl() {
        return screenUrl;
    }

    public String liveView() {
        return liveView;
    }

    public Map<String, String> tokens() {
        return Map.copyOf(tokens);
    }

    public long startupMillis() {
        return startupMillis;
    }

    @Override
    public void close() {
        if (replayer != null) {
            replayer.stop();
            try {
                replayThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            replayer.close();
        }
        if (vertx != null) {
            vertx.close()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("cancelling the job: {}", e.toString());
            }
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", toClose.get(i), e.toString());
            }
        }
        if (temporaryDataDir) {
            EmbeddedKafka.deleteQuietly(dataDir);
        }
    }
}
