package org.cityops.screen;

import java.util.List;
import java.util.function.Consumer;
import org.cityops.livestate.Delta;
import org.cityops.livestate.DeltaBatch;
import org.cityops.livestate.LiveView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of the live view's delta stream per server, on its own thread (the read blocks),
 * handing each batch to the screens. Screens never read the stream themselves, so a thousand
 * screens cost one blocking read.
 */
final class DeltaPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaPump.class);

    private final LiveView live;
    private final Consumer<List<Delta>> onDeltas;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String cursor;

    DeltaPump(LiveView live, Consumer<List<Delta>> onDeltas) {
        this.live = live;
        this.onDeltas = onDeltas;
        this.thread = new Thread(this, "screen-delta-pump");
        this.thread.setDaemon(true);
    }

    void start() {
        cursor = live.deltaTip();
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                DeltaBatch batch = live.deltasAfter(cursor, 500, 1000);
                if (!batch.deltas().isEmpty()) {
                    cursor = batch.deltas().get(batch.deltas().size() - 1).streamId();
                    onDeltas.accept(batch.deltas());
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("reading screen deltas failed, retrying: {}", e.toString());
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(500); // back off while the live view is unreachable
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
    }
}
