package io.slipway.api.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.errors.InvalidInput;
import io.slipway.shared.images.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which process types an image release runs, and how the formation shows the image's own command. */
class ImageProcessTypesTest {
    static ImageConfig image(List<String> entrypoint, List<String> cmd) {
        return new ImageConfig("app", List.of(), "/app", entrypoint, cmd);
    }

    @Test
    void webRunsTheImagesCommandUnlessDeclared() {
        assertThat(ImageProcessTypes.of(Map.of(), image(List.of("/docker-entrypoint.sh"), List.of("node", "server.js"))))
                .containsExactly(Map.entry("web", "/docker-entrypoint.sh node server.js"));
        assertThat(ImageProcessTypes.of(Map.of("worker", "node w.js"), image(null, List.of("node", "server.js"))))
                .containsEntry("web", "node server.js").containsEntry("worker", "node w.js");
        assertThat(ImageProcessTypes.of(Map.of("web", "bin/web"), image(null, List.of("node", "server.js"))))
                .containsExactly(Map.entry("web", "bin/web"));
    }

    @Test
    void theImagesCommandIsShownAsAShellWouldReadItBack() {
        assertThat(ImageProcessTypes.display(List.of("sh", "-c", "echo 'hi' && sleep 1", "")))
                .isEqualTo("sh -c 'echo '\\''hi'\\'' && sleep 1' ''");
    }

    @Test
    void anImageWithNothingToRunIsRefused() {
        assertThatThrownBy(() -> ImageProcessTypes.of(Map.of(), image(null, null)))
                .isInstanceOf(InvalidInput.class).hasMessage(ImageProcessTypes.NO_COMMAND);
        assertThatThrownBy(() -> ImageProcessTypes.of(Map.of("release", "./migrate"), image(List.of(), List.of())))
                .isInstanceOf(InvalidInput.class);
        assertThat(ImageProcessTypes.of(Map.of("worker", "w"), image(null, null))).containsOnlyKeys("worker");
    }
}
