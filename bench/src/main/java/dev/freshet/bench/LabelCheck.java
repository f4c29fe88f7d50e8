package dev.freshet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.features.sample.Sample;
import dev.freshet.features.sample.SampleCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a job's samples to label bits and compares them with the generator's truth (and with the
 * other job's). Ours are Avro single-object encoded {@link Sample}s; the SQL job's are JSON rows.
 */
final class LabelCheck {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * @param labels impression id -> label bits as the job emitted them
     * @param badRows rows that could not be decoded or whose request id is wrong
     */
    record Decoded(Map<String, Integer> labels, int badRows) {}

    /**
     * @param missing expected impressions without a sample
     * @param extra samples for impressions that were not expected
     * @param wrongPerTask per task, samples whose label differs
     * @param examples a few differing impressions
     */
    record Result(
            int compared, int missing, int extra, long[] wrongPerTask, List<String> examples) {
        boolean clean() {
            if (missing != 0 || extra != 0) {
                return false;
            }
            for (long w : wrongPerTask) {
                if (w != 0) {
                    return false;
                }
            }
            return true;
        }

        String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(compared)
                    .append(" compared, ")
                    .append(missing)
                    .append(" missing, ")
                    .append(extra)
                    .append(" extra, wrong labels");
            for (int t = 0; t < BenchTasks.TASKS.length; t++) {
                sb.append(' ').append(BenchTasks.TASKS[t]).append('=').append(wrongPerTask[t]);
            }
            if (!examples.isEmpty()) {
                sb.append("; e.g. ").append(String.join(", ", examples));
            }
            return sb.toString();
        }
    }

    private LabelCheck() {}

    static Decoded decode(String job, Map<String, byte[]> values) {
        return job.equals("ours") ? decodeOurs(values) : decodeSql(values);
    }

    private static Decoded decodeOurs(Map<String, byte[]> values) {
        SampleCodec codec = new SampleCodec();
        Map<String, Integer> out = new HashMap<>(values.size() * 2);
        int bad = 0;
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            try {
                Sample s = codec.decode(e.getValue());
                int bits = 0;
                for (int t = 0; t < BenchTasks.TASKS.length; t++) {
                    Integer v = s.labels().get(BenchTasks.TASKS[t]);
                    if (v != null && v == 1) {
                        bits |= 1 << t;
                    }
                }
                if (!s.impressionId().equals(e.getKey())
                        || !requestOf(e.getKey()).equals(s.requestId())) {
                    bad++;
                }
                out.put(e.getKey(), bits);
            } catch (RuntimeException ex) {
                bad++;
            }
        }
        return new Decoded(out, bad);
    }

    private static Decoded decodeSql(Map<String, byte[]> values) {
        Map<String, Integer> out = new HashMap<>(values.size() * 2);
        int bad = 0;
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            try {
                JsonNode row = JSON.readTree(e.getValue());
                JsonNode labels = row.get("labels");
                int bits = 0;
                for (int t = 0; t < BenchTasks.TASKS.length; t++) {
                    if (labels.path(BenchTasks.TASKS[t]).asInt() == 1) {
                        bits |= 1 << t;
                    }
                }
                if (!row.path("impression_id").asText().equals(e.getKey())
                        || !row.path("request_id").asText().equals(requestOf(e.getKey()))) {
                    bad++;
                }
                out.put(e.getKey(), bits);
            } catch (IOException | RuntimeException ex) {
                bad++;
            }
        }
        return new Decoded(out, bad);
    }

    static Result compare(Map<String, Integer> expected, Map<String, Integer> actual) {
        long[] wrong = new long[BenchTasks.TASKS.length];
        List<String> examples = new ArrayList<>();
        int missing = 0;
        int compared = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Integer got = actual.get(e.getKey());
            if (got == null) {
                missing++;
                continue;
            }
            compared++;
            int diff = got ^ e.getValue();
            for (int t = 0; t < wrong.length; t++) {
                if ((diff & (1 << t)) != 0) {
                    wrong[t]++;
                }
            }
            if (diff != 0 && examples.size() < 5) {
                examples.add(e.getKey() + " expected " + bits(e.getValue()) + " got " + bits(got));
            }
        }
        int extra = 0;
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                extra++;
            }
        }
        return new Result(compared, missing, extra, wrong, examples);
    }

    private static String bits(int b) {
        StringBuilder sb = new StringBuilder("{");
        for (int t = 0; t < BenchTasks.TASKS.length; t++) {
            sb.append(t == 0 ? "" : ",")
                    .append(BenchTasks.TASKS[t])
                    .append('=')
                    .append((b >> t) & 1);
        }
        return sb.append('}').toString();
    }

    private static String requestOf(String impressionId) {
        int colon = impressionId.indexOf(':');
        return colon < 0 ? impressionId : impressionId.substring(0, colon);
    }
}
