package org.cityops.infra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One broker of a three-broker KRaft cluster, as a process of its own (so a drill can kill it with
 * SIGKILL): {@code KafkaBrokerProcess <node id> <broker port> <controller port> <voters> <cluster
 * id> <data dir>}. Replication is what a production cluster uses — every internal topic on all
 * three brokers, writes acknowledged by two — and it prints {@code READY} when it serves.
 */
public final class KafkaBrokerProcess {

    private KafkaBrokerProcess() {}

    /** Broker settings for a cluster of three that survives the loss of one broker. */
    public static Map<String, String> replicatedThreeWays() {
        Map<String, String> settings = new HashMap<>();
        settings.put("default.replication.factor", "3");
        settings.put("min.insync.replicas", "2");
        settings.put("offsets.topic.replication.factor", "3");
        settings.put("transaction.state.log.replication.factor", "3");
        settings.put("transaction.state.log.min.isr", "2");
        settings.put("unclean.leader.election.enable", "false");
        return settings;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println(
                    "usage: KafkaBrokerProcess <node id> <broker port> <controller port> <voters>"
                            + " <cluster id> <data dir>");
            System.exit(2);
        }
        EmbeddedKafka.Member member =
                new EmbeddedKafka.Member(
                        Integer.parseInt(args[0]),
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]));
        EmbeddedKafka broker =
                EmbeddedKafka.startMember(
                        member, args[3], args[4], Path.of(args[5]), replicatedThreeWays());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println("READY " + broker.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await(); // serves until the process is stopped or killed
    }
}
