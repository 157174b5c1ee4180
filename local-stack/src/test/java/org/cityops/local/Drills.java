package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.CommittedLog;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.replay.FeedCounts;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.topics.Topics;

/** What the fault drills share: load in the background, and the count at the end. */
final class Drills {

    private Drills() {}

    /** A replay running in its own thread while the drill breaks things. */
    static final class Load {
        private final Replayer replayer;
        private final Thread thread;
        private final AtomicReference<ReplayReport> report = new AtomicReference<>();

        private Load(String kafka, Topics topics, Path file, String speed) {
            replayer = new Replayer(kafka, topics);
            thread =
                    new Thread(
                            () ->
                                    report.set(
                                            replayer.replay(
                                                    List.of(file), null, Speed.parse(speed), null)),
                            "drill-load");
            thread.start();
        }

        /** True once the replay has sent everything. */
        boolean finished() {
            return !thread.isAlive();
        }

        /** Waits for the replay to end; how many records it counted as accepted. */
        long awaitAccepted(Duration within) throws InterruptedException {
            thread.join(within.toMillis());
            assertThat(thread.isAlive()).as("the replay finished").isFalse();
            replayer.close();
            return report.get().feeds().stream().mapToLong(FeedCounts::accepted).sum();
        }
    }

    static Load replay(String kafka, Topics topics, Path file, String speed) {
        return new Load(kafka, topics, file, speed);
    }

    /** How many events {@code city.events} holds committed (read_committed) now. */
    static long committedEvents(String kafka, Topics topics) {
        long[] committed = {0};
        try (CommittedLog<CityEvent> log =
                CommittedLog.fromBeginning(kafka, topics.events().name(), CityEvent.class)) {
            log.readToEnd(e -> committed[0]++);
        }
        return committed[0];
    }

    /**
     * Waits until {@code city.events} holds {@code events} committed events, printing progress —
     * reading on from where it was, so a long drill is not slowed by a full audit every poll.
     */
    static void awaitEvents(String kafka, Topics topics, long events, Duration within) {
        long[] committed = {0};
        try (CommittedLog<CityEvent> log =
                CommittedLog.fromBeginning(kafka, topics.events().name(), CityEvent.class)) {
            await().atMost(within)
                    .pollInterval(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                log.readToEnd(e -> committed[0]++);
                                System.out.printf(
                                        "%,d of %,d reports committed as events%n",
                                        committed[0], events);
                                return committed[0] >= events;
                            });
        }
    }

    /**
     * Waits until Kafka holds {@code events} events and nothing is lost or doubled ({@link
     * ChangelogAudit}), then asserts exactly that many.
     */
    static ChangelogAudit.Result awaitClean(
            String kafka, Topics topics, LiveView live, long events, Duration within) {
        return awaitClean(kafka, topics, live, events, within, () -> {});
    }

    /** A check of the job under a drill: throws once the job has ended, naming why. */
    interface JobCheck {
        void run() throws Exception;
    }

    /** As above, checking {@code jobAlive} (which throws once the job has ended) at every poll. */
    static ChangelogAudit.Result awaitClean(
            String kafka,
            Topics topics,
            LiveView live,
            long events,
            Duration within,
            JobCheck jobAlive) {
        ChangelogAudit.Result[] audit = new ChangelogAudit.Result[1];
        await().atMost(within)
                .pollInterval(Duration.ofSeconds(3))
                .until(
                        () -> {
                            jobAlive.run();
                            audit[0] = ChangelogAudit.run(kafka, topics, live);
                            return audit[0].events() >= events && audit[0].clean();
                        });
        assertThat(audit[0].events()).as("every accepted report one event").isEqualTo(events);
        assertThat(audit[0].compactedAway())
                .as("every incident version still in the changelog to be counted")
                .isZero();
        return audit[0];
    }

    /** Waits until the screen holds exactly the latest committed version of every incident. */
    static int awaitScreenAsCommitted(ScreenMirror screen, String kafka, Topics topics) {
        Map<String, Long> truth = ChangelogAudit.latestVersions(kafka, topics);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(differences(screen.versions(), truth)).isEmpty());
        return truth.size();
    }

    /** Incidents whose version on the screen is not the committed one (at most 10 named). */
    private static List<String> differences(Map<String, Long> shown, Map<String, Long> truth) {
        java.util.Set<String> ids = new java.util.TreeSet<>(truth.keySet());
        ids.addAll(shown.keySet());
        return ids.stream()
                .filter(id -> !java.util.Objects.equals(shown.get(id), truth.get(id)))
                .limit(10)
                .map(id -> id + ": screen v" + shown.get(id) + ", committed v" + truth.get(id))
                .toList();
    }

    /** The job's parameters in the drills that run it as a process or on a session cluster. */
    static List<String> jobArgs(String kafka, String liveView, String prefix, Path checkpoints) {
        return List.of(
                "--kafka",
                kafka,
                "--live-view",
                liveView,
                "--topic-prefix",
                prefix,
                "--group-id",
                prefix + "ingest",
                "--transactional-id-prefix",
                prefix + "ingest",
                "--checkpoint-interval-ms",
                "1000",
                "--checkpoint-dir",
                checkpoints.toUri().toString(),
                "--parallelism",
                "2");
    }

    static long incidents(LiveView live) {
        return live.incidents(new IncidentQuery(null, null, null, null, 0, 1)).total();
    }
}
