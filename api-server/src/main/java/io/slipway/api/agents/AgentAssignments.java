package io.slipway.api.agents;

import io.slipway.api.events.EventReader;
import io.slipway.api.fleet.AgentRows;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.images.Image;
import io.slipway.api.images.ImageProcessTypes;
import io.slipway.api.images.ImageRepository;
import io.slipway.api.images.PresignImage;
import io.slipway.api.images.ProcessImages;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.rendezvous.RendezvousServer;
import io.slipway.api.secrets.ConfigVarsCipher;
import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.SlugRepository;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.volumes.Volume;
import io.slipway.api.volumes.VolumeRepository;
import io.slipway.shared.dynos.DynoSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agent's full desired state: every dyno placed on it, with what it needs to run one (a presigned slug
 * URL or an image's presigned layer URLs, the release's config vars, the memory limit). {@code seq} is read first, so any change after it comes
 * with a later {@code agent.assignments_changed} event.
 */
@Service
public class AgentAssignments {
    private final AgentRows agents;
    private final DynoRows dynos;
    private final EventReader events;
    private final ReleaseRepository releases;
    private final SlugRepository slugs;
    private final ObjectStorage storage;
    private final RendezvousServer rendezvous;
    private final ConfigVarsCipher cipher;
    private final VolumeRepository volumes;
    private final ImageRepository images;
    private final PresignImage presignImage;
    private final ProcessImages processImages;

    public AgentAssignments(AgentRows agents, DynoRows dynos, EventReader events, ReleaseRepository releases,
                            SlugRepository slugs, ObjectStorage storage, RendezvousServer rendezvous,
                            ConfigVarsCipher cipher, VolumeRepository volumes, ImageRepository images,
                            PresignImage presignImage, ProcessImages processImages) {
        this.processImages = processImages;
        this.images = images;
        this.presignImage = presignImage;
        this.agents = agents;
        this.dynos = dynos;
        this.events = events;
        this.releases = releases;
        this.slugs = slugs;
        this.storage = storage;
        this.rendezvous = rendezvous;
        this.cipher = cipher;
        this.volumes = volumes;
    }

    /** Empty for an unknown agent. */
    @Transactional(readOnly = true)
    public Optional<Assignment.Assignments> of(String agentId) {
        long seq = events.lastSeq();
        if (agents.find(agentId).isEmpty()) return Optional.empty();
        Map<UUID, Optional<Release>> releaseCache = new HashMap<>();
        Map<UUID, Assignment.SlugRef> slugCache = new HashMap<>();
        Map<String, List<Assignment.VolumeRef>> volumeCache = new HashMap<>();
        Map<UUID, Optional<Image>> imageCache = new HashMap<>();
        Map<UUID, Map<String, Object>> imageJsonCache = new HashMap<>();
        Map<String, Image> typeImageCache = new HashMap<>();
        List<Assignment> out = new ArrayList<>();
        for (DynoRow d : dynos.ofAgent(agentId)) {
            Release release = d.releaseId() == null ? null
                    : releaseCache.computeIfAbsent(d.releaseId(), releases::findById).orElse(null);
            Assignment.SlugRef slug = release == null || release.slugId() == null ? null
                    : slugCache.computeIfAbsent(release.slugId(), id -> slugRef(id));
            Image primary = release == null || release.imageId() == null ? null
                    : imageCache.computeIfAbsent(release.imageId(), images::findById).orElse(null);
            // heroku.yml naming several Dockerfiles: the dyno's type runs in its own image (same app, always)
            Image image = primary == null ? null : typeImageCache.computeIfAbsent(primary.id() + "/" + d.type(),
                    k -> processImages.forType(primary, d.type()));
            Map<String, Object> imageJson = image == null ? null
                    : imageJsonCache.computeIfAbsent(image.id(), id -> presignImage.of(image, false).toJson());
            // an image's own default command: the agent execs entrypoint + cmd instead of /bin/sh -c <command>
            String command = image != null && !d.oneOff() && ImageProcessTypes.runsDefaultCommand(primary, d.type())
                    ? null : d.command();
            Map<String, String> env = new LinkedHashMap<>(release == null ? Map.of() : release.configVars());
            if (d.oneOff()) env.putAll(cipher.decrypt(d.runEnv()));
            int memory = DynoSize.memoryMbOf(d.size());
            Assignment.Attach attach = d.attachSecret() == null || rendezvous.port() < 0 ? null
                    : new Assignment.Attach(rendezvous.publicHost(), rendezvous.publicPort(), d.attachSecret(), d.attachTty());
            out.add(new Assignment(d.id(), d.appId(), d.appName(), d.name(), d.type(), command, d.size(), memory,
                    maxPids(memory), d.releaseId(), release == null ? null : release.version(), slug, imageJson, env,
                    d.desiredState(), d.restartGeneration(), d.oneOff(), attach,
                    d.oneOff() ? List.of() : volumeCache.computeIfAbsent(d.appId() + "/" + d.type(),
                            k -> volumesOf(d.appId(), d.type()))));
        }
        return Optional.of(new Assignment.Assignments(seq, out));
    }

    private List<Assignment.VolumeRef> volumesOf(UUID appId, String type) {
        List<Assignment.VolumeRef> out = new ArrayList<>();
        for (Volume v : volumes.findByAppIdAndProcessType(appId, type)) {
            out.add(new Assignment.VolumeRef(v.id(), v.mountPath(), v.sizeMb()));
        }
        return out;
    }

    private Assignment.SlugRef slugRef(UUID slugId) {
        Slug slug = slugs.findById(slugId).orElse(null);
        if (slug == null) return new Assignment.SlugRef(slugId, null, null);
        // without object storage the agent cannot fetch it either; it reports the dyno crashed
        String url = storage.available() ? storage.presignGet(slug.objectKey()) : null;
        return new Assignment.SlugRef(slugId, url, slug.checksum());
    }

    /** A process limit that grows with the dyno size, as on Heroku. */
    static int maxPids(int memoryMb) {
        return memoryMb <= 512 ? 512 : memoryMb <= 1024 ? 1024 : 16384;
    }
}
