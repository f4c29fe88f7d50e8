package dev.freshet.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.freshet.testing.Checkout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The chart in helm/freshet, rendered and linted through helm-java (helm's own code, offline). */
final class Chart {

    /** The chart directory: helm/freshet, next to this module's pom. */
    static final Path DIR = Checkout.ROOT.resolve("helm/freshet");

    /** What values.yaml leaves empty and the chart requires: the least an install passes. */
    static final Map<String, String> REQUIRED =
            Map.of(
                    "kafka.bootstrapServers", "kafka.kafka:9092",
                    "s3.endpoint", "http://minio.minio:9000",
                    "s3.accessKey", "test-access-key",
                    "s3.secretKey", "test-secret-key",
                    "registryToken.value", "test-token");

    static final String RELEASE = "freshet";
    static final String NAMESPACE = "ml";

    private Chart() {}

    /** {@code helm template} with {@code --set} for each entry (no commas in values). */
    static String render(Map<String, ?> set) {
        return render(set, null);
    }

    /** {@code helm template -f valuesFile} plus {@code --set} for each entry. */
    static String render(Map<String, ?> set, Path valuesFile) {
        TemplateCommand template =
                new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, ?> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return template.call();
    }

    /** REQUIRED with {@code overrides} on top; a null value removes the key. */
    static Map<String, Object> requiredWith(Map<String, ?> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(REQUIRED);
        overrides.forEach((k, v) -> out.compute(k, (key, old) -> v));
        return out;
    }

    /**
     * A copy of the chart in {@code dir} whose values.yaml has {@code values} filled in where the
     * original leaves them empty ({@code key: ""}), comments and all: {@code helm lint} takes no
     * values of its own through helm-java, so this is how it lints a filled-in install.
     */
    static Path copyWithValues(Path dir, Map<String, String> values) {
        try {
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Path f : files.toList()) {
                    Path target = dir.resolve(DIR.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                }
            }
            Path valuesYaml = dir.resolve("values.yaml");
            String text = Files.readString(valuesYaml);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = fill(text, e.getKey(), e.getValue());
            }
            Files.writeString(valuesYaml, text);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fills in {@code section.leaf}: the first {@code leaf: ""} line below the top-level {@code
     * section:} line.
     */
    private static String fill(String valuesYaml, String dottedKey, String value) {
        String section = dottedKey.substring(0, dottedKey.indexOf('.'));
        String leaf = dottedKey.substring(dottedKey.lastIndexOf('.') + 1);
        Matcher start =
                Pattern.compile("(?m)^" + Pattern.quote(section) + ":$").matcher(valuesYaml);
        Matcher m =
                Pattern.compile("(?m)^(\\s+)" + Pattern.quote(leaf) + ": \"\"$")
                        .matcher(valuesYaml);
        if (!start.find() || !m.find(start.end())) {
            throw new IllegalArgumentException("values.yaml has no empty " + dottedKey);
        }
        return valuesYaml.substring(0, m.start())
                + m.group(1)
                + leaf
                + ": \""
                + value
                + "\""
                + valuesYaml.substring(m.end());
    }
}
