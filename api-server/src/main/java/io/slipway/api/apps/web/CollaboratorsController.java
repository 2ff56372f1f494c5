package io.slipway.api.apps.web;

import io.slipway.api.apps.AddCollaborator;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppMembers;
import io.slipway.api.apps.RemoveCollaborator;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: collaborators ({@code heroku access}, {@code access:add}, {@code access:remove}). */
@RestController
public class CollaboratorsController {
    private final AppAccess access;
    private final AppMembers members;
    private final AddCollaborator addCollaborator;
    private final RemoveCollaborator removeCollaborator;
    private final ObjectMapper mapper;

    public CollaboratorsController(AppAccess access, AppMembers members, AddCollaborator addCollaborator,
                                   RemoveCollaborator removeCollaborator, ObjectMapper mapper) {
        this.access = access;
        this.members = members;
        this.addCollaborator = addCollaborator;
        this.removeCollaborator = removeCollaborator;
        this.mapper = mapper;
    }

    /** Ranged by {@code email} (the default, the order {@code heroku access} shows) or {@code id}. */
    @GetMapping("/apps/{app}/collaborators")
    public ResponseEntity<List<CollaboratorJson>> list(Caller caller, @PathVariable String app,
                                                       @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        return Paged.of(members.list(a))
                .by("email", m -> m.account().email())
                .by("id", m -> m.id().toString())
                .respond(range, m -> CollaboratorJson.of(m, a));
    }

    @GetMapping("/apps/{app}/collaborators/{collaborator}")
    public CollaboratorJson info(Caller caller, @PathVariable String app, @PathVariable String collaborator) {
        App a = access.visible(caller, app);
        return CollaboratorJson.of(members.find(a, collaborator), a);
    }

    @PostMapping("/apps/{app}/collaborators")
    public ResponseEntity<CollaboratorJson> create(Caller caller, @PathVariable String app,
                                                   @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String user = json.optIdentity("user", "email", "id");
        json.optBoolean("silent"); // validated; there are no invitation mails to silence
        AddCollaborator.Added added = addCollaborator.add(caller, app, user);
        return ResponseEntity.status(HttpStatus.CREATED).body(CollaboratorJson.of(added.member(), added.app()));
    }

    @DeleteMapping("/apps/{app}/collaborators/{collaborator}")
    public CollaboratorJson delete(Caller caller, @PathVariable String app, @PathVariable String collaborator) {
        RemoveCollaborator.Removed removed = removeCollaborator.remove(caller, app, collaborator);
        return CollaboratorJson.of(removed.member(), removed.app());
    }
}
