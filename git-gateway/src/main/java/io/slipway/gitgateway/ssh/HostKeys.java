package io.slipway.gitgateway.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The gateway's SSH host key, in OpenSSH's private key format (what {@code ssh-keygen -t ed25519 -N ''} writes,
 * so an operator can provide one). Generated once (ed25519) when the file is missing and never replaced: every
 * restart and every gateway node sharing the file presents the same key, so clients never see "REMOTE HOST
 * IDENTIFICATION HAS CHANGED". Creation is atomic: nodes starting together end up with one key.
 */
public final class HostKeys {
    private HostKeys() {}

    public static KeyPairProvider load(Path file) throws IOException {
        if (!Files.exists(file)) generate(file);
        return KeyPairProvider.wrap(read(file));
    }

    static KeyPair read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) throw new IOException("no key in " + file);
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the SSH host key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void generate(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".hostkey", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on other file systems
            }
            KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "slipway-git-gateway", null, out);
            }
            try {
                Files.createLink(file, tmp); // fails if another node was faster: keep theirs
            } catch (FileAlreadyExistsException raced) {
                // the key that won is the key
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) Files.move(tmp, file);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an SSH host key: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
