package io.slipway.launcher.images;

import io.slipway.launcher.Args;
import io.slipway.launcher.DataDir;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.PrivateFiles;
import io.slipway.launcher.StateFile;
import io.slipway.launcher.UsageException;
import io.slipway.shared.images.BaseImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code slipway images:import NAME[:TAG] ROOTFS.tar} and {@code slipway images}: the operator's base images
 * (what {@code FROM NAME} means in an app's Dockerfile). Operator commands: they use the running platform's
 * internal API with the operator's token, as {@code users:create} does, so they run on the platform's machine.
 */
public final class ImagesCommand {
    public static final String HELP = """
              images:import NAME[:TAG] ROOTFS.tar
                                      Add (or replace) a base image from a root file system tar (or .tar.gz):
                                      Dockerfiles use it with FROM NAME[:TAG] (the tag defaults to latest)
                  --env K=V               an environment variable of the image (repeatable)
                  --user U                the image's default user (default: none, i.e. root, as base images are)
                  --data-dir DIR          the running platform's data directory (default ~/.slipway)
              images                  List the platform's base images
            """;

    private ImagesCommand() {}

    public static int run(String command, List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of("env", "user", "data-dir"), Set.of());
        Path dataDir = Path.of(args.option("data-dir", LauncherConfig.defaultDataDir().toString()));
        switch (command) {
            case "images:import" -> {
                if (args.positionals().size() != 2) throw new UsageException("images:import takes NAME[:TAG] and ROOTFS.tar.");
                InternalImagesClient client = client(dataDir);
                ImageImport.Result r;
                try {
                    r = new ImageImport(client).importTar(args.positionals().get(0), Path.of(args.positionals().get(1)),
                            args.values("env"), args.option("user", null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                out.println("Imported " + r.nameAndTag() + " (" + r.manifestDigest() + ", " + mb(r.layerBytes())
                        + " compressed, " + r.uploaded() + " new blobs)");
            }
            case "images" -> {
                if (!args.positionals().isEmpty()) throw new UsageException("images takes no arguments.");
                List<BaseImage> images = client(dataDir).list();
                if (images.isEmpty()) out.println("No base images: import one with slipway images:import.");
                for (BaseImage image : images) out.println(line(image));
            }
            default -> throw new UsageException("Unknown command: " + command);
        }
        return 0;
    }

    private static String line(BaseImage image) {
        return image.nameAndTag() + "  " + image.image().manifestDigest() + "  " + mb(image.image().layersSize());
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    /** The running platform's internal API, with the operator's token. */
    static InternalImagesClient client(Path dataDirPath) {
        DataDir dir = DataDir.existing(dataDirPath);
        StateFile.State s = StateFile.live(dir.stateFile()).orElseThrow(() -> new IllegalStateException(
                "Slipway is not running on " + dir.root() + ": start it with `slipway up --data-dir " + dir.root() + "` first."));
        return new InternalImagesClient(s.internalUrl(), PrivateFiles.read(Path.of(s.operatorTokenFile())).trim());
    }
}
