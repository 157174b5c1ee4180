package org.cityops.jobs;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.cityops.jobs.fusion.FusionConfig;

/**
 * Everything the job is configured by: parameters {@code --name value}, the same on the local
 * MiniCluster and on a real cluster ({@code flink run ... --kafka host:9092 --live-view
 * redis://...}).
 */
public record JobConfig(
        String kafkaBootstrap,
        String liveView,
        String topicPrefix,
        String groupId,
        String transactionalIdPrefix,
        long checkpointIntervalMillis,
        String checkpointDir,
        int parallelism,
        Duration outOfOrderness,
        Duration idleness,
        long bufferTimeoutMillis,
        long liveViewMaxDelayMillis,
        long feedHealthIntervalMillis,
        int restartAttempts,
        String fusionConfigFile,
        String resume) {

    public static final String USAGE =
            """
            CityOps ingest job parameters (all optional but --kafka and --live-view):
              --kafka HOST:PORT               Kafka bootstrap servers
              --live-view TARGET              redis://host:port[#keyPrefix] or memory:NAME
              --topic-prefix P                prefix of every topic name (default none)
              --group-id G                    consumer group (default cityops-ingest)
              --transactional-id-prefix T     unique per application (default cityops-ingest)
              --checkpoint-interval-ms N      exactly-once Kafka output commits this often (default 2000)
              --checkpoint-dir URI            where checkpoints live (default: the cluster's setting)
              --parallelism N                 (default: the cluster's setting)
              --out-of-orderness-s N          event-time tolerance of late reports (default 30)
              --idleness-s N                  a silent feed stops holding event time back after (default 30)
              --buffer-timeout-ms N           network buffer flush for low latency (default 5)
              --live-view-max-delay-ms N      screen writes are batched at most this long (default 5)
              --feed-health-interval-ms N     feed counts are published this often (default 250)
              --restart-attempts N            restarts (backoff 1 s doubling to 1 min) before the job
                                              fails; 10 minutes healthy resets the count (default 20;
                                              0: never restart)
              --fusion-config FILE            which categories fuse, radius and window (default: built in)
              --resume latest|PATH            start from the newest retained checkpoint under
                                              --checkpoint-dir (none yet: start fresh) or a savepoint
            """;

    public static JobConfig parse(String[] args) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "expected --name value, got '" + args[i] + "'\n" + USAGE);
            }
            params.put(args[i].substring(2), args[++i]);
        }
        return fromMap(params);
    }

    public static JobConfig fromMap(Map<String, String> p) {
        String kafka = p.get("kafka");
        String live = p.get("live-view");
        if (kafka == null || live == null) {
            throw new IllegalArgumentException("--kafka and --live-view are required\n" + USAGE);
        }
        return new JobConfig(
                kafka,
                live,
                p.getOrDefault("topic-prefix", ""),
                p.getOrDefault("group-id", "cityops-ingest"),
                p.getOrDefault("transactional-id-prefix", "cityops-ingest"),
                Long.parseLong(p.getOrDefault("checkpoint-interval-ms", "2000")),
                p.get("checkpoint-dir"),
                Integer.parseInt(p.getOrDefault("parallelism", "0")),
                Duration.ofSeconds(Long.parseLong(p.getOrDefault("out-of-orderness-s", "30"))),
                Duration.ofSeconds(Long.parseLong(p.getOrDefault("idleness-s", "30"))),
                Long.parseLong(p.getOrDefault("buffer-timeout-ms", "5")),
                Long.parseLong(p.getOrDefault("live-view-max-delay-ms", "5")),
                Long.parseLong(p.getOrDefault("feed-health-interval-ms", "250")),
                Integer.parseInt(p.getOrDefault("restart-attempts", "20")),
                p.get("fusion-config"),
                p.get("resume"));
    }

    /** The fusion table: the file given, or the built-in defaults. */
    public FusionConfig fusionConfig() {
        if (fusionConfigFile == null) {
            return FusionConfig.defaults();
        }
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(fusionConfigFile))) {
            return FusionConfig.parse(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + fusionConfigFile, e);
        }
    }

    /** Flink settings this job relies on; the cluster's own settings fill in the rest. */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", checkpointIntervalMillis + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        if (checkpointDir != null) {
            conf.setString("execution.checkpointing.dir", checkpointDir);
        }
        if (restartAttempts == 0) {
            // tests that must prove no restart happened: a failure fails the job at once
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "0");
        } else {
            // Bounded (Flink would otherwise retry for ever), but patient: a dependency that is
            // down for minutes (Redis restarting, a broker replaced) is waited out with backoff
            // 1 s, 2 s, 4 s ... 1 min; ten minutes of healthy running forgive earlier failures.
            conf.setString("restart-strategy.type", "exponential-delay");
            conf.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
            conf.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
            conf.setString("restart-strategy.exponential-delay.max-backoff", "1 min");
            conf.setString("restart-strategy.exponential-delay.jitter-factor", "0.1");
            conf.setString("restart-strategy.exponential-delay.reset-backoff-threshold", "10 min");
            conf.setString(
                    "restart-strategy.exponential-delay.attempts-before-reset-backoff",
                    String.valueOf(restartAttempts));
        }
        // Every type has a proper serializer; a silent Kryo fallback would be a bug.
        conf.setString("pipeline.generic-types", "false");
        conf.setString("execution.buffer-timeout.interval", bufferTimeoutMillis + " ms");
        if (parallelism > 0) {
            conf.setString("parallelism.default", String.valueOf(parallelism));
        }
        resumePath().ifPresent(path -> conf.setString("execution.state-recovery.path", path));
        return conf;
    }

    /** Where {@code --resume} points: a savepoint, or the newest retained checkpoint. */
    public java.util.Optional<String> resumePath() {
        if (resume == null) {
            return java.util.Optional.empty();
        }
        if (!resume.equals("latest")) {
            return java.util.Optional.of(resume);
        }
        if (checkpointDir == null || !checkpointDir.startsWith("file:")) {
            // a cluster with remote checkpoints resumes through its operator (savepoint upgrades)
            throw new IllegalArgumentException(
                    "--resume latest needs a local --checkpoint-dir file:///...; on a cluster pass"
                            + " the checkpoint or savepoint path itself");
        }
        return Checkpoints.latest(java.nio.file.Path.of(java.net.URI.create(checkpointDir)))
                .map(p -> p.toUri().toString());
    }
}
