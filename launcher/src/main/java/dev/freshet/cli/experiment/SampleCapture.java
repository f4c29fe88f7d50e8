package dev.freshet.cli.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.cli.exception.CommandException;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import dev.freshet.features.sample.SampleFormatException;
import dev.freshet.features.sample.SampleJson;
import dev.freshet.features.spec.FeatureSpec;
import dev.freshet.features.spec.FeatureSpecJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples and feature specs as captured from a pipeline, before an experiment picks the ones it
 * trains on: from a JSON-lines file ({@code freshet samples} output of the spec topic and of the
 * samples topic, in one file or two) or straight from the topics. A line or record that is neither
 * is set aside with its reason, and everything valid is kept.
 */
final class SampleCapture {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int PROBLEMS_SHOWN = 5;

    private final Map<String, FeatureSpec> specs = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int problemCount;

    Collection<FeatureSpec> specs() {
        return specs.values();
    }

    List<Sample> samples() {
        return samples;
    }

    int problemCount() {
        return problemCount;
    }

    /** The first few problems, one per line, e.g. for stderr. */
    List<String> problems() {
        return problems;
    }

    /** Reads a JSON-lines file: sample lines and spec lines, in any mix. */
    SampleCapture readLines(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    addJson(line, file.getFileName() + ":" + number);
                }
            }
        } catch (IOException e) {
            throw new CommandException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** A record of the samples topic (the pipeline's Avro encoding). */
    void addSampleRecord(byte[] value, String where) {
        try {
            samples.add(new SampleCodec().decode(value));
        } catch (SampleFormatException e) {
            problem(where, e.getMessage());
        }
    }

    /** A record of the spec topic (the spec's JSON). */
    void addSpecRecord(byte[] value, String where) {
        try {
            FeatureSpec spec = FeatureSpecJson.fromBytes(value);
            specs.put(spec.version(), spec);
        } catch (IllegalArgumentException e) {
            problem(where, e.getMessage());
        }
    }

    private void addJson(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            problem(where, "not JSON: " + e.getOriginalMessage());
            return;
        }
        if (node != null && node.has("impression_id")) {
            try {
                samples.add(SampleJson.fromJson(node));
            } catch (SampleFormatException e) {
                problem(where, e.getMessage());
            }
        } else if (node != null && node.has("dense") && node.has("version")) {
            addSpecRecord(line.getBytes(StandardCharsets.UTF_8), where);
        } else {
            problem(where, "neither a sample (impression_id) nor a feature spec (version, dense)");
        }
    }

    private void problem(String where, String reason) {
        if (problemCount++ < PROBLEMS_SHOWN) {
            problems.add(where + ": " + reason);
        }
    }
}
