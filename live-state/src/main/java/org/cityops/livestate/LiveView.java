package org.cityops.livestate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live view that screens and the API read: incidents, feed health, recent dead letters and the
 * screen delta stream. It is derived state: everything in it can be rebuilt from Kafka. Two
 * implementations share this contract: {@link RedisLiveView} and, when no redis-server is
 * available, {@link InMemoryLiveView}.
 */
public interface LiveView extends AutoCloseable {

    /** Applies writes in order; each is idempotent (see {@link LiveWrite}). */
    default void apply(List<LiveWrite> writes) {
        apply(writes, COMMITTED);
    }

    /**
     * Applies writes made by one run of the job ({@code run}, see {@link
     * LiveViewKeeper#JOB_RUN_KEY}) or, with {@link #COMMITTED}, copied from Kafka. An incident
     * write is applied if its version is newer, or if it comes from a different run than the one
     * that wrote what is held: a run restarted from a checkpoint supersedes what the failed run
     * wrote after it, which never committed.
     */
    void apply(List<LiveWrite> writes, String run);

    /** The run of writes copied from what Kafka committed (never superseded by version alone). */
    String COMMITTED = "";

    /** An incident's version as held, and the run that wrote it. */
    record HeldIncident(long version, String run) {}

    IncidentPage incidents(IncidentQuery query);

    Optional<String> incident(String incidentId);

    /** Health documents of the feeds that have reported, in feed-name order. */
    List<String> feedHealth();

    /** The most recent dead letters of a feed, newest first. */
    List<String> deadLetters(String feed, int limit);

    /** The most recent alerts, newest first; dry-run alerts only when asked for. */
    List<String> alerts(int limit, boolean includeDryRun);

    /** The most recent escalations of missed deadlines, newest first. */
    List<String> escalations(int limit);

    /** Every public warning (from CAP) in its latest state, tests and exercises included. */
    List<String> warnings();

    /**
     * The newest audit records, newest first: of one incident (its most recent {@value
     * RedisLiveView#AUDIT_PER_INCIDENT}), or of all when {@code incidentId} is null.
     */
    List<String> audit(String incidentId, int limit);

    /**
     * Every rule the job has heard of: its definition and status, with its metrics under "metrics".
     */
    List<String> rules();

    /**
     * KPI documents of the groups whose name starts with {@code groupPrefix} ("city",
     * "department:", "district:") for days {@code fromDay}..{@code toDay} (ISO dates, inclusive).
     * The live hour's rows have the day "live", which sorts after every date: ask for
     * "live".."live".
     */
    List<String> kpis(String groupPrefix, String fromDay, String toDay);

    /** The id of the newest delta, or {@link StreamIds#BEGINNING} when there is none. */
    String deltaTip();

    /**
     * Up to {@code max} deltas after {@code afterId}, waiting up to {@code blockMillis} for one.
     */
    DeltaBatch deltasAfter(String afterId, int max, long blockMillis);

    /**
     * Claims {@code key} (an API idempotency key) for {@code ttlSeconds} if nobody holds it: empty
     * when this caller now holds it, else what is stored under it (a claim marker, or the response
     * stored by {@link #remember}). Atomic across API instances.
     */
    Optional<String> claim(String key, String marker, long ttlSeconds);

    /** Stores {@code value} under {@code key} for {@code ttlSeconds}, replacing a claim. */
    void remember(String key, String value, long ttlSeconds);

    /** Gives a claimed key up (the request failed before anything was done). */
    void release(String key);

    /** Tells readers of the delta stream that the view was rebuilt ({@link Delta#REBUILT}). */
    void announceRebuild(String epoch);

    /** What {@link #remember} stored under {@code key}, if it is still there. */
    Optional<String> recall(String key);

    /** Every incident held, with the version held and who wrote it. */
    Map<String, HeldIncident> incidentVersions();

    /**
     * Replaces an incident with what Kafka committed, or withdraws it ({@code committed} null:
     * never committed), if the view still holds {@code expected}; screens get a {@link
     * Delta#CORRECTION} or {@link Delta#WITHDRAWN}. Only for undoing what a failed job run wrote
     * and never committed (versions may go down). Returns whether it applied.
     */
    boolean correctIncident(
            String incidentId, HeldIncident expected, LiveWrite.IncidentWrite committed);

    /** True when the store answers. */
    boolean ping();

    /** What backs this view, for logs and health output. */
    String describe();

    @Override
    void close();
}
