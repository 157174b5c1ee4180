package org.cityops.jobs.sinks;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViewKeeper;
import org.cityops.livestate.LiveViews;
import org.cityops.livestate.LiveWrite;

/**
 * Writes to the live view immediately, not on checkpoints, so screens never wait for one
 * (architecture brief, decision 2). Writes are buffered for at most {@code maxDelayMillis} or
 * {@code maxBatch} elements and sent as one pipeline; every write is versioned and idempotent, so
 * what a restart replays changes nothing.
 */
public final class LiveViewSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private static final long JOB_RUN_MARK_SECONDS = 3650L * 24 * 3600;

    private final String target;
    private final LiveWriteMapper<T> mapper;
    private final long maxDelayMillis;
    private final int maxBatch;

    public LiveViewSink(
            String target, LiveWriteMapper<T> mapper, long maxDelayMillis, int maxBatch) {
        this.target = target;
        this.mapper = mapper;
        this.maxDelayMillis = maxDelayMillis;
        this.maxBatch = maxBatch;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        LiveView view = LiveViews.open(target);
        // this run of the job (first start, failover, restart from a checkpoint), the same in
        // every subtask: its writes supersede an earlier run's, and the keeper undoes what an
        // earlier run wrote and never committed
        String run =
                context.getJobInfo().getJobId()
                        + " attempt "
                        + context.getTaskInfo().getAttemptNumber()
                        + " from checkpoint "
                        + context.getRestoredCheckpointId().orElse(0);
        view.remember(LiveViewKeeper.JOB_RUN_KEY, run, JOB_RUN_MARK_SECONDS);
        return new Writer<>(
                view, run, mapper, context.getProcessingTimeService(), maxDelayMillis, maxBatch);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final LiveView view;
        private final String run;
        private final LiveWriteMapper<T> mapper;
        private final ProcessingTimeService time;
        private final long maxDelayMillis;
        private final int maxBatch;
        private final List<LiveWrite> buffer = new ArrayList<>();
        private boolean timerPending;

        Writer(
                LiveView view,
                String run,
                LiveWriteMapper<T> mapper,
                ProcessingTimeService time,
                long maxDelayMillis,
                int maxBatch) {
            this.view = view;
            this.run = run;
            this.mapper = mapper;
            this.time = time;
            this.maxDelayMillis = maxDelayMillis;
            this.maxBatch = maxBatch;
        }

        @Override
        public void write(T element, Context context) {
            buffer.add(mapper.toWrite(element));
            if (buffer.size() >= maxBatch || maxDelayMillis <= 0) {
                send();
            } else if (!timerPending) {
                timerPending = true;
                time.registerTimer(
                        time.getCurrentProcessingTime() + maxDelayMillis,
                        timestamp -> {
                            timerPending = false;
                            send();
                        });
            }
        }

        private void send() {
            if (!buffer.isEmpty()) {
                view.apply(List.copyOf(buffer), run);
                buffer.clear();
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            send();
        }

        @Override
        public void close() {
            view.close();
        }
    }
}
