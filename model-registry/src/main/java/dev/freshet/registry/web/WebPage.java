package dev.freshet.registry.web;

import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web page at {@code /}: models, versions with gate verdicts, charts across versions. A static
 * page (index.html, app.js, app.css) that fetches the native API, plus uPlot from its WebJar; all
 * read from the classpath once and served from memory. Only the files named here are served: a
 * request for anything else under {@code /static/} is a 404, so no path can reach other resources.
 */
public final class WebPage {

    static final String UPLOT_VERSION = "1.6.30";
    private static final String OWN = "/dev/freshet/registry/web/";
    private static final String UPLOT =
            "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    /** A file the page serves: its bytes and content type. */
    record Asset(String contentType, byte[] body) {}

    private WebPage() {}

    public static Router routes(Router r) {
        Asset index = load(OWN + "index.html", HTML);
        Map<String, Asset> assets = assets();
        return r.get("/", q -> send(index))
                .get(
                        "/static/{file}",
                        q -> {
                            Asset a = assets.get(q.param("file"));
                            if (a == null) {
                                throw ApiException.notFound("no such file");
                            }
                            return send(a);
                        });
    }

    /** Everything under {@code /static/}, by file name. */
    static Map<String, Asset> assets() {
        Map<String, Asset> m = new LinkedHashMap<>();
        m.put("app.js", load(OWN + "app.js", JS));
        m.put("app.css", load(OWN + "app.css", CSS));
        m.put("uPlot.iife.min.js", load(UPLOT + "uPlot.iife.min.js", JS));
        m.put("uPlot.min.css", load(UPLOT + "uPlot.min.css", CSS));
        return Map.copyOf(m);
    }

    private static Response send(Asset a) {
        // Small files and a page that polls the API: revalidating each load costs nothing.
        return Response.bytes(a.contentType(), a.body()).withHeader("Cache-Control", "no-cache");
    }

    private static Asset load(String resource, String contentType) {
        try (InputStream in = WebPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + " on the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
