package io.slipway.api.addons.redis;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface RedisInstanceRepository extends JpaRepository<RedisInstance, UUID> {
    @Query("select r.port from RedisInstance r")
    List<Integer> usedPorts();
}
