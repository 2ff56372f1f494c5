package io.slipway.shared.logs;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body handed to the HTTP client as one buffer over the caller's array, without a copy:
 * {@code BodyPublishers.ofByteArray} copies the array into 16 KiB buffers first, and the client then moves
 * each through its own scheduling (a few hundred KiB per log post, a few posts a second in a busy router).
 * The array must stay untouched until the client has answered.
 */
final class WholeBodyPublisher implements HttpRequest.BodyPublisher {
    private final byte[] bytes;
    private final int length;

    WholeBodyPublisher(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (done.get()) return;
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                    }
                    return;
                }
                if (done.compareAndSet(false, true)) {
                    subscriber.onNext(ByteBuffer.wrap(bytes, 0, length));
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
