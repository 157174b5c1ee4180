package org.cityops.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cityops.schemas.rules.Rule;
import org.cityops.schemas.rules.RuleException;
import org.cityops.schemas.rules.RuleParser;
import org.cityops.schemas.topics.Topics;

/**
 * {@code ./cityops rules validate FILE... | publish [--bootstrap H:P] FILE... | list [--bootstrap
 * H:P] | retire [--bootstrap H:P] ID}
 */
public final class RulesMain {

    static final String USAGE =
            """
            usage: cityops rules validate FILE...
                   cityops rules publish [--bootstrap HOST:PORT] [--topic-prefix P] FILE...
                   cityops rules list    [--bootstrap HOST:PORT] [--topic-prefix P]
                   cityops rules retire  [--bootstrap HOST:PORT] [--topic-prefix P] RULE_ID
              FILE: one rule (a JSON object) or a JSON array of rules; see docs/rules.md
            """;

    private RulesMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            fail("no command");
        }
        String bootstrap = "localhost:9092";
        String prefix = "";
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--topic-prefix" -> prefix = args[++i];
                default -> rest.add(args[i]);
            }
        }
        switch (args[0]) {
            case "validate" -> {
                System.out.println(validated(rest).size() + " rule(s) valid");
            }
            case "publish" -> {
                List<Rule> rules = validated(rest);
                try (RulePublisher publisher =
                        new RulePublisher(bootstrap, Topics.withPrefix(prefix))) {
                    publisher.publish(rules);
                }
                System.out.println(
                        "published "
                                + rules.size()
                                + " rule(s); the running job applies them within a second"
                                + " (GET /api/v1/rules shows whether each was accepted)");
            }
            case "list" -> {
                try (RulePublisher publisher =
                        new RulePublisher(bootstrap, Topics.withPrefix(prefix))) {
                    Map<String, String> rules = publisher.list();
                    System.out.printf(
                            "%-32s %7s %-11s %-8s %-7s %s%n",
                            "id", "version", "kind", "enabled", "dryRun", "description");
                    for (String json : rules.values()) {
                        try {
                            Rule r = RuleParser.parse(json);
                            System.out.printf(
                                    "%-32s %7d %-11s %-8s %-7s %s%n",
                                    r.id(),
                                    r.version(),
                                    r.kind(),
                                    r.enabled(),
                                    r.dryRun(),
                                    r.description().length() > 70
                                            ? r.description().substring(0, 70) + "…"
                                            : r.description());
                        } catch (RuleException e) {
                            System.out.println(
                                    "(invalid document on the topic: " + e.getMessage() + ")");
                        }
                    }
                }
            }
            case "retire" -> {
                if (rest.size() != 1) {
                    fail("retire takes one rule id");
                }
                try (RulePublisher publisher =
                        new RulePublisher(bootstrap, Topics.withPrefix(prefix))) {
                    publisher.retire(rest.get(0));
                }
                System.out.println("retired " + rest.get(0));
            }
            default -> fail("unknown command " + args[0]);
        }
    }

    /** Every rule of the files, or exit 1 naming the file, the field and the problem. */
    static List<Rule> validated(List<String> files) throws Exception {
        if (files.isEmpty()) {
            fail("no rule files given");
        }
        List<Rule> rules = new ArrayList<>();
        boolean ok = true;
        for (String file : files) {
            try {
                List<Rule> parsed = RuleParser.parseAll(Files.readString(Path.of(file)));
                for (Rule r : parsed) {
                    System.out.printf(
                            "ok   %s: %s v%d (%s%s)%n",
                            file, r.id(), r.version(), r.kind(), r.dryRun() ? ", dry run" : "");
                }
                rules.addAll(parsed);
            } catch (RuleException e) {
                System.out.printf("FAIL %s: %s%n", file, e.getMessage());
                ok = false;
            }
        }
        if (!ok) {
            System.exit(1);
        }
        return rules;
    }

    private static void fail(String message) {
        System.err.println("cityops rules: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
