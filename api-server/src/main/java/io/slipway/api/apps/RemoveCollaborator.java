package io.slipway.api.apps;

import io.slipway.api.errors.Forbidden;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku access:remove EMAIL}: the owner removes any collaborator; a collaborator may only remove
 * themselves (leave the app). The owner is not a removable member: ownership changes by transfer.
 */
@Service
public class RemoveCollaborator {
    private final AppAccess access;
    private final AppMembers members;
    private final CollaboratorRepository collaborators;

    public RemoveCollaborator(AppAccess access, AppMembers members, CollaboratorRepository collaborators) {
        this.access = access;
        this.members = members;
        this.collaborators = collaborators;
    }

    public record Removed(App app, AppMembers.Member member) {}

    @Transactional
    public Removed remove(Caller caller, String appIdentity, String identity) {
        App app = access.visible(caller, appIdentity);
        AppMembers.Member member = members.find(app, identity);
        boolean callerOwns = app.ownerId().equals(caller.accountId());
        boolean self = member.account().id().equals(caller.accountId());
        if (!callerOwns && !self) {
            throw new Forbidden("Only the owner of " + app.name() + " can remove other collaborators.");
        }
        if (member.isOwner()) {
            throw new InvalidInput(member.account().email() + " owns " + app.name()
                    + " and cannot be removed from it; transfer the app to someone else first.");
        }
        collaborators.deleteById(member.id());
        collaborators.flush();
        return new Removed(app, member);
    }
}
