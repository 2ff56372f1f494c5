package io.slipway.api.apps;

import io.slipway.api.errors.NotFound;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who can use an app, as {@code heroku access} shows it: the owner (role {@code owner}) and the
 * collaborators (role {@code collaborator}). The owner has no collaborator row; its entry gets a stable id
 * derived from the app and the owner, so it can be addressed like the others.
 */
@Component
public class AppMembers {
    public static final String ROLE_OWNER = "owner";
    public static final String ROLE_COLLABORATOR = "collaborator";
    private final CollaboratorRepository collaborators;
    private final AccountRepository accounts;

    public AppMembers(CollaboratorRepository collaborators, AccountRepository accounts) {
        this.collaborators = collaborators;
        this.accounts = accounts;
    }

    public record Member(UUID id, String role, Account account, Instant createdAt, Instant updatedAt) {
        public boolean isOwner() {
            return ROLE_OWNER.equals(role);
        }
    }

    /** The owner first, then collaborators in the order they were added. */
    @Transactional(readOnly = true)
    public List<Member> list(App app) {
        List<Collaborator> rows = collaborators.findByAppIdOrderByCreatedAt(app.id());
        List<UUID> ids = new ArrayList<>(rows.stream().map(Collaborator::accountId).toList());
        ids.add(app.ownerId());
        Map<UUID, Account> byId = accounts.findAllById(ids).stream()
                .collect(Collectors.toMap(Account::id, Function.identity()));
        List<Member> members = new ArrayList<>();
        members.add(owner(app, byId.get(app.ownerId())));
        for (Collaborator c : rows) {
            Account a = byId.get(c.accountId());
            if (a != null) members.add(of(c, a));
        }
        return members;
    }

    /** By Heroku's {@code collaborator_identity}: the entry's id, or the user's email or account id. */
    @Transactional(readOnly = true)
    public Member find(App app, String identity) {
        return list(app).stream().filter(m -> matches(m, identity)).findFirst()
                .orElseThrow(() -> new NotFound("collaborator", identity));
    }

    public Member of(Collaborator c, Account a) {
        return new Member(c.id(), ROLE_COLLABORATOR, a, c.createdAt(), c.updatedAt());
    }

    private static Member owner(App app, Account owner) {
        UUID id = UUID.nameUUIDFromBytes(("owner:" + app.id() + ":" + app.ownerId()).getBytes(StandardCharsets.UTF_8));
        return new Member(id, ROLE_OWNER, owner, app.createdAt(), app.updatedAt());
    }

    private static boolean matches(Member m, String identity) {
        if (identity == null) return false;
        return m.id().toString().equalsIgnoreCase(identity) || m.account().id().toString().equalsIgnoreCase(identity)
                || m.account().email().equalsIgnoreCase(identity);
    }

    /** The account a request names by Heroku's {@code account_identity}: email, id, or {@code ~} for the caller. */
    public Optional<Account> account(String identity, UUID callerId) {
        if (identity == null || identity.isBlank()) return Optional.empty();
        if (identity.equals("~")) return accounts.findById(callerId);
        if (identity.length() == 36) {
            try {
                return accounts.findById(UUID.fromString(identity));
            } catch (IllegalArgumentException notAnId) {
                // fall through: maybe an odd email
            }
        }
        return accounts.findByEmail(identity.trim());
    }
}
