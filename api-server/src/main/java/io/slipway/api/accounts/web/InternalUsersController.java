package io.slipway.api.accounts.web;

import io.slipway.api.accounts.CreateUser;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * Internal API: account creation for operators ({@code slipway users:create} while the platform runs).
 * On the internal listener, with the operator's token only. Not part of Heroku's API,
 * so the body is Slipway's own: {@code {"email","password","admin"}} in, {@code {"id","email","api_key"}} out.
 */
@RestController
@InternalApi(ComponentRole.OPERATOR)
public class InternalUsersController {
    private final CreateUser createUser;
    private final ObjectMapper mapper;

    public InternalUsersController(CreateUser createUser, ObjectMapper mapper) {
        this.createUser = createUser;
        this.mapper = mapper;
    }

    @PostMapping("/internal/users")
    public ResponseEntity<InternalUserJson> create(@RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String email = json.requireString("email");
        String password = json.optString("password");
        boolean admin = Boolean.TRUE.equals(json.optBoolean("admin"));
        CreateUser.Created created = createUser.create(email, password, admin);
        return ResponseEntity.status(HttpStatus.CREATED).body(
                new InternalUserJson(created.account().id(), created.account().email(), created.apiKey()));
    }
}
