package io.slipway.launcher.cluster;

import io.slipway.launcher.PrivateFiles;
import java.nio.file.Path;

/**
 * The storage host's object store: s3proxy ({@code org.gaul.s3proxy.Main}, on the launcher's class path) serving
 * a directory over the S3 API on the host's address, with the cluster's credentials. The api-server creates its
 * bucket at start-up.
 */
final class ObjectStoreHost {
    private ObjectStoreHost() {}

    static Path propertiesFile(ClusterDir dir, ClusterHost host) {
        return dir.host(host).resolve("s3proxy.properties");
    }

    static void writeProperties(ClusterDir dir, ClusterHost host, String accessKey, String secretKey) {
        Path objects = dir.host(host).resolve("objects");
        PrivateFiles.directory(objects);
        PrivateFiles.write(propertiesFile(dir, host), ""
                + "s3proxy.endpoint=http://" + host.address() + ":" + ClusterLayout.OBJECT_STORE_PORT + "\n"
                + "s3proxy.authorization=aws-v2-or-v4\n"
                + "s3proxy.identity=" + accessKey + "\n"
                + "s3proxy.credential=" + secretKey + "\n"
                + "jclouds.provider=filesystem\n"
                + "jclouds.identity=" + accessKey + "\n"
                + "jclouds.credential=" + secretKey + "\n"
                + "jclouds.filesystem.basedir=" + objects + "\n");
    }
}
