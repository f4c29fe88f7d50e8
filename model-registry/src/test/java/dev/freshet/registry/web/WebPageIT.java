package dev.freshet.registry.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.manifest.CheckResult;
import dev.freshet.manifest.CheckResult.Verdict;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.manifest.TaskMetrics;
import dev.freshet.registry.RegistryConfig;
import dev.freshet.registry.RegistryServer;
import dev.freshet.store.S3ObjectStore;
import dev.freshet.store.S3Settings;
import dev.freshet.testing.S3Server;
import dev.freshet.testing.S3ServerExtension;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in a real browser: versions and a rejected candidate written to a real S3 endpoint as
 * the trainer writes them, a real registry over it, and headless Chromium loading the page. The DOM
 * must hold the table and the charts, and the screenshot must show the charts' lines. The
 * screenshot stays at {@code target/web-page.png} for humans.
 */
@ExtendWith(S3ServerExtension.class)
class WebPageIT {

    private static final String MODEL = "ctr";
    private static final String BUCKET = "web-page";
    private static final int VERSIONS = 6;
    private static final List<String> TASKS = List.of("click", "purchase");

    /** The series colours app.js uses: the first two tasks, then freshness. */
    private static final int[] TASK_COLOURS = {0x0072b2, 0xe69f00};

    private static final int FRESHNESS_COLOUR = 0x7b3294;

    /** Generous: Chromium's first start on a loaded 2-core machine can take tens of seconds. */
    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(3);

    private static final String XSS = "<img src=x onerror=\"document.body.dataset.pwned='1'\">";

    @TempDir Path tmp;

    private final S3Server s3;
    private S3ObjectStore store;
    private RegistryServer server;

    WebPageIT(S3Server s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void start() throws IOException {
        store =
                new S3ObjectStore(
                        new S3Settings(
                                URI.create(s3.endpoint()),
                                BUCKET,
                                s3.region(),
                                s3.accessKey(),
                                s3.secretKey()));
        store.ensureBucket();
        publishAsTheTrainerDoes();
        server = RegistryServer.start(RegistryConfig.defaults().withPort(0), store);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        store.close();
    }

    @Test
    void servesThePageAndOnlyKnownStaticFilesOverHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = get(http, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/static/app.js\">");

        HttpResponse<String> uplot = get(http, "/static/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/javascript");
        assertThat(get(http, "/static/uPlot.min.css").headers().firstValue("Content-Type"))
                .contains("text/css; charset=utf-8");

        for (String path :
                List.of(
                        "/static/nope.js",
                        "/static/%2e%2e%2fopenapi.json",
                        "/static/..%2F..%2Fpom.xml",
                        "/static/web%2Fapp.js",
                        "/static/index.html",
                        "/static/dev/freshet/registry/web/app.js")) {
            HttpResponse<String> r = get(http, path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).contains("\"error\"");
        }
    }

    @Test
    void chromiumRendersTheTableAndTheCharts() throws Exception {
        Path chromium = chromium().orElse(null);
        Assumptions.assumeTrue(
                chromium != null,
                "no chromium on PATH: install Debian's chromium (apt-get install -y chromium)"
                        + " to run the browser test");
        String url = server.uri() + "/";

        String dom = new String(runChromium(chromium, "--dump-dom", url), UTF_8);
        assertThat(attribute(dom, "data-charts")).as("charts rendered").contains("3");
        assertThat(count(dom, "<tr class=\"version ")).isEqualTo(VERSIONS);
        assertThat(dom).contains("<td class=\"verdict fail\"");
        assertThat(dom).contains("<td class=\"verdict skipped\"", "<td class=\"verdict pass\"");
        assertThat(dom).contains("AUC click", "log loss purchase", "latest → v" + VERSIONS);
        assertThat(dom).contains("cand-17", "drift");
        // Text from the API stays text: the gate detail's markup shows escaped, never runs.
        assertThat(dom).contains("&lt;img src=x").doesNotContain("data-pwned");

        List<int[]> charts = chartRects(dom);
        assertThat(charts).hasSize(3);

        Path png = tmp.resolve("page.png");
        runChromium(chromium, "--screenshot=" + png, url);
        Path kept = Path.of("target", "web-page.png");
        Files.createDirectories(kept.getParent());
        Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG at " + png).isNotNull();
        double scale = image.getWidth() / 1280.0;
        for (int i = 0; i < 2; i++) {
            for (int colour : TASK_COLOURS) {
                assertThat(pixels(image, charts.get(i), scale, colour))
                        .as(
                                "pixels of #%06x in chart %d (see %s)",
                                colour, i, kept.toAbsolutePath())
                        .isGreaterThan(150);
            }
        }
        assertThat(pixels(image, charts.get(2), scale, FRESHNESS_COLOUR))
                .as("freshness line pixels (see %s)", kept.toAbsolutePath())
                .isGreaterThan(150);
        // The freshness chart is not a copy of the metric charts.
        assertThat(pixels(image, charts.get(2), scale, TASK_COLOURS[0])).isLessThan(20);
    }

    // --- the bucket, as the trainer writes it -----------------------------------------------

