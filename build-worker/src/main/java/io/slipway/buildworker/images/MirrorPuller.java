package io.slipway.buildworker.images;

import io.slipway.buildworker.container.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls one image from the registry mirror into the worker's Buildah storage, by the worker itself before
 * {@code buildah bud} runs (which then runs with {@code --pull-never}): tenant code never gets a network path to
 * the mirror, and the pull is the worker's fully qualified {@code docker://<mirror>/...} reference, never a name
 * the tenant chose a host for. {@code --policy always}: the mirror is asked on every build (one manifest request
 * when nothing changed), so a tag moved or removed on the mirror is followed, as {@code docker pull} does.
 */
final class MirrorPuller {
    private static final System.Logger LOG = System.getLogger(MirrorPuller.class.getName());
    private final RegistryMirror mirror;
    private final Path caFile;
    private final Buildah buildah;

    /** Why an image could not be pulled, in words for the build's output (the mirror's address left out). */
    static final class PullFailedException extends Exception {
        final boolean timedOut;
        final boolean cancelled;

        PullFailedException(String reason, boolean timedOut, boolean cancelled) {
            super(reason);
            this.timedOut = timedOut;
            this.cancelled = cancelled;
        }
    }

    MirrorPuller(RegistryMirror mirror, Path caFile, Buildah buildah) {
        this.mirror = mirror;
        this.caFile = caFile;
        this.buildah = buildah;
    }

    String host() {
        return mirror.host();
    }

    /** Pulls {@code ref} from the mirror and tags it with its {@link ImageReference#localName()}; answers the image id. */
    String pull(ImageReference ref, Path scratch, Duration timeout, Cancellation cancellation)
            throws IOException, PullFailedException {
        List<String> options = new ArrayList<>(List.of("--quiet", "--policy", "always", "--retry", "1",
                "--retry-delay", "1s"));
        if (mirror.insecure()) {
            options.add("--tls-verify=false");
        } else if (caFile != null) {
            // Buildah trusts the system's CAs plus every *.crt of --cert-dir: the platform CA signs internal hosts
            Path certs = Files.createDirectories(scratch.resolve("mirror-certs"));
            Files.copy(caFile, certs.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            options.addAll(List.of("--cert-dir", certs.toString()));
        }
        if (mirror.authFile() != null) options.addAll(List.of("--authfile", mirror.authFile().toString()));
        List<String> lines = new ArrayList<>();
        Buildah.Outcome outcome = buildah.pull(options, ref.onMirror(mirror.host()), timeout, line -> {
            if (lines.size() < 200) lines.add(line);
        }, cancellation);
        if (!outcome.succeeded()) {
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            LOG.log(System.Logger.Level.WARNING, "pulling {0} from the registry mirror failed: {1}", ref,
                    String.join(" | ", lines));
            throw new PullFailedException(outcome.timedOut() ? "timed out" : reason(last), outcome.timedOut(),
                    outcome.cancelled());
        }
        String id = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        if (!id.matches("[a-f0-9]{64}")) throw new IOException("buildah pull answered no image id: " + id);
        buildah.output(List.of("tag", id, ref.localName()), Duration.ofMinutes(1));
        return id;
    }

    /**
     * The last part of Buildah's error ({@code ...: reading manifest 1 in 127.0.0.1:5000/library/x: manifest
     * unknown: manifest unknown} gives {@code manifest unknown}; a refused connection {@code connection refused}; a
     * full storage {@code no space left on device}):
     * what went wrong, without the mirror's address.
     */
    static String reason(String line) {
        // "...: processing tar file(write /x: no space left on device): exit status 1" says no space left on device
        String text = line.strip().replaceFirst(":? *exit status [0-9]+$", "").replaceFirst("\\)+$", "");
        int colon = text.lastIndexOf(": ");
        String tail = colon < 0 ? text : text.substring(colon + 2);
        tail = tail.replaceAll("\\p{Cntrl}", "?");
        if (tail.isBlank()) return "no answer";
        return tail.length() > 200 ? tail.substring(0, 200) : tail;
    }
}
