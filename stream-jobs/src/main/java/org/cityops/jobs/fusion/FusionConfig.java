package org.cityops.jobs.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cityops.schemas.Category;

/**
 * Which unified categories may fuse, with the radius and time window of each pair. Loaded from JSON
 * ({@code fusion-defaults.json} next to this class, or a file given to the job). Where several
 * entries name a pair, the most generous radius and window win.
 */
public final class FusionConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How close two reports must be to fuse. */
    public record PairRule(double radiusMeters, long windowMillis) implements Serializable {}

    private final Map<Category, Map<Category, PairRule>> rules;
    private final long allowedLatenessMillis;
    private final double maxRadiusMeters;
    private final long maxWindowMillis;

    private FusionConfig(Map<Category, Map<Category, PairRule>> rules, long allowedLatenessMillis) {
        this.rules = rules;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.maxRadiusMeters =
                rules.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToDouble(PairRule::radiusMeters)
                        .max()
                        .orElse(0);
        this.maxWindowMillis =
                rules.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToLong(PairRule::windowMillis)
                        .max()
                        .orElse(0);
    }

    public static FusionConfig defaults() {
        try (InputStream in = FusionConfig.class.getResourceAsStream("fusion-defaults.json")) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FusionConfig parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<Category, Map<Category, PairRule>> rules = new EnumMap<>(Category.class);
        JsonNode same = root.get("sameCategory");
        if (same != null) {
            Set<String> except = new HashSet<>();
            same.path("except").forEach(c -> except.add(c.asText()));
            PairRule rule = rule(same);
            for (Category c : Category.values()) {
                if (!except.contains(c.name())) {
                    put(rules, c, c, rule);
                }
            }
        }
        for (JsonNode group : root.path("groups")) {
            PairRule rule = rule(group);
            for (JsonNode a : group.get("categories")) {
                for (JsonNode b : group.get("categories")) {
                    put(rules, category(a.asText()), category(b.asText()), rule);
                }
            }
        }
        return new FusionConfig(rules, root.path("allowedLatenessSeconds").asLong(600) * 1000);
    }

    private static PairRule rule(JsonNode node) {
        double radius = node.get("radiusMeters").asDouble();
        long window = node.get("windowSeconds").asLong() * 1000;
        if (radius <= 0 || window <= 0) {
            throw new IllegalArgumentException(
                    "radiusMeters and windowSeconds must be positive in " + node);
        }
        return new PairRule(radius, window);
    }

    private static Category category(String name) {
        try {
            return Category.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown category " + name + " in the fusion configuration");
        }
    }

    private static void put(
            Map<Category, Map<Category, PairRule>> rules, Category a, Category b, PairRule rule) {
        rules.computeIfAbsent(a, k -> new EnumMap<>(Category.class))
                .merge(
                        b,
                        rule,
                        (x, y) ->
                                new PairRule(
                                        Math.max(x.radiusMeters(), y.radiusMeters()),
                                        Math.max(x.windowMillis(), y.windowMillis())));
    }

    /** The rule under which reports of these categories may fuse, if any. */
    public Optional<PairRule> rule(Category a, Category b) {
        Map<Category, PairRule> row = rules.get(a);
        return row == null ? Optional.empty() : Optional.ofNullable(row.get(b));
    }

    public double maxRadiusMeters() {
        return maxRadiusMeters;
    }

    public long maxWindowMillis() {
        return maxWindowMillis;
    }

    /** How late (behind the watermark) a report may arrive and still fuse as if on time. */
    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    public Duration allowedLateness() {
        return Duration.ofMillis(allowedLatenessMillis);
    }
}