    private void publishAsTheTrainerDoes() {
        Instant base = Instant.parse("2025-03-01T12:00:00Z");
        for (long v = 1; v <= VERSIONS; v++) {
            Instant created = base.plusSeconds(60 * v);
            long maxEvent = created.minusSeconds(5 + 3 * v).toEpochMilli();
            String prefix = "models/" + MODEL + "/versions/" + v + "/";
            byte[] params = ("weights of version " + v).getBytes(UTF_8);
            store.putIfAbsent(prefix + "model.params", params, "application/octet-stream");
            Manifest m =
                    new Manifest(
                            Manifest.FORMAT,
                            MODEL,
                            v,
                            "cand-" + (10 + v),
                            created.toString(),
                            v == 1 ? null : v - 1,
                            List.of(new Manifest.FileEntry("model.params", "ab".repeat(32), 21)),
                            lineage(v, maxEvent),
                            gates(v),
                            metrics(v),
                            null);
            store.putIfAbsent(prefix + Manifest.FILE, ManifestJson.toBytes(m), "application/json");
        }
        Manifest rejected =
                new Manifest(
                        Manifest.FORMAT,
                        MODEL,
                        0,
                        "cand-17",
                        base.plusSeconds(60 * (VERSIONS + 1)).toString(),
                        (long) VERSIONS,
                        List.of(),
                        lineage(VERSIONS + 1, base.toEpochMilli()),
                        List.of(
                                check("finite", Verdict.PASS, "all finite"),
                                check("drift", Verdict.FAIL, "log loss rose 40% " + XSS)),
                        metrics(VERSIONS + 1),
                        null);
        store.put(
                "models/" + MODEL + "/rejected/cand-17/" + Manifest.FILE,
                ManifestJson.toBytes(rejected),
                "application/json");
    }

    private static Manifest.Lineage lineage(long v, long maxEvent) {
        Manifest.Counts c = new Manifest.Counts(1000 * v, 1000 * v, 0, 0, 0);
        return new Manifest.Lineage(
                "samples",
                Map.of(0, 1000 * v),
                c,
                new Manifest.Counts(1000, 1000, 0, 0, 0),
                maxEvent - 60_000,
                maxEvent,
                "spec-1",
                "cfg-1",
                100 * v);
    }

    private static List<CheckResult> gates(long v) {
        List<CheckResult> g = new ArrayList<>();
        g.add(check("finite", Verdict.PASS, "all parameters finite"));
        g.add(
                v == 1
                        ? check("reproducibility", Verdict.SKIPPED, "nothing to replay")
                        : check("reproducibility", Verdict.PASS, "bit identical"));
        g.add(
                v == 4
                        ? check("drift", Verdict.FAIL, "prediction drift over bound " + XSS)
                        : check("drift", Verdict.PASS, "within bound"));
        return g;
    }

    private static CheckResult check(String name, Verdict verdict, String detail) {
        return new CheckResult(name, verdict, Map.of("bound", 0.1), detail);
    }

    private static Map<String, TaskMetrics> metrics(long v) {
        Map<String, TaskMetrics> m = new LinkedHashMap<>();
        m.put(
                "click",
                new TaskMetrics("click", 1000 * v, 0.70 + 0.01 * v, 0.45 - 0.01 * v, 1, 0.1, 0.1));
        // A task without both classes yet has no AUC: NaN, written as "NaN".
        double purchaseAuc = v == 1 ? Double.NaN : 0.60 + 0.02 * v;
        m.put(
                TASKS.get(1),
                new TaskMetrics(
                        TASKS.get(1), 1000 * v, purchaseAuc, 0.30 - 0.015 * v, 1, 0.02, 0.02));
        return m;
    }

    // --- the browser -----------------------------------------------------------------------

    private static Optional<Path> chromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "chromium");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium once and returns its stdout; its stderr (DBus chatter) is ignored. */
    private byte[] runChromium(Path chromium, String action, String url) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile");
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--no-first-run",
                                "--disable-dev-shm-usage",
                                "--user-data-dir=" + profile,
                                "--window-size=1280,1600",
                                "--virtual-time-budget=10000",
                                action,
                                url)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        try {
            if (!p.waitFor(BROWSER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "chromium "
                                + action
                                + " did not finish in "
                                + BROWSER_TIMEOUT
                                + "; stderr:\n"
                                + tail(err));
            }
        } finally {
            p.destroyForcibly();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(p.exitValue()).as("chromium exit; stderr:\n%s", tail(err)).isZero();
        return Files.readAllBytes(out);
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, UTF_8);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.uri() + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- reading what the browser produced --------------------------------------------------

    private static Optional<String> attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? Optional.of(m.group(1).replace("&quot;", "\"")) : Optional.empty();
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The plot areas app.js published as data-chart-rects: [[x, y, width, height], ...]. */
    private static List<int[]> chartRects(String dom) {
        String json = attribute(dom, "data-chart-rects").orElse("[]");
        List<int[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\[(\\d+),(\\d+),(\\d+),(\\d+)]").matcher(json);
        while (m.find()) {
            out.add(
                    new int[] {
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4))
                    });
        }
        return out;
    }

    /** Pixels inside {@code rect} (CSS pixels) within a small distance of {@code rgb}. */
    private static int pixels(BufferedImage image, int[] rect, double scale, int rgb) {
        int x0 = (int) (rect[0] * scale);
        int y0 = (int) (rect[1] * scale);
        int x1 = Math.min(image.getWidth(), (int) ((rect[0] + rect[2]) * scale));
        int y1 = Math.min(image.getHeight(), (int) ((rect[1] + rect[3]) * scale));
        int n = 0;
        for (int y = Math.max(0, y0); y < y1; y++) {
            for (int x = Math.max(0, x0); x < x1; x++) {
                if (close(image.getRGB(x, y), rgb)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean close(int a, int b) {
        int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
        int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
        int db = (a & 0xff) - (b & 0xff);
        return dr * dr + dg * dg + db * db <= 30 * 30;
    }
}
