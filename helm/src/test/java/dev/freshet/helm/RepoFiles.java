package dev.freshet.helm;

import dev.freshet.testing.Checkout;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checkout the helm module sits in: the Dockerfile and the main sources the chart names. */
final class RepoFiles {

    private RepoFiles() {}

    /** The build targets (stage names) of docker/Dockerfile. */
    static List<String> dockerfileTargets() {
        Matcher m =
                Pattern.compile("(?mi)^FROM\\s+\\S+\\s+AS\\s+(\\S+)\\s*$")
                        .matcher(Checkout.read("docker/Dockerfile"));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
