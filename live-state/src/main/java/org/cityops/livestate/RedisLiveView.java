package org.cityops.livestate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The live view in Redis. The only place that spells a Redis key (architecture brief, decision 7).
 *
 * <pre>
 * {prefix}incident:{id}        hash: v, doc, status, depts, district
 * {prefix}incidents            sorted set of incident ids by last report time
 * {prefix}idx:status:{s}       set of incident ids; likewise idx:dept:{d}, idx:district:{d}
 * {prefix}deltas               stream (bounded): id, v, doc per applied incident write
 * {prefix}feed:{feed}          hash: v, doc; {prefix}feeds is the set of feed names
 * {prefix}dl:{feed}            sorted set of dead-letter ids by time; dl:{feed}:docs hash id -> doc
 * {prefix}alerts              sorted set of alert ids by time (500 kept); alerts:docs hash id -> doc
 * {prefix}escalations         likewise for escalations of missed deadlines
 * {prefix}rule:{id}:{part}    hash: v, doc (part: definition | metrics); {prefix}rules set of rule ids
 * {prefix}kpi:{group}|{day}   hash: v, doc; {prefix}kpis set of "{group}|{day}"
 * {prefix}audit               sorted set of audit ids by time (newest AUDIT_KEPT); audit:docs
 * {prefix}audit:incident:{id} likewise per incident (newest AUDIT_PER_INCIDENT)
 * {prefix}once:{key}          string with a TTL: an API idempotency key's claim, then its response
 * </pre>
 *
 * Writes go through Lua scripts so that the version check and the write are one atomic step.
 */
public final class RedisLiveView implements LiveView {

    static final int DELTA_STREAM_MAX = 10_000;
    static final int DEAD_LETTERS_KEPT = 200;
    static final int ALERTS_KEPT = 500;
    static final int AUDIT_KEPT = 10_000;
    static final int AUDIT_PER_INCIDENT = 200;

    private final RedisClient redis;
    private final String uri;
    private final String prefix;
    private final Script upsertIncident = new Script("upsert_incident.lua");
    private final Script putVersioned = new Script("put_versioned.lua");
    private final Script addBounded = new Script("add_bounded.lua");
    private final Script correctIncident = new Script("correct_incident.lua");

    public RedisLiveView(String uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
        this.redis = RedisClient.create(URI.create(uri));
    }

