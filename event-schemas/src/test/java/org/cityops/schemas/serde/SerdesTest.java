package org.cityops.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.kafka.common.errors.SerializationException;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.PoliceCall;
import org.junit.jupiter.api.Test;

class SerdesTest {

    private static final PoliceCall CALL =
            ((Decoded.Accepted<PoliceCall>)
                            new FeedDecoder<>(FeedSpec.POLICE_CALLS)
                                    .decodeJson(
                                            "{\"callId\":\"P-1\",\"receivedAt\":\"2018-12-01T00:25:00-08:00\",\"category\":\"ROBBERY\","
                                                    + "\"priority\":2,\"location\":{\"lat\":37.7,\"lon\":-122.4}}"))
                    .record();

    @Test
    void kafkaSerdeRoundTripsAndNamesTheTopicWhenItCannotDecode() {
        AvroSerde<PoliceCall> serde = new AvroSerde<>(PoliceCall.class);
        assertThat(serde.deserialize("police.calls", serde.serialize("police.calls", CALL)))
                .isEqualTo(CALL);
        assertThatThrownBy(() -> serde.deserialize("police.calls", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("police.calls");
    }

    @Test
    void flinkSchemaRoundTripsWithAvroTypeInformationNotKryo() throws Exception {
        AvroFlinkSchema<PoliceCall> schema = new AvroFlinkSchema<>(PoliceCall.class);
        assertThat(schema.deserialize(schema.serialize(CALL))).isEqualTo(CALL);
        assertThat(schema.getProducedType()).isInstanceOf(AvroTypeInfo.class);
    }
}
