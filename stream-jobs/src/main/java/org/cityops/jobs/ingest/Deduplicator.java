package org.cityops.jobs.ingest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.feedhealth.FeedOutcome;

/**
 * Drops exact repeats of an accepted record (same feed, id, action and content: a producer retry or
 * a replayed file). Keyed by the sender's id; remembers the fingerprints of the last few accepted
 * versions of that id for a day. An UPDATE with new content is not a repeat.
 */
public final class Deduplicator extends KeyedProcessFunction<String, IngestRecord, IngestRecord> {

    static final int REMEMBERED_VERSIONS = 8;

    private transient ValueState<long[]> recent;

    @Override
    public void open(OpenContext context) {
        recent = getRuntimeContext().getState(IngestDescriptors.recentFingerprints());
    }

    @Override
    public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out)
            throws Exception {
        long[] seen = recent.value();
        if (seen != null) {
            for (long fingerprint : seen) {
                if (fingerprint == record.fingerprint) {
                    ctx.output(
                            IngestDescriptors.OUTCOMES,
                            FeedOutcome.of(
                                    record.feed, FeedOutcome.DUPLICATE, record.receivedAt, null));
                    return;
                }
            }
        }
        recent.update(remember(seen, record.fingerprint));
        ctx.output(
                IngestDescriptors.OUTCOMES,
                FeedOutcome.of(record.feed, FeedOutcome.ACCEPTED, record.receivedAt, null));
        out.collect(record);
    }

    private static long[] remember(long[] seen, long fingerprint) {
        if (seen == null) {
            return new long[] {fingerprint};
        }
        int keep = Math.min(seen.length, REMEMBERED_VERSIONS - 1);
        long[] next = new long[keep + 1];
        System.arraycopy(seen, seen.length - keep, next, 0, keep);
        next[keep] = fingerprint;
        return next;
    }
}
