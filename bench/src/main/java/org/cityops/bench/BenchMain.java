package org.cityops.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.livestate.Documents;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.local.LocalStack;
import org.cityops.local.LocalStackOptions;
import org.cityops.replay.Speed;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.topics.Topics;

/**
 * {@code ./cityops bench [--duration S] [--rate N|max] [--clients N] [--parallelism N]
 * [--api-seconds S] [--api-users N]}: the whole stack on this machine (embedded Kafka, the Flink
 * job with exactly-once Kafka output, Redis, dispatch-api, dashboard-feed) under the {@link
 * LoadMix}, measured as its users feel it; then a Kafka → Flink → Kafka pass-through of the same
 * records as the floor. Writes {@code target/bench/}: report.md, timeseries.csv, latency.csv,
 * summary.json.
 */
public final class BenchMain {

    static final String USAGE =
            """
            usage: cityops bench [--duration SECONDS] [--rate N|max] [--clients N] [--parallelism N]
                                 [--api-seconds S] [--api-users N] [--jmh [REGEX]]
                                 [--rebuild [N]]
              --duration     seconds of load (default 60)
              --rate         offered events per second, or max (flat out; default max)
              --clients      WebSocket screens measuring feed→screen latency (default 10)
              --parallelism  Flink parallelism of the job and the pass-through (default 2)
              --api-seconds  seconds of dispatch-api read load after the run (default 10; 0: none)
              --api-users    concurrent API users, one token each (default 32)
              --calls        emergency calls per second among the readings (default 20: a busy
                             city; a 25-million city peaks near 40)
              --jmh [REGEX]  run the JMH benchmarks of the hot paths instead (docs/benchmarks.md)
              --rebuild [N]  time the live view's rebuild from Kafka instead: N incident versions
                             (default 200000) against the same incidents compacted
            """;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int duration = 60;
        String rate = "max";
        int clients = 10;
        int parallelism = 2;
        int apiSeconds = 10;
        int apiUsers = 32;
        double calls = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--rate" -> rate = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--api-seconds" -> apiSeconds = Integer.parseInt(args[++i]);
                case "--api-users" -> apiUsers = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Double.parseDouble(args[++i]);
                case "--jmh" -> {
                    String regex = i + 1 < args.length ? args[++i] : "org.cityops.bench.jmh";
                    org.openjdk.jmh.Main.main(
                            new String[] {regex, "-rf", "json", "-rff", "target/bench/jmh.json"});
                    return;
                }
                case "--rebuild" -> {
                    boolean counted = i + 1 < args.length && args[i + 1].matches("\\d+");
                    RebuildBench.run(counted ? Integer.parseInt(args[++i]) : 200_000);
                    System.exit(0);
                }
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> {
                    System.err.print("cityops bench: unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        double offered = rate.equals("max") ? 0 : Double.parseDouble(rate);
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        new BenchRun(duration, offered, clients, parallelism, apiSeconds, apiUsers, calls, out)
                .run();
        System.exit(0); // the MiniCluster and clients leave non-daemon threads behind
    }

    /** One run of the harness. */
    record BenchRun(
            int duration,
            double offered,
            int clients,
            int parallelism,
            int apiSeconds,
            int apiUsers,
            double callsPerSecond,
            Path out) {

        void run() throws Exception {
            String secret = Tokens.randomSecret() + Tokens.randomSecret();
            Path data = Files.createTempDirectory(Path.of("target"), "bench-stack");
            Path rules = Path.of("rules/starter-rules.json");
            LocalStackOptions options =
                    new LocalStackOptions(
                            data,
                            false,
                            null,
                            Speed.MAX,
                            List.of(),
                            0,
                            0,
                            null,
                            null,
                            "",
                            secret,
                            parallelism,
                            Files.exists(rules) ? List.of(rules) : List.of(),
                            10);
            log("starting the stack (parallelism %d)…", parallelism);
            Vertx vertx = Vertx.vertx();
            try (LocalStack stack = new LocalStack(options).start();
                    LiveView live = LiveViews.open(stack.liveView())) {
                Tokens tokens = new Tokens(vertx, new AccessConfig(secret, null));
                Producer producer =
                        new Producer(
                                stack.kafka(),
                                Topics.withPrefix(""),
                                offered,
                                callsPerSecond,
                                duration);
                ScreenClients screens = new ScreenClients(producer.callSentNanos);
                int connected =
                        screens.connect(
                                vertx,
                                stack.screenUrl(),
                                tokens.issue(
                                        new Reader("bench-screen", Role.leader, null),
                                        Duration.ofHours(2)),
                                clients);
                log(
                        "%d screen(s) connected; load for %d s at %s",
                        connected, duration, offered <= 0 ? "max" : (long) offered + " events/s");

                OperatingSystemMXBean os =
                        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                List<Sample> samples = new ArrayList<>();
                Thread sending = new Thread(producer, "bench-producer");
                long start = System.nanoTime();
                sending.start();
                long warmupEnd = start + (long) (duration * 0.2 * 1e9);
                boolean reset = false;
                long lastProgress = 0;
                double lastProgressAt = 0;
                while (sending.isAlive() || accepted(live) < producer.acked.get()) {
                    // one sample a second, also once the producer has finished
                    long nextSample = start + (long) (samples.size() + 1) * 1_000_000_000L;
                    sending.join(Math.max(1, (nextSample - System.nanoTime()) / 1_000_000));
                    java.util.concurrent.locks.LockSupport.parkNanos(
                            Math.max(0, nextSample - System.nanoTime()));
                    double t = (System.nanoTime() - start) / 1e9;
                    if (!reset && System.nanoTime() > warmupEnd) {
                        screens.latencyMicros.reset(); // steady state only
                        reset = true;
                    }
                    Sample s =
                            new Sample(
                                    t,
                                    producer.sent.get(),
                                    accepted(live),
                                    os.getProcessCpuLoad() * os.getAvailableProcessors(),
                                    (Runtime.getRuntime().totalMemory()
                                                    - Runtime.getRuntime().freeMemory())
                                            >> 20,
                                    screens.latencyMicros.getTotalCount() == 0
                                            ? 0
                                            : screens.latencyMicros.getValueAtPercentile(99)
                                                    / 1000.0);
                    samples.add(s);
                    System.err.printf(
                            Locale.ROOT,
                            "\r%5.0f s · sent %,d · in Kafka %,d · processed %,d · cpu %.1f cores · heap %,d MiB · screen p99 %.0f ms   ",
                            s.t,
                            s.sent,
                            producer.acked.get(),
                            s.accepted,
                            s.cpuCores,
                            s.heapMiB,
                            s.p99Ms);
                    if (s.accepted() > lastProgress) {
                        lastProgress = s.accepted();
                        lastProgressAt = t;
                    }
                    if (!sending.isAlive() && t - lastProgressAt > 30) {
                        log(
                                "\n%,d record(s) not counted 30 s after the last progress: reported as stragglers",
                                producer.acked.get() - s.accepted());
                        break;
                    }
                }
                System.err.println();
                double drained = (System.nanoTime() - start) / 1e9;
                screens.close();

                double eventsPerSecond = sustained(samples, duration);
                long incidents = live.incidents(IncidentQuery.all(1)).total();
                Path checkpoint =
                        org.cityops.jobs.Checkpoints.latest(data.resolve("checkpoints"))
                                .orElse(null);
                java.util.Map<String, Long> stateBytes =
                        checkpoint == null ? java.util.Map.of() : StateSizes.of(checkpoint);
                long checkpointBytes =
                        stateBytes.values().stream().mapToLong(Long::longValue).sum();

                ApiLoad api = new ApiLoad();
                double apiRps = 0;
                if (apiSeconds > 0) {
                    List<String> users = new ArrayList<>();
                    for (int u = 0; u < apiUsers; u++) {
                        users.add(
                                tokens.issue(
                                        new Reader("bench-user-" + u, Role.operator, null),
                                        Duration.ofHours(1)));
                    }
                    List<String> ids =
                            live.incidents(IncidentQuery.all(200)).documents().stream()
                                    .map(d -> Documents.parse(d).path("incidentId").asText())
                                    .toList();
                    log("dispatch-api: %d users reading for %d s…", apiUsers, apiSeconds);
                    apiRps = api.run(vertx, stack.apiUrl(), users, ids, apiSeconds);
                }

                log("pass-through baseline over the same records…");
                List<String> feedTopics =
                        FeedSpec.all().stream()
                                .map(f -> Topics.withPrefix("").feed(f).name())
                                .toList();
                long records = endOffsets(stack.kafka(), feedTopics);
                try (Admin admin =
                        Admin.create(
                                java.util.Map.of(
                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        stack.kafka()))) {
                    admin.createTopics(
                                    List.of(
                                            new org.apache.kafka.clients.admin.NewTopic(
                                                    "bench.passthrough", 2, (short) 1)))
                            .all()
                            .get();
                }
                long passMillis =
                        PassThrough.run(
                                stack.kafka(), feedTopics, "bench.passthrough", parallelism);
                double passRate = records / (passMillis / 1000.0);

                BenchReport.write(
                        out,
                        this,
                        samples,
                        screens,
                        connected,
                        eventsPerSecond,
                        producer.sent.get(),
                        drained,
                        passRate,
                        records,
                        api,
                        apiRps,
                        incidents,
                        checkpointBytes,
                        stateBytes);
                log("report written to %s", out.toAbsolutePath());
            } finally {
                vertx.close();
            }
        }
    }

    /** One second of the run. */
    record Sample(
            double t, long sent, long accepted, double cpuCores, long heapMiB, double p99Ms) {}

    /** Processed events per second over the steady part of the sending (after 20 % warm-up). */
    static double sustained(List<Sample> samples, int duration) {
        Sample from = null;
        Sample to = null;
        for (Sample s : samples) {
            if (from == null && s.t() >= duration * 0.2) {
                from = s;
            }
            if (s.t() <= duration) {
                to = s;
            }
        }
        if (from == null || to == null || to.t() <= from.t()) {
            return 0;
        }
        return (to.accepted() - from.accepted()) / (to.t() - from.t());
    }

    /** Records the job has taken in: accepted, dropped as exact repeats, or dead-lettered. */
    private static long accepted(LiveView live) {
        return live.feedHealth().stream()
                .map(Documents::parse)
                .mapToLong(
                        f ->
                                f.path("accepted").asLong()
                                        + f.path("duplicates").asLong()
                                        + f.path("rejected").asLong())
                .sum();
    }

    private static long endOffsets(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin =
                Admin.create(
                        java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            java.util.Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions()
                        .forEach(
                                p ->
                                        request.put(
                                                new TopicPartition(d.name(), p.partition()),
                                                OffsetSpec.latest()));
            }
            return admin.listOffsets(request).all().get().values().stream()
                    .mapToLong(r -> r.offset())
                    .sum();
        }
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }
}
