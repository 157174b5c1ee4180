package org.cityops.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The city's clock while old data is replayed: the event time of the record being replayed, running
 * on at the replay's speed between records (at {@code max} speed it stands at the last record).
 * Before the first record it is the system clock. Actions taken during a replay (an acknowledgement
 * through the API) are stamped with it, so their durations from the replayed reports are real
 * minutes, not the years between the data and today. Never runs backwards.
 */
public final class ReplayClock extends Clock {

    private record Anchor(long eventMillis, long wallNanos) {}

    private final double factor;
    private final LongSupplier nanoTime;
    private final AtomicReference<Anchor> anchor = new AtomicReference<>();
    private final AtomicLong lastReturned = new AtomicLong(Long.MIN_VALUE);

    public ReplayClock(Speed speed) {
        this(speed, System::nanoTime);
    }

    ReplayClock(Speed speed, LongSupplier nanoTime) {
        this.factor = speed.factor();
        this.nanoTime = nanoTime;
    }

    /** The replay has reached a record of this event time. */
    public void advance(long eventMillis) {
        anchor.updateAndGet(
                current ->
                        current == null || eventMillis > current.eventMillis()
                                ? new Anchor(eventMillis, nanoTime.getAsLong())
                                : current);
    }

    @Override
    public Instant instant() {
        Anchor a = anchor.get();
        if (a == null) {
            return Instant.now();
        }
        long millis =
                Double.isInfinite(factor)
                        ? a.eventMillis()
                        : a.eventMillis()
                                + (long) ((nanoTime.getAsLong() - a.wallNanos()) / 1e6 * factor);
        return Instant.ofEpochMilli(lastReturned.accumulateAndGet(millis, Math::max));
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the city clock runs in UTC");
        }
        return this;
    }
}
