package org.cityops.jobs.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cityops.schemas.geo.Geo;
import org.cityops.schemas.rules.Match;
import org.cityops.schemas.rules.Rule;

/**
 * Evaluates the active detection rules over recent fused reports. Plain Java; the memory it works
 * on is given to it (Flink keeps it in keyed state). Works in event time: a report that arrives out
 * of order is placed where it belongs, so a burst is found whatever order its reports came in. A
 * burst fires once: reports that took part in a firing of a rule do not fire that rule again.
 */
public final class RuleEngine {

    /**
     * Reports older than this behind the newest event time are dropped (the longest rule window).
     */
    static final long MEMORY_MILLIS = 2 * 3600 * 1000L;

    /** A rule fired, on this evidence, at this event time. */
    public record Firing(Rule rule, List<RuleEvent> evidence, long firedAt) {}

    private final Map<String, Rule> rules = new TreeMap<>();

    public RuleEngine(Collection<Rule> active) {
        active.stream().filter(Rule::enabled).forEach(r -> rules.put(r.id(), r));
    }

    public Collection<Rule> rules() {
        return rules.values();
    }

    /** A report (new, revised or cancelled) of a fused incident. */
    public List<Firing> onEvent(RuleMemory memory, RuleEvent event) {
        memory.events.removeIf(e -> e.eventId.equals(event.eventId));
        List<Firing> firings = new ArrayList<>();
        if (event.cancelled) {
            memory.pending.removeIf(p -> p.eventId.equals(event.eventId));
            return firings;
        }
        memory.events.add(event);
        for (Rule rule : rules.values()) {
            memory.stats(rule.id()).evaluations++;
            List<RuleEvent> evidence =
                    switch (rule.kind()) {
                        case threshold -> threshold(rule, memory, event);
                        case colocation -> colocation(rule, memory, event);
                        case sequence -> sequence(rule, memory, event);
                        case absence -> {
                            if (matches(rule.match(), event) && !fired(memory, rule, event)) {
                                memory.pending.removeIf(
                                        p ->
                                                p.ruleId.equals(rule.id())
                                                        && p.eventId.equals(event.eventId));
                                memory.pending.add(
                                        new RuleMemory.Mark(
                                                rule.id(),
                                                event.eventId,
                                                event.time + rule.windowMillis()));
                            }
                            yield List.of();
                        }
                    };
            if (!evidence.isEmpty()) {
                firings.add(fire(memory, rule, evidence));
            }
        }
        return firings;
    }

    /** Event time reached {@code watermark}: absence checks that are due, and forgetting. */
    public List<Firing> onTime(RuleMemory memory, long watermark) {
        List<Firing> firings = new ArrayList<>();
        for (Iterator<RuleMemory.Mark> it = memory.pending.iterator(); it.hasNext(); ) {
            RuleMemory.Mark due = it.next();
            if (due.until > watermark) {
                continue;
            }
            it.remove();
            Rule rule = rules.get(due.ruleId);
            RuleEvent first = find(memory, due.eventId);
            if (rule == null || first == null || fired(memory, rule, first)) {
                continue;
            }
            boolean followed =
                    memory.events.stream()
                            .anyMatch(
                                    b ->
                                            matches(rule.second(), b)
                                                    && b.time >= first.time
                                                    && b.time <= first.time + rule.windowMillis()
                                                    && near(first, b, rule.radiusMeters()));
            if (!followed) {
                firings.add(fire(memory, rule, List.of(first)));
            }
        }
        long horizon = watermark - MEMORY_MILLIS;
        memory.events.removeIf(
                e ->
                        e.time <= horizon
                                && memory.pending.stream()
                                        .noneMatch(p -> p.eventId.equals(e.eventId)));
        memory.fired.removeIf(f -> f.until <= watermark);
        return firings;
    }

    /** When the engine next needs to look at the clock, or Long.MAX_VALUE. */
    public static long nextDeadline(RuleMemory memory) {
        long next = Long.MAX_VALUE;
        for (RuleMemory.Mark p : memory.pending) {
            next = Math.min(next, p.until);
        }
        for (RuleEvent e : memory.events) {
            next = Math.min(next, e.time + MEMORY_MILLIS);
        }
        return next;
    }

    private List<RuleEvent> threshold(Rule rule, RuleMemory memory, RuleEvent event) {
        if (!matches(rule.match(), event)) {
            return List.of();
        }
        List<RuleEvent> group = candidates(rule, memory, event, c -> sameGroup(rule, event, c));
        return window(
                group,
                event,
                rule.windowMillis(),
                w -> {
                    double value =
                            rule.sumAttribute() == null
                                    ? w.size()
                                    : w.stream()
                                            .mapToDouble(
                                                    c ->
                                                            number(
                                                                    c.attributes.get(
                                                                            rule.sumAttribute())))
                                            .sum();
                    return value >= rule.count()
                            && w.stream().noneMatch(c -> fired(memory, rule, c));
                });
    }

