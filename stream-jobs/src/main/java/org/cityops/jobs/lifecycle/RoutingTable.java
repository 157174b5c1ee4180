package org.cityops.jobs.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;

/**
 * Which department leads an incident of each category and which support it (some only from a
 * severity on). Loaded from JSON ({@code routing-defaults.json} beside this class).
 */
public final class RoutingTable implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Lead and supporting departments for one category. */
    public record Route(
            Department lead,
            List<Department> supports,
            Map<Department, Integer> supportsFromSeverity)
            implements Serializable {}

    private final Map<Category, Route> routes;
    private final Route fallback;

    private RoutingTable(Map<Category, Route> routes, Route fallback) {
        this.routes = routes;
        this.fallback = fallback;
    }

    public static RoutingTable defaults() {
        try (InputStream in = RoutingTable.class.getResourceAsStream("routing-defaults.json")) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingTable parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<Category, Route> routes = new EnumMap<>(Category.class);
        root.path("categories")
                .fields()
                .forEachRemaining(
                        e -> routes.put(Category.valueOf(e.getKey()), route(e.getValue())));
        return new RoutingTable(routes, route(root.get("default")));
    }

    private static Route route(JsonNode node) {
        List<Department> supports = new ArrayList<>();
        node.path("supports").forEach(d -> supports.add(Department.valueOf(d.asText())));
        Map<Department, Integer> bySeverity = new LinkedHashMap<>();
        node.path("supportsFromSeverity")
                .fields()
                .forEachRemaining(
                        e -> bySeverity.put(Department.valueOf(e.getKey()), e.getValue().asInt()));
        return new Route(Department.valueOf(node.get("lead").asText()), supports, bySeverity);
    }

    public Route route(Category category) {
        return routes.getOrDefault(category, fallback);
    }

    /** The departments an incident of this category and severity needs: the lead first. */
    public Set<Department> departments(Category category, int severity) {
        Route route = route(category);
        Set<Department> departments = new LinkedHashSet<>();
        departments.add(route.lead());
        departments.addAll(route.supports());
        route.supportsFromSeverity()
                .forEach(
                        (d, min) -> {
                            if (severity >= min) {
                                departments.add(d);
                            }
                        });
        return departments;
    }
}
