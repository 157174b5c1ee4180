package org.cityops.livestate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisLiveViewITCase extends LiveViewContract {

    private String prefix;

    @Override
    LiveView newView() {
        prefix = TestInfra.uniquePrefix("live");
        return LiveViews.open(LiveViews.redisTarget(TestInfra.redisUri(), prefix));
    }

    @Test
    void keepsWorkingAfterRedisLosesItsScripts() {
        view.apply(List.of(incident("I-1", 1, "DISCOVERED", List.of("police"), "Mission", 1)));
        try (RedisClient admin = RedisClient.create(java.net.URI.create(TestInfra.redisUri()))) {
            admin.scriptFlush();
        }

        view.apply(List.of(incident("I-1", 2, "DISPATCHED", List.of("police"), "Mission", 1)));

        assertThat(view.incident("I-1")).get().asString().contains("DISPATCHED");
    }
}
