package io.slipway.api.accounts.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.accounts.UpdateAccount;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * Platform API: the caller's account. {@code /users/{user}} answers only for the caller ({@code ~}, their
 * email or id); any other user is not found, so accounts cannot be enumerated.
 */
@RestController
public class AccountController {
    /** Fields Heroku accepts elsewhere or not at all; refused so that a client does not believe they changed. */
    private static final Set<String> NOT_CHANGEABLE = Set.of("email", "password", "new_password", "current_password");
    private final AccountRepository accounts;
    private final UpdateAccount updateAccount;
    private final ObjectMapper mapper;

    public AccountController(AccountRepository accounts, UpdateAccount updateAccount, ObjectMapper mapper) {
        this.accounts = accounts;
        this.updateAccount = updateAccount;
        this.mapper = mapper;
    }

    @GetMapping("/account")
    public AccountJson info(Caller caller) {
        return AccountJson.of(load(caller));
    }

    @PatchMapping("/account")
    public AccountJson update(Caller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        for (String field : NOT_CHANGEABLE) {
            if (json.has(field)) {
                throw ApiErrors.invalidParams("`" + field + "` cannot be changed through the API; ask an operator of this platform.");
            }
        }
        Account account = updateAccount.update(caller.accountId(), new UpdateAccount.Changes(
                json.has("name"), json.optString("name"), json.optBoolean("beta"), json.optBoolean("allow_tracking")));
        return AccountJson.of(account);
    }

    @GetMapping("/users/{user}")
    public AccountJson user(Caller caller, @PathVariable String user) {
        requireSelf(caller, user);
        return info(caller);
    }

    @PatchMapping("/users/{user}")
    public AccountJson updateUser(Caller caller, @PathVariable String user, @RequestBody(required = false) String body) {
        requireSelf(caller, user);
        return update(caller, body);
    }

    private Account load(Caller caller) {
        return accounts.findById(caller.accountId()).orElseThrow(() -> ApiErrors.notFound("account", null));
    }

    private static void requireSelf(Caller caller, String user) {
        boolean self = user.equals("~") || user.equalsIgnoreCase(caller.email())
                || user.equals(caller.accountId().toString());
        if (!self) throw ApiErrors.notFound("user", user);
    }
}
