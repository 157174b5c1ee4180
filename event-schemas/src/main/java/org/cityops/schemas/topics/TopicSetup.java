package org.cityops.schemas.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates every CityOps topic with the configuration {@link Topics#configOf} gives, and sets that
 * configuration on topics that already exist (a data directory from an older build), so a topic
 * never runs on broker defaults by accident.
 */
public final class TopicSetup {

    private TopicSetup() {}

    /**
     * {@code TopicSetup <bootstrap servers> <partitions> <replication factor> [prefix]}: what the
     * runbook runs once per installation (and again after an upgrade that changes a topic's
     * configuration).
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println(
                    "usage: TopicSetup <bootstrap servers> <partitions> <replication factor> [prefix]");
            System.exit(2);
        }
        Topics topics = args.length > 3 ? Topics.withPrefix(args[3]) : Topics.standard();
        ensure(args[0], topics, Integer.parseInt(args[1]), Short.parseShort(args[2]));
        topics.all().forEach(t -> System.out.println(t.name() + " " + topics.configOf(t)));
    }

    public static void ensure(
            String bootstrapServers, Topics topics, int partitions, short replicationFactor) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> updates = new HashMap<>();
            for (Topic<?> topic : topics.all()) {
                Map<String, String> config = topics.configOf(topic);
                if (existing.contains(topic.name())) {
                    updates.put(
                            new ConfigResource(ConfigResource.Type.TOPIC, topic.name()),
                            config.entrySet().stream()
                                    .map(
                                            e ->
                                                    new AlterConfigOp(
                                                            new ConfigEntry(
                                                                    e.getKey(), e.getValue()),
                                                            AlterConfigOp.OpType.SET))
                                    .toList());
                } else {
                    missing.add(
                            new NewTopic(topic.name(), partitions, replicationFactor)
                                    .configs(config));
                }
            }
            for (var created : admin.createTopics(missing).values().values()) {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // another process created it between listing and creating: same registry
                    if (!(e.getCause()
                            instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!updates.isEmpty()) {
                admin.incrementalAlterConfigs(updates).all().get(30, TimeUnit.SECONDS);
            }
            awaitLeaders(admin, missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create or configure the CityOps topics on " + bootstrapServers, e);
        }
    }

    /**
     * Returns once the leader of every partition of the new topics has opened it. An idempotent
     * producer writing to a partition its leader has not opened yet can lose its first batch with
     * no error at the broker (KAFKA-15591, Kafka 4.2.0): the first request fails
     * NOT_LEADER_OR_FOLLOWER, a later one is appended, and every retry of the first is then out of
     * order until it expires. Reproduced by {@code ./cityops bench --rebuild} (4 of 4 runs lost
     * records before this wait). Listing offsets is answered by the partition's leader only, and
     * the admin client retries it until the leader can: no record is written to probe.
     */
    private static void awaitLeaders(Admin admin, List<NewTopic> created)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        for (NewTopic topic : created) {
            for (int p = 0; p < topic.numPartitions(); p++) {
                all.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        if (all.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(all).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // the admin client retries a leader that is not ready, but not a topic its
                // metadata does not show yet: ask again until it does
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
