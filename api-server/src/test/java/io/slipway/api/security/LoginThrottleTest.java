package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.accounts.Passwords;
import io.slipway.api.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A password brute force through {@code heroku login -i}'s request, over real HTTP. ApiTest sets the limits to
 * 5 failures per account and 20 per address per window. Each test uses its own loopback source addresses.
 */
class LoginThrottleTest extends ApiTest {
    private static final int PER_ACCOUNT = 5;
    private static final int PER_ADDRESS = 20;

    @Autowired
    JdbcTemplate jdbc;

    private int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    /** 30 guesses at one account, each from a different address: refused after the account's limit. */
    @Test
    void bruteForceOfOneAccountIsThrottledAcrossAddresses() {
        User victim = newUser();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(LoginFrom.login(port(), LoginFrom.freshAddress(), victim.email(), "guess-" + i).status());
        }
        assertThat(statuses.subList(0, PER_ACCOUNT)).containsOnly(401);
        assertThat(statuses.subList(PER_ACCOUNT, 30)).containsOnly(429);

        LoginFrom.Answer refused = LoginFrom.login(port(), LoginFrom.freshAddress(), victim.email(), victim.password());
        assertThat(refused.status()).as("the right password while throttled").isEqualTo(429);
        assertThat(refused.body()).contains("\"id\":\"rate_limit\"").contains("Too many failed login attempts");
        assertThat(refused.retryAfter()).isNotNull();
        assertThat(Long.parseLong(refused.retryAfter())).isPositive();

        // the victim's API key keeps working: only password logins are throttled
        assertThat(call("GET", "/account").as(victim).send().status()).isEqualTo(200);
    }

    /** 30 guesses from one address, each at a different account: refused after the address's limit. */
    @Test
    void oneAddressGuessingManyAccountsIsThrottled() {
        String attacker = LoginFrom.freshAddress();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(LoginFrom.login(port(), attacker, newUser().email(), "guess").status());
        }
        assertThat(statuses.subList(0, PER_ADDRESS)).containsOnly(401);
        assertThat(statuses.subList(PER_ADDRESS, 30)).containsOnly(429);

        // the attacker's own right password does not lift the address's throttle for other accounts
        User own = newUser();
        assertThat(LoginFrom.login(port(), attacker, own.email(), own.password()).status()).isEqualTo(429);
        // another address is not affected
        assertThat(LoginFrom.login(port(), LoginFrom.freshAddress(), own.email(), own.password()).status())
                .isEqualTo(201);
    }

    /** A success does not erase the failures the same address made against other accounts. */
    @Test
    void successDoesNotResetTheAddressCount() {
        String address = LoginFrom.freshAddress();
        User own = newUser();
        for (int i = 0; i < PER_ADDRESS - 1; i++) {
            assertThat(LoginFrom.login(port(), address, newUser().email(), "guess").status()).isEqualTo(401);
        }
        assertThat(LoginFrom.login(port(), address, own.email(), own.password()).status()).isEqualTo(201);
        assertThat(LoginFrom.login(port(), address, newUser().email(), "guess").status()).isEqualTo(401);
        assertThat(LoginFrom.login(port(), address, newUser().email(), "guess").status()).isEqualTo(429);
    }

    /** Unknown emails are throttled like known ones (the throttle does not reveal which emails exist). */
    @Test
    void unknownEmailsAreThrottledLikeKnownOnes() {
        String email = "nobody-" + System.nanoTime() + "@example.com";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < PER_ACCOUNT + 2; i++) {
            statuses.add(LoginFrom.login(port(), LoginFrom.freshAddress(), email, "guess").status());
        }
        assertThat(statuses.subList(0, PER_ACCOUNT)).containsOnly(401);
        assertThat(statuses.subList(PER_ACCOUNT, PER_ACCOUNT + 2)).containsOnly(429);
    }

    /** An unknown email costs one PBKDF2 derivation, exactly as a wrong password does. */
    @Test
    void unknownEmailComputesTheSameHashAsAWrongPassword() {
        User known = newUser();
        long before = Passwords.derivations();
        assertThat(LoginFrom.login(port(), LoginFrom.freshAddress(), known.email(), "wrong").status()).isEqualTo(401);
        long wrongPassword = Passwords.derivations() - before;

        before = Passwords.derivations();
        assertThat(LoginFrom.login(port(), LoginFrom.freshAddress(), "ghost-" + System.nanoTime() + "@example.com",
                "wrong").body()).contains("\"id\":\"unauthorized\"");
        long unknownEmail = Passwords.derivations() - before;

        assertThat(wrongPassword).isEqualTo(1);
        assertThat(unknownEmail).isEqualTo(wrongPassword);
    }

    /** The counts live in PostgreSQL, where every api-server replica reads them. */
    @Test
    void countsAreSharedThroughTheDatabase() {
        String address = LoginFrom.freshAddress();
        LoginFrom.login(port(), address, newUser().email(), "guess");
        Integer failures = jdbc.queryForObject(
                "SELECT failures FROM login_failures WHERE scope = 'address' AND key = ?", Integer.class, address);
        assertThat(failures).isEqualTo(1);
    }
}
