package org.cityops.schemas.lifecycle;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.cityops.schemas.TaskStatus;

/**
 * The legal moves of a department's task, shared by the job (which applies them) and the API (which
 * refuses an illegal request with 409 before it is published). A task acts only after it was
 * acknowledged (the department took it).
 */
public final class TaskTransitions {

    private static final Map<TaskStatus, Set<TaskStatus>> NEXT =
            Map.of(
                    TaskStatus.ORDERED,
                            EnumSet.of(
                                    TaskStatus.ACKNOWLEDGED,
                                    TaskStatus.TRANSFERRED,
                                    TaskStatus.REJECTED),
                    TaskStatus.ACKNOWLEDGED,
                            EnumSet.of(
                                    TaskStatus.EN_ROUTE,
                                    TaskStatus.ON_SCENE,
                                    TaskStatus.RESOLVED,
                                    TaskStatus.TRANSFERRED),
                    TaskStatus.EN_ROUTE, EnumSet.of(TaskStatus.ON_SCENE, TaskStatus.RESOLVED),
                    TaskStatus.ON_SCENE, EnumSet.of(TaskStatus.RESOLVED),
                    TaskStatus.RESOLVED, EnumSet.noneOf(TaskStatus.class),
                    TaskStatus.TRANSFERRED, EnumSet.noneOf(TaskStatus.class),
                    TaskStatus.REJECTED, EnumSet.noneOf(TaskStatus.class),
                    TaskStatus.UNKNOWN, EnumSet.noneOf(TaskStatus.class));

    private TaskTransitions() {}

    public static boolean allowed(TaskStatus from, TaskStatus to) {
        return NEXT.get(from).contains(to);
    }

    /** The task status a task action leads to, e.g. ACKNOWLEDGE → ACKNOWLEDGED. */
    public static TaskStatus target(String action) {
        return switch (action) {
            case "ACKNOWLEDGE" -> TaskStatus.ACKNOWLEDGED;
            case "EN_ROUTE" -> TaskStatus.EN_ROUTE;
            case "ON_SCENE" -> TaskStatus.ON_SCENE;
            case "RESOLVE" -> TaskStatus.RESOLVED;
            case "TRANSFER" -> TaskStatus.TRANSFERRED;
            case "REJECT" -> TaskStatus.REJECTED;
            default -> throw new IllegalArgumentException(action + " is not a task action");
        };
    }
}
