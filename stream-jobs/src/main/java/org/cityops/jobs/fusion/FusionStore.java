package org.cityops.jobs.fusion;

import java.util.List;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * Where the fusion engine keeps its state: Flink keyed state in the job, maps in unit tests. All
 * methods act on the one fusion region the engine serves.
 */
public interface FusionStore {

    Cluster cluster(String incidentId);

    void putCluster(Cluster cluster);

    void removeCluster(String incidentId);

    Iterable<Cluster> clusters();

    String incidentOf(String eventId);

    void putMembership(String eventId, String incidentId);

    void removeMembership(String eventId);

    CityEvent event(String eventId);

    void putEvent(CityEvent event);

    void removeEvent(String eventId);

    /** True when the command id was seen before; otherwise remembers it until {@code forgetAt}. */
    boolean seenCommand(String commandId, long forgetAt);

    /** Forgets commands whose {@code forgetAt} has passed. */
    void forgetCommandsBefore(long time);

    /**
     * Unit statuses waiting for the report they answer (it has not reached fusion yet), by the
     * report's event id: a new report takes its own in one lookup.
     */
    void addPendingStatus(String eventId, FeedbackCommand command);

    /** The statuses waiting for {@code eventId}, removed from the store; empty when none. */
    List<FeedbackCommand> takePendingStatuses(String eventId);

    /** Every report some status waits for (for giving up on them as event time passes). */
    List<String> reportsAwaited();

    /** Drops storage that is empty (so an idle region holds no state at all). */
    void compact();
}
