package org.cityops.bench;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * State bytes per operator of a completed checkpoint, read from its metadata and named by the job's
 * operator uids (an operator's id is the hash of its uid), largest first.
 */
final class StateSizes {

    /** The keyed operators of the ingest job whose state grows with the data. */
    static final List<String> UIDS =
            List.of(
                    "incidents",
                    "fusion",
                    "deduplicate",
                    "congestion",
                    "kpis",
                    "rules",
                    "feed-health",
                    "source-police.calls",
                    "source-traffic.readings");

    private StateSizes() {}

    static Map<String, Long> of(Path checkpoint) throws Exception {
        Map<OperatorID, String> names = new LinkedHashMap<>();
        for (String uid : UIDS) {
            names.put(new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)), uid);
        }
        CheckpointMetadata metadata;
        try (DataInputStream in =
                new DataInputStream(Files.newInputStream(checkpoint.resolve("_metadata")))) {
            metadata =
                    Checkpoints.loadCheckpointMetadata(
                            in, StateSizes.class.getClassLoader(), checkpoint.toString());
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        long other = 0;
        for (OperatorState state : metadata.getOperatorStates()) {
            String name = names.get(state.getOperatorID());
            if (name == null) {
                other += state.getStateSize();
            } else {
                sizes.put(name, state.getStateSize());
            }
        }
        sizes.put("(other operators)", other);
        return sizes;
    }
}
