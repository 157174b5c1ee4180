package org.cityops.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.topics.Topics;

/** {@code ./cityops replay [--bootstrap HOST:PORT] [--speed realtime|N|max] [--feed F] FILE...} */
public final class ReplayMain {

    static final String USAGE =
            """
            usage: cityops replay [--bootstrap HOST:PORT] [--speed realtime|N|max] [--feed FEED]
                                  [--topic-prefix P] FILE...
              FILE        contract JSON lines, named <feed>.jsonl or <feed>.jsonl.gz
                          (police.calls, fire.alarms, medical.calls, traffic.incidents, traffic.readings),
                          or dispatch.feedback.jsonl: departments' unit statuses (docs/lifecycle.md)
                          or NAME.xml: one CAP 1.2 message for cap.alerts, sent in order of its
                          sent time (docs/warnings.md)
              --bootstrap Kafka bootstrap servers (default localhost:9092)
              --speed     realtime, N times real time, or max (default max)
              --feed      the feed of every FILE, whatever their names
            """;

    private ReplayMain() {}

    public static void main(String[] args) {
        String bootstrap = "localhost:9092";
        Speed speed = Speed.MAX;
        FeedSpec<?> feed = null;
        String prefix = "";
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap" -> bootstrap = args[++i];
                    case "--speed" -> speed = Speed.parse(args[++i]);
                    case "--topic-prefix" -> prefix = args[++i];
                    case "--feed" -> {
                        String name = args[++i];
                        feed =
                                FeedSpec.byName(name)
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                "unknown feed " + name));
                    }
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> {
                        Path file = Path.of(args[i]);
                        if (!Files.isReadable(file)) {
                            throw new IllegalArgumentException("cannot read " + file);
                        }
                        files.add(file);
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no files to replay");
            }
            if (feed == null) {
                files.forEach(Replayer::feedOfFile);
            }
        } catch (RuntimeException e) {
            System.err.println("cityops replay: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.err.printf(
                "replaying %d file(s) into %s at speed %s%n", files.size(), bootstrap, speed);
        long started = System.nanoTime();
        try (Replayer replayer = new Replayer(bootstrap, Topics.withPrefix(prefix))) {
            Runtime.getRuntime().addShutdownHook(new Thread(replayer::stop));
            ReplayReport report = replayer.replay(files, feed, speed, r -> progress(r, started));
            progress(report, started);
            System.err.println();
            System.out.print(report.table());
        }
    }

    static void progress(ReplayReport report, long startedNanos) {
        double seconds = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                "\rreplayed %,d lines in %.0f s (%,.0f lines/s)",
                                report.totalLines(), seconds, report.totalLines() / seconds));
        for (FeedCounts f : report.feeds()) {
            line.append(String.format(" · %s %,d", f.feed(), f.lines()));
        }
        System.err.print(line);
        System.err.flush();
    }
}
