package org.cityops.jobs.sinks;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.cityops.livestate.LiveView;
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
        return new Writer<>(
                LiveViews.open(target),
                mapper,
                context.getProcessingTimeService(),
                maxDelayMillis,
                maxBatch);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final LiveView view;
        private final LiveWriteMapper<T> mapper;
        private final ProcessingTimeService time;
        private final long maxDelayMillis;
        private final int maxBatch;
        private final List<LiveWrite> buffer = new ArrayList<>();
        private boolean timerPending;

        Writer(
                LiveView view,
                LiveWriteMapper<T> mapper,
                ProcessingTimeService time,
                long maxDelayMillis,
                int maxBatch) {
            this.view = view;
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
                view.apply(List.copyOf(buffer));
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
