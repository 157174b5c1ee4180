package org.cityops.jobs.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cityops.schemas.Department;

/**
 * Deadlines per department and severity for each phase of a task, and for closing (JSON config).
 */
public final class SlaPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Seconds from the order to acknowledge, to be on scene, to resolve. */
    public record Deadlines(int minSeverity, long acknowledge, long onScene, long resolve)
            implements Serializable {}

    private final Map<Department, List<Deadlines>> byDepartment;
    private final long closeSeconds;
    private final long autoVerifySeconds;

    private SlaPolicy(
            Map<Department, List<Deadlines>> byDepartment,
            long closeSeconds,
            long autoVerifySeconds) {
        this.byDepartment = byDepartment;
        this.closeSeconds = closeSeconds;
        this.autoVerifySeconds = autoVerifySeconds;
    }

    public static SlaPolicy defaults() {
        try (InputStream in = SlaPolicy.class.getResourceAsStream("sla-defaults.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<Department, List<Deadlines>> map = new EnumMap<>(Department.class);
            root.get("departments")
                    .fields()
                    .forEachRemaining(
                            e -> {
                                List<Deadlines> list = new ArrayList<>();
                                e.getValue()
                                        .forEach(
                                                d ->
                                                        list.add(
                                                                new Deadlines(
                                                                        d.get("minSeverity")
                                                                                .asInt(),
                                                                        d.get("acknowledge")
                                                                                .asLong(),
                                                                        d.get("onScene").asLong(),
                                                                        d.get("resolve")
                                                                                .asLong())));
                                map.put(Department.valueOf(e.getKey()), list);
                            });
            return new SlaPolicy(
                    map,
                    root.get("closeSeconds").asLong(),
                    root.get("autoVerifyQuietSeconds").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Deadlines deadlines(Department department, int severity) {
        for (Deadlines d :
                byDepartment.getOrDefault(department, byDepartment.get(Department.police))) {
            if (severity >= d.minSeverity()) {
                return d;
            }
        }
        throw new IllegalStateException(
                "no deadlines for " + department + " at severity " + severity);
    }

    public long closeSeconds() {
        return closeSeconds;
    }

    /**
     * A resolved incident with no related report for this long is verified and closed by CityOps.
     */
    public long autoVerifySeconds() {
        return autoVerifySeconds;
    }
}
