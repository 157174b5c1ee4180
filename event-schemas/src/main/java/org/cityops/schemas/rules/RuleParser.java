package org.cityops.schemas.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;
import org.cityops.schemas.contract.FeedSpec;

/**
 * Parses and validates rule documents. Every problem is reported with the field it concerns, so the
 * {@code rules validate} command, the job and the API give the same precise reason.
 */
public final class RuleParser {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,63}");
    static final long MAX_WINDOW_MILLIS = 2 * 3600 * 1000L;
    static final Set<String> ACTIONS =
            Set.of("alert", "raiseSeverity", "createIncident", "notifyDepartment");
    static final Set<String> GROUPS = Set.of("radius", "district", "category", "cell");

    private RuleParser() {}

    /** One rule from its JSON document. */
    public static Rule parse(String json) throws RuleException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleException(null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RuleException(null, "a rule must be a JSON object");
        }
        return parse(root);
    }

    /** A file of rules: one object, or an array of them. Every rule must be valid. */
    public static List<Rule> parseAll(String json) throws RuleException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleException(null, "not valid JSON: " + e.getOriginalMessage());
        }
        List<Rule> rules = new ArrayList<>();
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                try {
                    rules.add(parse(root.get(i)));
                } catch (RuleException e) {
                    throw new RuleException(
                            "[" + i + "]" + (e.field() == null ? "" : "." + e.field()),
                            e.getMessage().replaceFirst("^[^:]*: ", ""));
                }
            }
        } else if (root != null && root.isObject()) {
            rules.add(parse(root));
        } else {
            throw new RuleException(null, "expected a rule object or an array of rules");
        }
        return rules;
    }

    private static Rule parse(JsonNode root) throws RuleException {
        String id = text(root, "id");
        if (!ID.matcher(id).matches()) {
            throw new RuleException(
                    "id", "must be 2-64 lower-case letters, digits or dashes, was '" + id + "'");
        }
        int version = integer(root, "version", 1, Integer.MAX_VALUE);
        String description = text(root, "description");
        Rule.Kind kind = kind(root);
        boolean enabled = !root.has("enabled") || bool(root, "enabled");
        boolean dryRun = root.has("dryRun") && bool(root, "dryRun");
        JsonNode params = object(root, "params");
        Rule.Action action = action(object(root, "action"));
        Match match = null;
        Match second = null;
        int count = 0;
        String sum = null;
        String groupBy = null;
        double radius = 0;
        long window;
        int departments = 0;
        switch (kind) {
            case threshold -> {
                match = match(params, "match", "params.match");
                count = integer(params, "count", 2, 10_000, "params.count");
                sum = params.hasNonNull("sum") ? textAt(params, "sum", "params.sum") : null;
                groupBy = textAt(params, "groupBy", "params.groupBy");
                if (!GROUPS.contains(groupBy)) {
                    throw new RuleException(
                            "params.groupBy",
                            "must be one of radius, district, category, cell, was '"
                                    + groupBy
                                    + "'");
                }
                if (groupBy.equals("radius") || groupBy.equals("cell")) {
                    radius = meters(params, "radiusMeters", "params.radiusMeters");
                }
                window = seconds(params, "windowSeconds", "params.windowSeconds");
            }
            case colocation -> {
                match = params.has("match") ? match(params, "match", "params.match") : anything();
                departments = integer(params, "departments", 2, 4, "params.departments");
                radius = meters(params, "radiusMeters", "params.radiusMeters");
                window = seconds(params, "windowSeconds", "params.windowSeconds");
            }
            case sequence -> {
                match = match(params, "first", "params.first");
                second = match(params, "then", "params.then");
                radius = meters(params, "radiusMeters", "params.radiusMeters");
                window = seconds(params, "withinSeconds", "params.withinSeconds");
            }
            case absence -> {
                match = match(params, "first", "params.first");
                second = match(params, "missing", "params.missing");
                radius = meters(params, "radiusMeters", "params.radiusMeters");
                window = seconds(params, "withinSeconds", "params.withinSeconds");
            }
            default -> throw new RuleException("kind", "unsupported");
        }
        return new Rule(
                id,
                version,
                description,
                kind,
                enabled,
                dryRun,
                match,
                second,
                count,
                sum,
                groupBy,
                radius,
                window,
                departments,
                action,
                JSON.valueToTree(root).toString());
    }

    private static Rule.Kind kind(JsonNode root) throws RuleException {
        String kind = text(root, "kind");
        try {
            return Rule.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new RuleException(
                    "kind",
                    "must be one of threshold, colocation, sequence, absence, was '" + kind + "'");
        }
    }

    private static Rule.Action action(JsonNode node) throws RuleException {
        String type = textAt(node, "type", "action.type");
        if (!ACTIONS.contains(type)) {
            throw new RuleException(
                    "action.type",
                    "must be one of alert, raiseSeverity, createIncident, notifyDepartment, was '"
                            + type
                            + "'");
        }
        int severity =
                node.has("severity") ? integer(node, "severity", 1, 5, "action.severity") : 3;
        String department = null;
        if (node.hasNonNull("department")) {
            department = textAt(node, "department", "action.department");
            if (!isDepartment(department)) {
                throw new RuleException(
                        "action.department",
                        "must be one of police, fire, medical, traffic, was '" + department + "'");
            }
        }
        if (type.equals("notifyDepartment") && department == null) {
            throw new RuleException(
                    "action.department", "notifyDepartment needs the department to notify");
        }
        String message = textAt(node, "message", "action.message");
        return new Rule.Action(type, severity, department, message);
    }

    private static Match match(JsonNode parent, String name, String path) throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new RuleException(
                    path,
                    "is required: an object with categories, departments, feeds, minSeverity or attributes");
        }
        Set<String> categories =
                set(
                        node,
                        "categories",
                        path,
                        c -> Arrays.stream(Category.values()).anyMatch(k -> k.name().equals(c)),
                        "a unified category such as TRAFFIC_COLLISION");
        Set<String> departments =
                set(
                        node,
                        "departments",
                        path,
                        RuleParser::isDepartment,
                        "police, fire, medical or traffic");
        Set<String> feeds =
                set(
                        node,
                        "feeds",
                        path,
                        f -> FeedSpec.byName(f).isPresent(),
                        "a feed such as police.calls");
        int minSeverity =
                node.has("minSeverity")
                        ? integer(node, "minSeverity", 1, 5, path + ".minSeverity")
                        : 1;
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = node.get("attributes");
        if (attrs != null) {
            if (!attrs.isObject()) {
                throw new RuleException(
                        path + ".attributes", "must be an object of attribute name to value");
            }
            attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        return new Match(categories, departments, feeds, minSeverity, attributes);
    }

    private static Match anything() {
        return new Match(Set.of(), Set.of(), Set.of(), 1, Map.of());
    }

    private interface Check {
        boolean ok(String value);
    }

    private static Set<String> set(
            JsonNode node, String name, String path, Check check, String what)
            throws RuleException {
        Set<String> values = new LinkedHashSet<>();
        JsonNode array = node.get(name);
        if (array == null) {
            return values;
        }
        if (!array.isArray()) {
            throw new RuleException(path + "." + name, "must be an array");
        }
        for (JsonNode value : array) {
            if (!value.isTextual() || !check.ok(value.asText())) {
                throw new RuleException(
                        path + "." + name, "'" + value.asText() + "' is not " + what);
            }
            values.add(value.asText());
        }
        return values;
    }

    private static boolean isDepartment(String name) {
        return Arrays.stream(Department.values())
                .anyMatch(d -> d != Department.unknown && d.name().equals(name));
    }

    private static JsonNode object(JsonNode parent, String name) throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new RuleException(name, "is required and must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String name) throws RuleException {
        return textAt(parent, name, name);
    }

    private static String textAt(JsonNode parent, String name, String path) throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new RuleException(path, "is required and must be a non-empty string");
        }
        return node.asText();
    }

    private static boolean bool(JsonNode parent, String name) throws RuleException {
        JsonNode node = parent.get(name);
        if (!node.isBoolean()) {
            throw new RuleException(name, "must be true or false");
        }
        return node.asBoolean();
    }

    private static int integer(JsonNode parent, String name, int min, int max)
            throws RuleException {
        return integer(parent, name, min, max, name);
    }

    private static int integer(JsonNode parent, String name, int min, int max, String path)
            throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isIntegralNumber()) {
            throw new RuleException(path, "is required and must be a whole number");
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw new RuleException(
                    path, "must be between " + min + " and " + max + ", was " + value);
        }
        return (int) value;
    }

    private static double meters(JsonNode parent, String name, String path) throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isNumber() || node.asDouble() < 10 || node.asDouble() > 5000) {
            throw new RuleException(path, "is required: metres between 10 and 5000");
        }
        return node.asDouble();
    }

    private static long seconds(JsonNode parent, String name, String path) throws RuleException {
        JsonNode node = parent.get(name);
        if (node == null
                || !node.isIntegralNumber()
                || node.asLong() < 10
                || node.asLong() * 1000 > MAX_WINDOW_MILLIS) {
            throw new RuleException(
                    path, "is required: seconds between 10 and " + MAX_WINDOW_MILLIS / 1000);
        }
        return node.asLong() * 1000;
    }
}
