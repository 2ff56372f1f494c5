package io.slipway.api.gitaccess;

import io.slipway.api.web.ApiErrors;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Duration;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link RepositoryStorage} on S3 through the AWS SDK v2 presigner: signing is local, so nothing here talks
 * to the store. The URLs live long enough for a push that waits on a long build before writing back.
 */
@Component
public class S3RepositoryStorage implements RepositoryStorage {
    static final Duration URL_TTL = Duration.ofHours(2);
    private final S3Properties properties;
    private final S3Presigner presigner;

    public S3RepositoryStorage(S3Properties properties) {
        this.properties = properties;
        this.presigner = properties.configured() ? presigner(properties) : null;
    }

    static S3Presigner presigner(S3Properties p) {
        AwsCredentialsProvider credentials = p.accessKey() == null || p.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(p.accessKey(), p.secretKey()));
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(p.region()))
                .credentialsProvider(credentials);
        if (p.endpoint() != null && !p.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(p.endpoint()))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return builder.build();
    }

    @Override
    public String presignGet(String key) {
        return signer().presignGetObject(r -> r.signatureDuration(URL_TTL)
                .getObjectRequest(o -> o.bucket(properties.bucket()).key(key))).url().toString();
    }

    @Override
    public String presignPut(String key) {
        return signer().presignPutObject(r -> r.signatureDuration(URL_TTL)
                .putObjectRequest(o -> o.bucket(properties.bucket()).key(key))).url().toString();
    }

    private S3Presigner signer() {
        if (presigner == null) {
            throw ApiErrors.unavailable("Object storage is not configured (slipway.s3.bucket), so git repositories "
                    + "cannot be stored. Ask the platform operator to configure it.");
        }
        return presigner;
    }

    @PreDestroy
    void close() {
        if (presigner != null) presigner.close();
    }
}
