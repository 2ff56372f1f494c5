package io.slipway.launcher;

import java.util.Arrays;
import java.util.List;

/** {@code ./slipway <command>}: the entry point. One class per command; this one only dispatches. */
public final class Slipway {
    static final String HELP = """
            Usage: slipway <command> [options]

            Commands:
              up                      Start the whole platform on this machine, in the foreground (Ctrl-C stops it)
                  --data-dir DIR          where everything is kept (default ~/.slipway); `up` again resumes
                  --port PORT             HTTPS port of the API on 127.0.0.1 (default 5443)
                  --router-port PORT      HTTP port of the router: apps answer at http://<app>.localhost:PORT/
                                          (default 8080)
                  --admin-email EMAIL     first administrator, created on the first run (default admin@slipway.local)
                  --insecure-dynos        run dynos as plain processes WITHOUT isolation (development machines
                                          without root or runc only; otherwise `up` refuses to start)
              users:create EMAIL      Create a user and print its API key
                  --password PASSWORD     lets the user `heroku login -i` (at least 8 characters; without it,
                                          the API key is the only credential)
                  --admin                 make the user an administrator
                  --data-dir DIR          the platform's data directory (default ~/.slipway)
            """ + DeployKeysCommand.HELP + VolumesCommand.HELP + io.slipway.launcher.images.ImagesCommand.HELP + """
              help                    Show this help
            """ + io.slipway.launcher.cluster.ClusterCommand.HELP;

    private Slipway() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        String command = argv.length == 0 ? "help" : argv[0];
        List<String> rest = Arrays.asList(argv).subList(Math.min(1, argv.length), argv.length);
        try {
            switch (command) {
                case "up":
                    return UpCommand.run(rest);
                case "users:create":
                    return UsersCreateCommand.run(rest);
                case "deploy-keys", "deploy-keys:add", "deploy-keys:remove":
                    return DeployKeysCommand.run(command, rest, System.getenv(), System.out);
                case "volumes", "volumes:add", "volumes:remove":
                    return VolumesCommand.run(command, rest, System.getenv(), System.out);
                case "images", "images:import":
                    return io.slipway.launcher.images.ImagesCommand.run(command, rest, System.out);
                case "cluster":
                    return io.slipway.launcher.cluster.ClusterCommand.run(rest);
                case "help", "--help", "-h":
                    System.out.print(HELP);
                    return 0;
                default:
                    throw new UsageException("Unknown command: " + command);
            }
        } catch (UsageException e) {
            System.err.println("slipway: " + e.getMessage());
            System.err.println("Run `slipway help` for usage.");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("slipway: " + rootMessage(e));
            return 1;
        } catch (RuntimeException e) {
            System.err.println("slipway: " + rootMessage(e));
            e.printStackTrace(); // not an error we anticipated: the trace is what a bug report needs
            return 1;
        }
    }

    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        Throwable t = e;
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return message == null ? e.toString() : message;
    }
}
