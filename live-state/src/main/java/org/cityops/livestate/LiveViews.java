package org.cityops.livestate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a live view from a target string: {@code redis://host:port} (optionally followed by {@code
 * #prefix}) or {@code memory:name} for the in-process twin. Targets are plain strings so a Flink
 * sink can carry one to its writers.
 */
public final class LiveViews {

    public static final String DEFAULT_PREFIX = "cityops:";
    private static final Map<String, InMemoryLiveView> MEMORY = new ConcurrentHashMap<>();

    private LiveViews() {}

    public static LiveView open(String target) {
        if (target.startsWith("memory:")) {
            return new SharedMemoryHandle(
                    MEMORY.computeIfAbsent(
                            target.substring("memory:".length()), n -> new InMemoryLiveView()));
        }
        if (target.startsWith("redis://") || target.startsWith("rediss://")) {
            int hash = target.indexOf('#');
            String uri = hash < 0 ? target : target.substring(0, hash);
            String prefix = hash < 0 ? DEFAULT_PREFIX : target.substring(hash + 1);
            return new RedisLiveView(uri, prefix);
        }
        throw new IllegalArgumentException(
                "live view target must be redis://host:port[#prefix] or memory:name, was "
                        + target);
    }

    /** A target string for a Redis URI and key prefix. */
    public static String redisTarget(String uri, String prefix) {
        return uri + "#" + prefix;
    }

    /** Several users of one in-memory view each get a handle; closing one does not clear it. */
    private record SharedMemoryHandle(InMemoryLiveView view) implements LiveView {
        @Override
        public void apply(java.util.List<LiveWrite> writes, String run) {
            view.apply(writes, run);
        }

        @Override
        public IncidentPage incidents(IncidentQuery query) {
            return view.incidents(query);
        }

        @Override
        public java.util.Optional<String> incident(String incidentId) {
            return view.incident(incidentId);
        }

        @Override
        public java.util.List<String> feedHealth() {
            return view.feedHealth();
        }

        @Override
        public java.util.List<String> deadLetters(String feed, int limit) {
            return view.deadLetters(feed, limit);
        }

        @Override
        public java.util.List<String> alerts(int limit, boolean includeDryRun) {
            return view.alerts(limit, includeDryRun);
        }

        @Override
        public java.util.List<String> audit(String incidentId, int limit) {
            return view.audit(incidentId, limit);
        }

        @Override
        public java.util.List<String> escalations(int limit) {
            return view.escalations(limit);
        }

        @Override
        public java.util.List<String> warnings() {
            return view.warnings();
        }

        @Override
        public java.util.List<String> kpis(String groupPrefix, String fromDay, String toDay) {
            return view.kpis(groupPrefix, fromDay, toDay);
        }

        @Override
        public java.util.List<String> rules() {
            return view.rules();
        }

        @Override
        public String deltaTip() {
            return view.deltaTip();
        }

        @Override
        public DeltaBatch deltasAfter(String afterId, int max, long blockMillis) {
            return view.deltasAfter(afterId, max, blockMillis);
        }

        @Override
        public java.util.Optional<String> claim(String key, String marker, long ttlSeconds) {
            return view.claim(key, marker, ttlSeconds);
        }

        @Override
        public void remember(String key, String value, long ttlSeconds) {
            view.remember(key, value, ttlSeconds);
        }

        @Override
        public void announceRebuild(String epoch) {
            view.announceRebuild(epoch);
        }

        @Override
        public java.util.Optional<String> recall(String key) {
            return view.recall(key);
        }

        @Override
        public java.util.Map<String, HeldIncident> incidentVersions() {
            return view.incidentVersions();
        }

        @Override
        public boolean correctIncident(
                String incidentId, HeldIncident expected, LiveWrite.IncidentWrite committed) {
            return view.correctIncident(incidentId, expected, committed);
        }

        @Override
        public void release(String key) {
            view.release(key);
        }

        @Override
        public boolean ping() {
            return true;
        }

        @Override
        public String describe() {
            return view.describe();
        }

        @Override
        public void close() {}
    }
}
