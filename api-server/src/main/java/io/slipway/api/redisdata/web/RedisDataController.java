package io.slipway.api.redisdata.web;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.addons.redis.ChangeRedisSettings;
import io.slipway.api.addons.redis.FindRedisDatabase;
import io.slipway.api.addons.redis.RedisDatabase;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The part of Heroku's data API the stock CLI's {@code redis:*} commands call on {@code HEROKU_DATA_HOST} (the
 * api-server's own public listener, the user's API key): {@code redis:info}, {@code redis:cli},
 * {@code redis:credentials}, {@code redis:maxmemory}, {@code redis:timeout}. {@code {addon}} is the add-on's name
 * or id; an add-on the caller cannot see answers like a missing one.
 */
@RestController
public class RedisDataController {
    private final FindRedisDatabase find;
    private final ChangeRedisSettings change;
    private final ObjectMapper mapper;

    public RedisDataController(FindRedisDatabase find, ChangeRedisSettings change, ObjectMapper mapper) {
        this.find = find;
        this.change = change;
        this.mapper = mapper;
    }

    @GetMapping("/redis/v0/databases/{addon}")
    public Map<String, Object> show(Caller caller, @PathVariable String addon) {
        return RedisDatabaseView.of(find.visible(caller, addon));
    }

    @PatchMapping("/redis/v0/databases/{addon}/config")
    public Map<String, Object> changeConfig(Caller caller, @PathVariable String addon,
                                            @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String policy = json.optString("maxmemory_policy");
        Integer timeout = null;
        if (json.has("timeout") && !json.isNull("timeout")) {
            JsonNode t = json.node("timeout");
            if (!t.isIntegralNumber() || !t.canConvertToInt()) throw new InvalidInput("timeout must be a number of seconds.");
            timeout = t.intValue();
        }
        if (policy == null && timeout == null) {
            throw new InvalidInput("Give maxmemory_policy or timeout.");
        }
        RedisDatabase db = change.change(caller, addon, policy, timeout);
        return RedisDatabaseView.config(db);
    }

    @PostMapping("/redis/v0/databases/{addon}/credentials_rotation")
    public Object rotateCredentials(Caller caller, @PathVariable String addon) {
        find.billedTo(caller, addon);
        throw new InvalidInput("Rotating Redis credentials is not supported on this platform yet: destroy "
                + "and create the add-on to get a new password.");
    }
}
