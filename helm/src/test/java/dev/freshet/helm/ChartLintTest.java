package dev.freshet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm lint --strict} and values.schema.json: what a user gets wrong fails the install. helm
 * lint reports a template's {@code required} only as INFO, so the schema is what makes a missing
 * required value fail lint (and install); the templates' {@code required} say the same.
 */
class ChartLintTest {

    @TempDir Path tmp;

    @Test
    void lintsCleanWithTheDefaultsAndTheRequiredValues() {
        LintResult result =
                new Helm(Chart.copyWithValues(tmp, Chart.REQUIRED)).lint().strict().call();

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void lintFailsWithoutTheS3Endpoint() {
        Map<String, String> values = new HashMap<>(Chart.REQUIRED);
        values.remove("s3.endpoint");

        LintResult result = new Helm(Chart.copyWithValues(tmp, values)).lint().strict().call();

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/s3/endpoint");
    }

    @Test
    void lintFailsWithoutTheTokenUnlessAnExistingSecretIsNamed() {
        Map<String, String> values = new HashMap<>(Chart.REQUIRED);
        values.remove("registryToken.value");

        LintResult result = new Helm(Chart.copyWithValues(tmp, values)).lint().strict().call();

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/registryToken/value");
        // With an existing Secret there is no token value to require.
        values.put("registryToken.existingSecret", "freshet-token");
        LintResult withSecret =
                new Helm(Chart.copyWithValues(tmp.resolve("existing"), values))
                        .lint()
                        .strict()
                        .call();
        assertThat(withSecret.isFailed()).as("%s", withSecret.getMessages()).isFalse();
    }

    @Test
    void theSchemaRejectsAMisspeltKey() {
        assertThatThrownBy(
                        () -> Chart.render(Chart.requiredWith(Map.of("registry.replicaCont", 3))))
                .hasMessageContaining("replicaCont");
        assertThatThrownBy(() -> Chart.render(Chart.requiredWith(Map.of("trainr.gpu", true))))
                .hasMessageContaining("trainr");
    }

    @Test
    void theSchemaRejectsAWrongType() {
        assertThatThrownBy(
                        () ->
                                Chart.render(
                                        Chart.requiredWith(
                                                Map.of("flink.upgradeMode", "sometimes"))))
                .hasMessageContaining("upgradeMode");
    }
}