    @Override
    public void apply(List<LiveWrite> writes, String run) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            pipelined(writes, run);
        } catch (JedisNoScriptException e) {
            // Redis was flushed or restarted: load the scripts again; the writes are idempotent.
            upsertIncident.sha = null;
            putVersioned.sha = null;
            addBounded.sha = null;
            pipelined(writes, run);
        }
    }

    private void pipelined(List<LiveWrite> writes, String run) {
        String incidentSha = upsertIncident.sha();
        String versionedSha = putVersioned.sha();
        String boundedSha = addBounded.sha();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<redis.clients.jedis.Response<Object>> responses = new ArrayList<>(writes.size());
            for (LiveWrite write : writes) {
                if (write instanceof LiveWrite.IncidentWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    incidentSha,
                                    List.of(
                                            prefix + "incident:" + w.incidentId(),
                                            prefix + "incidents",
                                            prefix + "deltas"),
                                    List.of(
                                            Long.toString(w.version()),
                                            prefix,
                                            w.incidentId(),
                                            w.status(),
                                            String.join(",", w.departments()),
                                            w.district() == null ? "" : w.district(),
                                            w.document(),
                                            Long.toString(w.sortTimeMillis()),
                                            Integer.toString(DELTA_STREAM_MAX),
                                            run)));
                } else if (write instanceof LiveWrite.FeedHealthWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    versionedSha,
                                    List.of(prefix + "feed:" + w.feed(), prefix + "feeds"),
                                    List.of(Long.toString(w.version()), w.document(), w.feed())));
                } else if (write instanceof LiveWrite.WarningWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    versionedSha,
                                    List.of(
                                            prefix + "warning:" + w.warningId(),
                                            prefix + "warnings",
                                            prefix + "deltas"),
                                    List.of(
                                            Long.toString(w.version()),
                                            w.document(),
                                            w.warningId(),
                                            w.actual() ? Delta.WARNING : "",
                                            Integer.toString(DELTA_STREAM_MAX))));
                } else if (write instanceof LiveWrite.AlertWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    boundedSha,
                                    List.of(
                                            prefix + "alerts",
                                            prefix + "alerts:docs",
                                            prefix + "deltas"),
                                    List.of(
                                            w.alertId(),
                                            Long.toString(w.timeMillis()),
                                            w.document(),
                                            Integer.toString(ALERTS_KEPT),
                                            w.dryRun() ? "" : Delta.ALERT,
                                            Integer.toString(DELTA_STREAM_MAX))));
                } else if (write instanceof LiveWrite.EscalationWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    boundedSha,
                                    List.of(
                                            prefix + "escalations",
                                            prefix + "escalations:docs",
                                            prefix + "deltas"),
                                    List.of(
                                            w.escalationId(),
                                            Long.toString(w.timeMillis()),
                                            w.document(),
                                            Integer.toString(ALERTS_KEPT),
                                            Delta.ESCALATION,
                                            Integer.toString(DELTA_STREAM_MAX))));
                } else if (write instanceof LiveWrite.AuditWrite w) {
                    for (String list : List.of("audit", "audit:incident:" + w.incidentId())) {
                        responses.add(
                                pipeline.evalsha(
                                        boundedSha,
                                        List.of(
                                                prefix + list,
                                                prefix + list + ":docs",
                                                prefix + "deltas"),
                                        List.of(
                                                w.auditId(),
                                                Long.toString(w.timeMillis()),
                                                w.document(),
                                                Integer.toString(
                                                        list.equals("audit")
                                                                ? AUDIT_KEPT
                                                                : AUDIT_PER_INCIDENT),
                                                "",
                                                Integer.toString(DELTA_STREAM_MAX))));
                    }
                } else if (write instanceof LiveWrite.KpiWrite w) {
                    String member = w.group() + "|" + w.day();
                    responses.add(
                            pipeline.evalsha(
                                    versionedSha,
                                    List.of(prefix + "kpi:" + member, prefix + "kpis"),
                                    List.of(Long.toString(w.version()), w.document(), member)));
                } else if (write instanceof LiveWrite.RuleStatusWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    versionedSha,
                                    List.of(
                                            prefix + "rule:" + w.ruleId() + ":" + w.part(),
                                            prefix + "rules"),
                                    List.of(Long.toString(w.version()), w.document(), w.ruleId())));
                } else if (write instanceof LiveWrite.DeadLetterWrite w) {
                    responses.add(
                            pipeline.evalsha(
                                    boundedSha,
                                    List.of(
                                            prefix + "dl:" + w.feed(),
                                            prefix + "dl:" + w.feed() + ":docs",
                                            prefix + "deltas"),
                                    List.of(
                                            w.deadLetterId(),
                                            Long.toString(w.timeMillis()),
                                            w.document(),
                                            Integer.toString(DEAD_LETTERS_KEPT),
                                            "",
                                            Integer.toString(DELTA_STREAM_MAX))));
                }
            }
            pipeline.sync();
            for (var response : responses) {
                response.get(); // rethrows a script error, NOSCRIPT included
            }
        }
    }

    @Override
    public IncidentPage incidents(IncidentQuery query) {
        List<String> sets = new ArrayList<>();
        if (query.status() != null) {
            sets.add(prefix + "idx:status:" + query.status());
        }
        if (query.department() != null) {
            sets.add(prefix + "idx:dept:" + query.department());
        }
        if (query.visibleToDepartment() != null) {
            sets.add(prefix + "idx:dept:" + query.visibleToDepartment());
        }
        if (query.district() != null) {
            sets.add(prefix + "idx:district:" + query.district());
        }
        List<String> page;
        long total;
        if (sets.isEmpty()) {
            total = redis.zcard(prefix + "incidents");
            page =
                    total == 0
                            ? List.of()
                            : redis.zrevrange(
                                    prefix + "incidents",
                                    query.offset(),
                                    (long) query.offset() + query.limit() - 1);
        } else {
            Set<String> ids = redis.sinter(sets.toArray(String[]::new));
            total = ids.size();
            List<String> sorted = sortNewestFirst(new ArrayList<>(ids));
            page =
                    sorted.subList(
                            Math.min(query.offset(), sorted.size()),
                            Math.min(query.offset() + query.limit(), sorted.size()));
        }
        return new IncidentPage(documents(page), total);
    }

    private List<String> sortNewestFirst(List<String> ids) {
        if (ids.isEmpty()) {
            return ids;
        }
        List<Double> scores = redis.zmscore(prefix + "incidents", ids.toArray(String[]::new));
        List<Map.Entry<String, Double>> scored = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            scored.add(Map.entry(ids.get(i), scores.get(i) == null ? 0.0 : scores.get(i)));
        }
        scored.sort(
                Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()));
        return scored.stream().map(Map.Entry::getKey).toList();
    }

    private List<String> documents(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> docs = new ArrayList<>(ids.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<redis.clients.jedis.Response<String>> responses = new ArrayList<>();
            for (String id : ids) {
                responses.add(pipeline.hget(prefix + "incident:" + id, "doc"));
            }
            pipeline.sync();
            for (var response : responses) {
                if (response.get() != null) {
                    docs.add(response.get());
                }
            }
        }
        return docs;
    }

    @Override
    public Optional<String> incident(String incidentId) {
        return Optional.ofNullable(redis.hget(prefix + "incident:" + incidentId, "doc"));
    }

    @Override
    public List<String> warnings() {
        List<String> ids = new ArrayList<>(redis.smembers(prefix + "warnings"));
        ids.sort(Comparator.naturalOrder());
        List<String> docs = new ArrayList<>();
        for (String id : ids) {
            String doc = redis.hget(prefix + "warning:" + id, "doc");
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    @Override
    public List<String> feedHealth() {
        List<String> feeds = new ArrayList<>(redis.smembers(prefix + "feeds"));
        feeds.sort(Comparator.naturalOrder());
        List<String> docs = new ArrayList<>();
        for (String feed : feeds) {
            String doc = redis.hget(prefix + "feed:" + feed, "doc");
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    @Override
    public List<String> deadLetters(String feed, int limit) {
        List<String> ids = redis.zrevrange(prefix + "dl:" + feed, 0, limit - 1);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> docs =
                redis.hmget(prefix + "dl:" + feed + ":docs", ids.toArray(String[]::new));
        return docs.stream().filter(d -> d != null).toList();
    }

    @Override
    public List<String> alerts(int limit, boolean includeDryRun) {
        List<String> out = new ArrayList<>();
        int offset = 0;
        while (out.size() < limit) {
            List<String> ids = redis.zrevrange(prefix + "alerts", offset, offset + limit - 1L);
            if (ids.isEmpty()) {
                break;
            }
            for (String doc : redis.hmget(prefix + "alerts:docs", ids.toArray(String[]::new))) {
                if (doc != null && (includeDryRun || !doc.contains("\"dryRun\":true"))) {
                    out.add(doc);
                }
            }
            offset += ids.size();
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public List<String> audit(String incidentId, int limit) {
        String list = incidentId == null ? "audit" : "audit:incident:" + incidentId;
        List<String> ids = redis.zrevrange(prefix + list, 0, limit - 1L);
        if (ids.isEmpty()) {
            return List.of();
        }
        return redis.hmget(prefix + list + ":docs", ids.toArray(String[]::new)).stream()
                .filter(d -> d != null)
                .toList();
    }

    @Override
    public List<String> escalations(int limit) {
        List<String> ids = redis.zrevrange(prefix + "escalations", 0, limit - 1L);
        if (ids.isEmpty()) {
            return List.of();
        }
        return redis.hmget(prefix + "escalations:docs", ids.toArray(String[]::new)).stream()
                .filter(d -> d != null)
                .toList();
    }

    @Override
    public List<String> kpis(String groupPrefix, String fromDay, String toDay) {
        List<String> members = new ArrayList<>(redis.smembers(prefix + "kpis"));
        members.sort(Comparator.naturalOrder());
        List<String> docs = new ArrayList<>();
        for (String member : members) {
            int bar = member.lastIndexOf('|');
            String day = member.substring(bar + 1);
            if (member.startsWith(groupPrefix)
                    && day.compareTo(fromDay) >= 0
                    && day.compareTo(toDay) <= 0) {
                String doc = redis.hget(prefix + "kpi:" + member, "doc");
                if (doc != null) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    @Override
    public List<String> rules() {
        List<String> ids = new ArrayList<>(redis.smembers(prefix + "rules"));
        ids.sort(Comparator.naturalOrder());
        List<String> docs = new ArrayList<>();
        for (String id : ids) {
            docs.add(
                    Documents.ruleDocument(
                            id,
                            redis.hget(prefix + "rule:" + id + ":definition", "doc"),
                            redis.hget(prefix + "rule:" + id + ":metrics", "doc")));
        }
        return docs;
    }

    @Override
    public String deltaTip() {
        List<StreamEntry> last = redis.xrevrange(prefix + "deltas", "+", "-", 1);
        return last.isEmpty() ? StreamIds.BEGINNING : last.get(0).getID().toString();
    }

    @Override
    public DeltaBatch deltasAfter(String afterId, int max, long blockMillis) {
        String key = prefix + "deltas";
        List<StreamEntry> first = redis.xrange(key, "-", "+", 1);
        boolean gap =
                !first.isEmpty()
                        && StreamIds.compare(afterId, first.get(0).getID().toString()) < 0
                        && !afterId.equals(StreamIds.BEGINNING);
        XReadParams params = XReadParams.xReadParams().count(max);
        if (blockMillis > 0) {
            params.block((int) blockMillis);
        }
        var result = redis.xread(params, Map.of(key, new StreamEntryID(afterId)));
        List<Delta> deltas = new ArrayList<>();
        if (result != null) {
            for (var stream : result) {
                for (StreamEntry entry : stream.getValue()) {
                    Map<String, String> fields = entry.getFields();
                    deltas.add(
                            new Delta(
                                    entry.getID().toString(),
                                    fields.getOrDefault("kind", Delta.INCIDENT),
                                    fields.get("id"),
                                    Long.parseLong(fields.get("v")),
                                    fields.get("doc")));
                }
            }
        }
        return new DeltaBatch(deltas, gap);
    }

    @Override
    public Map<String, HeldIncident> incidentVersions() {
        List<String> ids = redis.zrange(prefix + "incidents", 0, -1);
        Map<String, HeldIncident> versions = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> page = ids.subList(from, Math.min(ids.size(), from + 1000));
            List<redis.clients.jedis.Response<List<String>>> held = new ArrayList<>(page.size());
            try (AbstractPipeline pipeline = redis.pipelined()) {
                page.forEach(id -> held.add(pipeline.hmget(prefix + "incident:" + id, "v", "run")));
                pipeline.sync();
            }
            for (int i = 0; i < page.size(); i++) {
                List<String> fields = held.get(i).get();
                if (fields.get(0) != null) {
                    versions.put(
                            page.get(i),
                            new HeldIncident(
                                    Long.parseLong(fields.get(0)),
                                    fields.get(1) == null ? COMMITTED : fields.get(1)));
                }
            }
        }
        return versions;
    }

    @Override
    public boolean correctIncident(
            String incidentId, HeldIncident expected, LiveWrite.IncidentWrite committed) {
        List<String> args =
                committed == null
                        ? List.of(
                                Long.toString(expected.version()),
                                prefix,
                                incidentId,
                                "",
                                "",
                                "",
                                "",
                                "",
                                "0",
                                Integer.toString(DELTA_STREAM_MAX),
                                expected.run())
                        : List.of(
                                Long.toString(expected.version()),
                                prefix,
                                incidentId,
                                Long.toString(committed.version()),
                                committed.status(),
                                String.join(",", committed.departments()),
                                committed.district() == null ? "" : committed.district(),
                                committed.document(),
                                Long.toString(committed.sortTimeMillis()),
                                Integer.toString(DELTA_STREAM_MAX),
                                expected.run());
        List<String> keys =
                List.of(prefix + "incident:" + incidentId, prefix + "incidents", prefix + "deltas");
        Object applied;
        try {
            applied = redis.evalsha(correctIncident.sha(), keys, args);
        } catch (JedisNoScriptException e) {
            correctIncident.sha = null;
            applied = redis.evalsha(correctIncident.sha(), keys, args);
        }
        return Long.valueOf(1).equals(applied);
    }

    @Override
    public void announceRebuild(String epoch) {
        redis.xadd(
                prefix + "deltas",
                XAddParams.xAddParams().maxLen(DELTA_STREAM_MAX).approximateTrimming(),
                Map.of("kind", Delta.REBUILT, "id", epoch, "v", "0", "doc", ""));
    }

    @Override
    public Optional<String> recall(String key) {
        return Optional.ofNullable(redis.get(prefix + "once:" + key));
    }

    @Override
    public Optional<String> claim(String key, String marker, long ttlSeconds) {
        String claimed =
                redis.set(
                        prefix + "once:" + key, marker, SetParams.setParams().nx().ex(ttlSeconds));
        if ("OK".equals(claimed)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.get(prefix + "once:" + key));
    }

    @Override
    public void remember(String key, String value, long ttlSeconds) {
        redis.setex(prefix + "once:" + key, ttlSeconds, value);
    }

    @Override
    public void release(String key) {
        redis.del(prefix + "once:" + key);
    }

    @Override
    public boolean ping() {
        try {
            return "PONG".equals(redis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "Redis at " + uri + " (key prefix " + prefix + ")";
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A Lua script from this package's resources, loaded into Redis on first use. */
    private final class Script {
        private final String source;
        private volatile String sha;

        Script(String resource) {
            try (InputStream in = RedisLiveView.class.getResourceAsStream(resource)) {
                this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String sha() {
            if (sha == null) {
                sha = redis.scriptLoad(source);
            }
            return sha;
        }
    }
}