    private List<RuleEvent> colocation(Rule rule, RuleMemory memory, RuleEvent event) {
        if (!matches(rule.match(), event)) {
            return List.of();
        }
        List<RuleEvent> near =
                candidates(rule, memory, event, c -> near(event, c, rule.radiusMeters()));
        return window(
                near,
                event,
                rule.windowMillis(),
                w -> {
                    Set<String> departments = new HashSet<>();
                    w.forEach(c -> departments.add(c.department));
                    return departments.size() >= rule.departments()
                            && w.stream().noneMatch(c -> fired(memory, rule, c));
                });
    }

    /**
     * Matching reports within the rule's window of {@code event} that pass {@code together}, by
     * time.
     */
    private static List<RuleEvent> candidates(
            Rule rule,
            RuleMemory memory,
            RuleEvent event,
            java.util.function.Predicate<RuleEvent> together) {
        return byTime(
                memory.events.stream()
                        .filter(
                                c ->
                                        matches(rule.match(), c)
                                                && Math.abs(c.time - event.time)
                                                        <= rule.windowMillis()
                                                && together.test(c))
                        .toList());
    }

    private List<RuleEvent> sequence(Rule rule, RuleMemory memory, RuleEvent event) {
        if (matches(rule.second(), event)) {
            for (RuleEvent a : byTime(memory.events)) {
                if (a != event
                        && matches(rule.match(), a)
                        && a.time <= event.time
                        && event.time <= a.time + rule.windowMillis()
                        && near(a, event, rule.radiusMeters())
                        && !fired(memory, rule, a)) {
                    return List.of(a, event);
                }
            }
        }
        if (matches(rule.match(), event) && !fired(memory, rule, event)) {
            for (RuleEvent b : byTime(memory.events)) {
                if (b != event
                        && matches(rule.second(), b)
                        && event.time <= b.time
                        && b.time <= event.time + rule.windowMillis()
                        && near(event, b, rule.radiusMeters())) {
                    return List.of(event, b);
                }
            }
        }
        return List.of();
    }

    private interface Test {
        boolean holds(List<RuleEvent> window);
    }

    /**
     * The first time window of the given length that contains {@code event} and passes the test.
     */
    private static List<RuleEvent> window(
            List<RuleEvent> sorted, RuleEvent event, long length, Test test) {
        for (RuleEvent start : sorted) {
            if (start.time > event.time) {
                break;
            }
            if (event.time - start.time > length) {
                continue;
            }
            List<RuleEvent> window =
                    sorted.stream()
                            .filter(c -> c.time >= start.time && c.time <= start.time + length)
                            .toList();
            if (window.contains(event) && test.holds(window)) {
                return window;
            }
        }
        return List.of();
    }

    private Firing fire(RuleMemory memory, Rule rule, List<RuleEvent> evidence) {
        long firedAt = evidence.stream().mapToLong(e -> e.time).max().orElseThrow();
        for (RuleEvent e : evidence) {
            memory.fired.add(
                    new RuleMemory.Mark(rule.id(), e.eventId, e.time + 2 * rule.windowMillis()));
        }
        RuleMemory.RuleStats stats = memory.stats(rule.id());
        stats.firings++;
        stats.lastFiredAt = Math.max(stats.lastFiredAt, firedAt);
        return new Firing(rule, evidence, firedAt);
    }

    private static boolean fired(RuleMemory memory, Rule rule, RuleEvent event) {
        return memory.fired.stream()
                .anyMatch(f -> f.ruleId.equals(rule.id()) && f.eventId.equals(event.eventId));
    }

    private static boolean sameGroup(Rule rule, RuleEvent a, RuleEvent b) {
        return switch (rule.groupBy()) {
            case "radius" -> near(a, b, rule.radiusMeters());
            case "district" -> a.district != null && a.district.equals(b.district);
            case "category" -> a.category.equals(b.category);
            case "cell" -> cell(a, rule.radiusMeters()) == cell(b, rule.radiusMeters());
            default -> false;
        };
    }

    private static long cell(RuleEvent e, double meters) {
        long row = (long) Math.floor(e.lat / Geo.latDegrees(meters));
        long col = (long) Math.floor(e.lon / Geo.lonDegrees(meters, 37.77));
        return (row << 32) ^ (col & 0xffffffffL);
    }

    private static boolean near(RuleEvent a, RuleEvent b, double meters) {
        return Geo.meters(a.lat, a.lon, b.lat, b.lon) <= meters;
    }

    private static boolean matches(Match match, RuleEvent e) {
        return match.matches(e.category, e.department, e.feed, e.severity, e.attributes);
    }

    private static RuleEvent find(RuleMemory memory, String eventId) {
        return memory.events.stream()
                .filter(e -> e.eventId.equals(eventId))
                .findFirst()
                .orElse(null);
    }

    private static List<RuleEvent> byTime(List<RuleEvent> events) {
        return events.stream()
                .sorted(
                        Comparator.comparingLong((RuleEvent c) -> c.time)
                                .thenComparing(c -> c.eventId))
                .toList();
    }

    private static double number(String text) {
        try {
            return text == null ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
