package org.cityops.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.cityops.schemas.Department;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokensTest {

    private final Vertx vertx = Vertx.vertx();
    private final Tokens tokens =
            new Tokens(vertx, new AccessConfig("a-unit-test-secret-of-at-least-32-bytes", null));

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aTokenWithoutALifetimeIsNeverIssued() {
        // Vert.x leaves "exp" out for a non-positive lifetime: such a token would never expire
        Reader reader = new Reader("someone", Role.dispatcher, Department.fire);
        assertThatThrownBy(() -> tokens.issue(reader, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue(reader, Duration.ofSeconds(-60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIssuedTokenReadsBackAsItsReader() throws Exception {
        Reader reader = new Reader("someone", Role.dispatcher, Department.fire);
        String token = tokens.issue(reader, Duration.ofMinutes(1));
        assertThat(
                        tokens.verify(token)
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(5, TimeUnit.SECONDS))
                .isEqualTo(reader);
    }
}
