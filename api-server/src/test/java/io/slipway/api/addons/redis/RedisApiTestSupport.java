package io.slipway.api.addons.redis;

import io.slipway.api.addons.AddonRepository;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.support.ApiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/** What the heroku-redis tests share: real redis-server instances run by a {@link RedisFixture} for the class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisApiTestSupport extends ApiTest {
    @Autowired
    AddonRepository addons;
    @Autowired
    RedisInstanceRepository instances;
    @Autowired
    AppRepository apps;
    RedisFixture redis;

    @BeforeAll
    void startRedis() {
        redis = new RedisFixture(addons, instances);
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }
}
