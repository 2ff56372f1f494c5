package io.slipway.api.apps;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.accounts.Account;
import io.slipway.api.identity.Caller;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku access:add EMAIL}: gives an existing account the use of the app. As on Heroku's personal
 * apps, the owner and collaborators may add collaborators. No invitation is sent (there is no mail here),
 * so {@code silent} changes nothing and the account must already exist.
 */
@Service
public class AddCollaborator {
    private final AppAccess access;
    private final AppMembers members;
    private final CollaboratorRepository collaborators;

    public AddCollaborator(AppAccess access, AppMembers members, CollaboratorRepository collaborators) {
        this.access = access;
        this.members = members;
        this.collaborators = collaborators;
    }

    public record Added(App app, AppMembers.Member member) {}

    @Transactional
    public Added add(Caller caller, String appIdentity, String userIdentity) {
        App app = access.visible(caller, appIdentity);
        if (userIdentity == null || userIdentity.isBlank()) throw new InvalidInput("Missing required param `user`.");
        Account account = members.account(userIdentity, caller.accountId())
                .orElseThrow(() -> new NotFound("user", userIdentity));
        if (account.id().equals(app.ownerId())) {
            throw new InvalidInput(account.email() + " owns " + app.name() + " and cannot also be a collaborator.");
        }
        if (collaborators.existsByAppIdAndAccountId(app.id(), account.id())) throw already(account, app);
        Collaborator row;
        try {
            row = collaborators.saveAndFlush(new Collaborator(app.id(), account.id()));
        } catch (DataIntegrityViolationException e) {
            throw already(account, app); // added concurrently
        }
        return new Added(app, members.of(row, account));
    }

    private static DomainException already(Account account, App app) {
        return new InvalidInput(account.email() + " is already a collaborator on " + app.name() + ".");
    }
}
