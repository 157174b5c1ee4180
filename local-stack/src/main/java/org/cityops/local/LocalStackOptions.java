package org.cityops.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cityops.replay.Speed;

/** Options of {@code ./cityops demo}; the same object configures the stack in tests. */
public record LocalStackOptions(
        Path dataDir,
        boolean replay,
        Path stateFile,
        Speed replaySpeed,
        List<Path> replayFiles,
        int apiPort,
        int screenPort,
        String externalKafka,
        String liveViewTarget,
        String topicPrefix,
        String jwtSecret,
        int parallelism,
        List<Path> ruleFiles,
        int restartAttempts) {

    /** The job's restarts before it fails (0 in tests that must prove no restart happened). */
    static final int RESTART_ATTEMPTS = 20;

    static final String USAGE =
            """
            usage: cityops demo [--no-replay] [--state-file PATH] [--data-dir DIR] [--replay-speed realtime|N|max]
                                [--api-port N] [--screen-port N] [--parallelism N]
              Starts Kafka (in-process KRaft), the Flink job on a MiniCluster, Redis (redis-server when
              installed, else an in-memory live view), dispatch-api and dashboard-feed; replays the bundled
              demo day; prints the screen URL and development tokens. Ctrl-C stops everything.
              --data-dir DIR      keep Kafka logs, checkpoints and Redis data in DIR; a restart resumes
              --state-file PATH   when ready, write kafka, api, screen and tokens there as JSON
              --no-replay         start empty and wait for data (./cityops replay ...)
              --replay-speed S    demo replay speed (default 120 = two minutes of city time per second)
              --rules FILE        detection rules to publish at start (the demo passes rules/starter-rules.json)
            """;

    /**
     * A stack that replays nothing (tests and the load harness feed it themselves), on free ports,
     * at parallelism 2; {@code kafka} and {@code liveView} null start embedded ones.
     */
    public static LocalStackOptions withoutReplay(
            Path dataDir,
            Path stateFile,
            String kafka,
            String liveView,
            String topicPrefix,
            String jwtSecret,
            List<Path> ruleFiles) {
        return new LocalStackOptions(
                dataDir,
                false,
                stateFile,
                Speed.MAX,
                List.of(),
                0,
                0,
                kafka,
                liveView,
                topicPrefix,
                jwtSecret,
                2,
                ruleFiles,
                RESTART_ATTEMPTS);
    }

    /** The same options with the job failing at its first error instead of restarting. */
    public LocalStackOptions withRestartAttempts(int attempts) {
        return new LocalStackOptions(
                dataDir,
                replay,
                stateFile,
                replaySpeed,
                replayFiles,
                apiPort,
                screenPort,
                externalKafka,
                liveViewTarget,
                topicPrefix,
                jwtSecret,
                parallelism,
                ruleFiles,
                attempts);
    }

    public static LocalStackOptions parse(String[] args, List<Path> demoFiles) {
        Path dataDir = null;
        boolean replay = true;
        Path stateFile = null;
        Speed speed = Speed.parse("120");
        int apiPort = 8080;
        int screenPort = 8081;
        int parallelism = 2;
        List<Path> files = new ArrayList<>(demoFiles);
        List<Path> rules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--no-replay" -> replay = false;
                case "--state-file" -> stateFile = Path.of(value(args, ++i));
                case "--replay-speed" -> speed = Speed.parse(value(args, ++i));
                case "--api-port" -> apiPort = Integer.parseInt(value(args, ++i));
                case "--screen-port" -> screenPort = Integer.parseInt(value(args, ++i));
                case "--parallelism" -> parallelism = Integer.parseInt(value(args, ++i));
                case "--rules" -> rules.add(Path.of(value(args, ++i)));
                case "--demo-data" -> {
                    files.clear();
                    files.addAll(DemoData.files(Path.of(value(args, ++i))));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new LocalStackOptions(
                dataDir,
                replay,
                stateFile,
                speed,
                files,
                apiPort,
                screenPort,
                null,
                null,
                "",
                System.getenv("CITYOPS_JWT_SECRET"),
                parallelism,
                rules,
                RESTART_ATTEMPTS);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
