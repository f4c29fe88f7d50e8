package dev.freshet.registry.fuzz;

import dev.freshet.manifest.ManifestJson;
import dev.freshet.registry.TestVersions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The values the registry fuzzers draw from: names, versions, content types and broken bodies. */
final class FuzzInputs {

    static final String TOKEN = "fuzz-write-token";
    static final String MLFLOW = "/api/2.0/mlflow";

    private FuzzInputs() {}

    /** Path segments for model, alias and file names, as sent (percent-encoded where needed). */
    static final List<String> NAMES =
            List.of(
                    "ctr",
                    "ctr",
                    "feed",
                    "prod",
                    "latest",
                    "staging",
                    "nope",
                    "..",
                    ".",
                    "%2E%2E",
                    "..%2F..%2Fetc",
                    "a%2Fb",
                    "%2F",
                    "x".repeat(300),
                    "y".repeat(5000),
                    "%C3%BCn%C3%AF",
                    "%E2%80%AE",
                    "%00",
                    "%ZZ",
                    "%",
                    "+",
                    "a+b",
                    "CTR",
                    "-1",
                    "%20",
                    "models",
                    "ctr%00",
                    "ctr%0D%0AX-Injected:%201",
                    "%F0%9F%92%A9",
                    "%FF%FE",
                    "ctr;v=1",
                    "ctr.json",
                    "parameters.safetensors",
                    "uplot.min.js",
                    "manifest.json",
                    "..%5C..%5C");

    /** Path segments for versions, as sent. */
    static final List<String> VERSIONS =
            List.of(
                    "1",
                    "2",
                    "3",
                    "4",
                    "99",
                    "0",
                    "-1",
                    "-9223372036854775808",
                    "9223372036854775807",
                    "9223372036854775808",
                    "1e3",
                    "0x10",
                    "01",
                    "%201",
                    "%31",
                    "1.0",
                    "NaN",
                    "%2D1",
                    "99999999999999999999999",
                    "..",
                    "%2E%2E");

    static final List<String> CONTENT_TYPES =
            List.of(
                    "application/json",
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "application/json; charset=utf-16",
                    "garbage",
                    ";;;",
                    "multipart/form-data");

    /**
     * Bodies for any route: broken, wrong-shaped, deep, and a few valid ones (a manifest, a
     * promote, a reject).
     */
    static List<String> bodies() {
        String manifest =
                new String(
                        ManifestJson.toBytes(TestVersions.manifest("ctr", 1, 0.71, true)),
                        StandardCharsets.UTF_8);
        String unpublished =
                new String(
                        ManifestJson.toBytes(TestVersions.manifest("ctr", 5, 0.75, true)),
                        StandardCharsets.UTF_8);
        List<String> b = new ArrayList<>();
        b.addAll(
                List.of(
                        "",
                        "{",
                        "}",
                        "[]",
                        "null",
                        "123",
                        "\"s\"",
                        "{}",
                        "{\"a\":1}",
                        "{,}",
                        "{\"version\":\"x\"}",
                        "{\"version\":2,\"reason\":\"go\"}",
                        "{\"version\":3,\"reason\":\"go\",\"expected_version\":2}",
                        "{\"version\":-1,\"reason\":\"go\"}",
                        "{\"version\":9223372036854775808,\"reason\":\"go\"}",
                        "{\"version\":1.5,\"reason\":\"go\"}",
                        "{\"version\":NaN}",
                        "{\"reason\":\"bad\"}",
                        "{\"reason\":\"bad\",\"actor\":\"eve\"}",
                        "{\"reason\":\"" + "r".repeat(3000) + "\"}",
                        "{\"reason\":[1]}",
                        "{\"reason\":\"x\",\"unknown\":true}",
                        "{\"name\":\"ctr\",\"alias\":\"prod\",\"version\":\"1\"}",
                        "{\"name\":\"ctr\",\"alias\":\"prod\"}",
                        "{\"name\":\"..\",\"alias\":\"..\",\"version\":\"1\"}",
                        "{\"name\":\"ctr\",\"stages\":[\"Production\"]}",
                        "{\"name\":\"ctr\",\"stages\":\"Production\"}",
                        "{\"name\":null}",
                        "{\"filter\":\"name='ctr'\",\"max_results\":5}",
                        "{\"filter\":\"name LIKE '%'\"}",
                        "{\"filter\":\"version_number > -1\"}",
                        "{\"filter\":\"name='ctr' AND version_number=99999999999999999999\"}",
                        "{\"filter\":\"'\"}",
                        "{\"filter\":42}",
                        "{\"max_results\":-1}",
                        "{\"max_results\":0}",
                        "{\"max_results\":1e30}",
                        "{\"max_results\":9223372036854775807}",
                        "{\"max_results\":\"10\"}",
                        "{\"order_by\":[\"name ASC\"]}",
                        "{\"page_token\":\"!!!\"}",
                        "{\"page_token\":\"" + "A".repeat(4000) + "\"}",
                        "{\"a\":1} trailing",
                        "{\"a\":\"\\ud800\"}",
                        "\u0000\u0001\u0002",
                        "\"\\u0000\"",
                        "1e400",
                        "{\"version\":1e400}",
                        manifest,
                        unpublished,
                        manifest.replace("\"ctr\"", "\"feed\""),
                        manifest.replaceFirst("\\{", "{\"x\":1,"),
                        manifest.substring(0, manifest.length() / 2)));
        b.add("[".repeat(5000) + "]".repeat(5000));
        b.add("{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        b.add("{\"name\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
        return b;
    }

    static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
