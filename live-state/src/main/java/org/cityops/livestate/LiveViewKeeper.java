package org.cityops.livestate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the live view whole when its store is lost (Redis flushed, or restarted without its data):
 * the view carries an epoch marker; when a check finds none — a new or emptied store — the one
 * checker that claims the new epoch rebuilds the view from Kafka, which holds everything: every
 * incident's latest version ({@code city.incidents}, compacted), public warnings, alerts and
 * escalations. Every write is version-checked, so the job's writes racing the rebuild always win
 * when newer. Screens resync from the deltas the rebuild appends. Blocking; call {@link #check}
 * from one worker. What Kafka does not hold (feed health counters, KPI rows) comes back as the job
 * next changes them.
 */
public final class LiveViewKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LiveViewKeeper.class);
    private static final long EPOCH_SECONDS = Duration.ofDays(3650).toSeconds();
    private static final int BATCH = 500;

    private final LiveView live;
    private final String kafka;
    private final Topics topics;
    private long rebuilds;

    public LiveViewKeeper(LiveView live, String kafka, Topics topics) {
        this.live = live;
        this.kafka = kafka;
        this.topics = topics;
    }

    /**
     * Rebuilds the view if its epoch is gone, and applies what {@code city.incidents} committed
     * since the last check (a no-op for versions the view already holds: writes are
     * version-checked), so versions that commit late — after a rebuild, or after the job wrote them
     * to a store that was then lost — still arrive. Returns how many writes that took.
     */
    public int check() {
        int followed = follow();
        String epoch = UUID.randomUUID().toString();
        if (live.claim("live-view-epoch", epoch, EPOCH_SECONDS).isPresent()) {
            return followed + reconcileAfterJobRestart(); // the view is the one we know
        }
        long started = System.nanoTime();
        int applied = rebuild();
        live.announceRebuild(epoch); // screens may hold what the lost store had: fresh snapshots
        rebuilds++;
        LOG.warn(
                "Live view had no epoch (new, flushed or restarted empty): rebuilt from Kafka with {} writes in {} ms (epoch {})",
                applied,
                (System.nanoTime() - started) / 1_000_000,
                epoch);
        return applied;
    }

    private CommittedLog<Incident> tail;
    private String jobRunSeen;

    /**
     * The job writes the live view before Kafka commits (screens never wait for a checkpoint), so a
     * job run that fails leaves versions that were never committed: after the restart the job
     * replays from its checkpoint and may fuse the same reports differently, and the version check
     * would keep those ghosts for ever. Each job run marks the view ({@link #JOB_RUN_KEY}); when
     * the mark changes (and once when this keeper starts) every incident an earlier run wrote is
     * compared with the latest committed version: one held ahead of it is put back (or withdrawn if
     * none was committed); any held behind is brought up. What the current run wrote is left alone
     * (its writes also supersede an earlier run's regardless of version, see {@link
     * LiveView#apply(List, String)}): this undoes the ghosts the new run never touches.
     */
    private int reconcileAfterJobRestart() {
        String run = live.recall(JOB_RUN_KEY).orElse("");
        if (run.equals(jobRunSeen)) {
            return 0;
        }
        jobRunSeen = run;
        long started = System.nanoTime();
        Map<String, Incident> committed = latestCommittedIncidents();
        int corrected = 0;
        int withdrawn = 0;
        List<LiveWrite> behind = new ArrayList<>();
        Map<String, LiveView.HeldIncident> held = live.incidentVersions();
        for (Map.Entry<String, LiveView.HeldIncident> entry : held.entrySet()) {
            Incident truth = committed.get(entry.getKey());
            LiveView.HeldIncident holding = entry.getValue();
            boolean earlierRun =
                    !holding.run().equals(run) && !holding.run().equals(LiveView.COMMITTED);
            if (truth == null) {
                if (earlierRun && live.correctIncident(entry.getKey(), holding, null)) {
                    withdrawn++;
                }
            } else if (holding.version() > truth.getVersion()) {
                if (earlierRun
                        && live.correctIncident(
                                entry.getKey(), holding, Documents.incidentWrite(truth))) {
                    corrected++;
                }
            } else if (holding.version() < truth.getVersion()) {
                behind.add(Documents.incidentWrite(truth));
            }
        }
        committed.forEach(
                (id, truth) -> {
                    if (!held.containsKey(id)) {
                        behind.add(Documents.incidentWrite(truth));
                    }
                });
        apply(behind);
        if (corrected + withdrawn + behind.size() > 0) {
            LOG.warn(
                    "Job run {}: live view reconciled with city.incidents in {} ms: {} put back to"
                            + " the committed version, {} never committed withdrawn, {} brought up",
                    run,
                    (System.nanoTime() - started) / 1_000_000,
                    corrected,
                    withdrawn,
                    behind.size());
        }
        reconciled += corrected + withdrawn;
        return corrected + withdrawn + behind.size();
    }

    private long reconciled;

    /** How many incidents reconciliations put back or withdrew. */
    public long reconciled() {
        return reconciled;
    }

    /** Key under which each job run leaves its mark (written by the job's live-view sink). */
    public static final String JOB_RUN_KEY = "job-run";

    private Map<String, Incident> latestCommittedIncidents() {
        Map<String, Incident> incidents = new HashMap<>();
        read(
                topics.incidents().name(),
                Incident.class,
                incident ->
                        incidents.merge(
                                incident.getIncidentId(),
                                incident,
                                (a, b) -> a.getVersion() >= b.getVersion() ? a : b));
        return incidents;
    }

    /** Applies the incident versions committed since the last call (from now at the first). */
    private int follow() {
        if (tail == null) {
            tail = CommittedLog.fromNow(kafka, topics.incidents().name(), Incident.class);
        }
        List<LiveWrite> writes = new ArrayList<>();
        tail.readAvailable(Duration.ofMillis(100), i -> writes.add(Documents.incidentWrite(i)));
        apply(writes);
        return writes.size();
    }

    private void apply(List<LiveWrite> writes) {
        for (int i = 0; i < writes.size(); i += BATCH) {
            live.apply(writes.subList(i, Math.min(writes.size(), i + BATCH)));
        }
    }

    /**
     * Runs {@link #check} every second on a thread of its own until closed — for processes without
     * an event loop (dispatch-api uses its Vert.x timer). A failed check is logged and retried.
     */
    public AutoCloseable keepEverySecond() {
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        r -> new Thread(r, "live-view-keeper"));
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        check();
                    } catch (RuntimeException e) {
                        LOG.warn("live view check failed: {}", e.toString());
                    }
                },
                0,
                1,
                java.util.concurrent.TimeUnit.SECONDS);
        return () -> {
            timer.shutdownNow();
            timer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        };
    }

    /** Stops following the changelog. */
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }

    /** How many rebuilds this keeper did. */
    public long rebuilds() {
        return rebuilds;
    }

    /**
     * Every incident's latest version, warnings, alerts and escalations as committed now; what
     * commits later (the versions in flight when the store was lost) the tail applies.
     */
    private int rebuild() {
        Map<String, Incident> incidents = latestCommittedIncidents();
        Map<String, PublicWarning> warnings = new HashMap<>();
        read(
                topics.warnings().name(),
                PublicWarning.class,
                warning ->
                        warnings.merge(
                                warning.getWarningId(),
                                warning,
                                (a, b) -> a.getSent().isBefore(b.getSent()) ? b : a));
        List<LiveWrite> writes = new ArrayList<>();
        incidents.values().forEach(i -> writes.add(Documents.incidentWrite(i)));
        warnings.values().forEach(w -> writes.add(Documents.warningWrite(w)));
        read(topics.alerts().name(), Alert.class, a -> writes.add(Documents.alertWrite(a)));
        read(
                topics.escalations().name(),
                Escalation.class,
                e -> writes.add(Documents.escalationWrite(e)));
        apply(writes);
        return writes.size();
    }

    private <T extends SpecificRecord> void read(String topic, Class<T> type, Consumer<T> each) {
        try (CommittedLog<T> log = CommittedLog.fromBeginning(kafka, topic, type)) {
            log.readToEnd(each);
        }
    }
}
