package org.cityops.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

/** One Kafka topic: its name, and the serdes of its keys and values. */
public record Topic<V>(
        String name, Class<V> valueType, Serde<String> keySerde, Serde<V> valueSerde) {}
