package dev.freshet.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;

/** Image references: what counts as pinned. */
final class ImageRefs {

    private ImageRefs() {}

    /** The tag of {@code image} (after the last ':' past the last '/'), or "" without one. */
    static String tag(String image) {
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 ? "" : last.substring(colon + 1);
    }

    /** A digest, or a tag that is not {@code latest}. */
    static void assertPinned(String image) {
        if (image.contains("@sha256:")) {
            return;
        }
        assertThat(tag(image)).as("tag of image %s", image).isNotEmpty().isNotEqualTo("latest");
    }
}
