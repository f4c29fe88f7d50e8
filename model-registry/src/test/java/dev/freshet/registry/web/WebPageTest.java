package dev.freshet.registry.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.http.Request;
import dev.freshet.registry.http.Response;
import dev.freshet.registry.http.Router;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page's routes: the page, its known static files with their types, and nothing else. */
class WebPageTest {

    private final Router router = WebPage.routes(new Router());

    private Response get(String... segments) {
        Router.Match m = router.match("GET", List.of(segments));
        return m.route()
                .handler()
                .handle(
                        new Request(
                                "GET", "/", m.params(), Map.of(), Map.of(), Map.of(), new byte[0]));
    }

    @Test
    void servesThePageAtTheRoot() {
        Response r = get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(r.body(), UTF_8))
                .contains("/static/uPlot.iife.min.js", "/static/app.js", "/static/app.css");
    }

    @Test
    void servesKnownStaticFilesWithTheirContentTypes() {
        assertThat(get("static", "app.js").contentType()).startsWith("text/javascript");
        assertThat(get("static", "app.css").contentType()).startsWith("text/css");
        assertThat(get("static", "uPlot.min.css").contentType()).startsWith("text/css");
        Response uplot = get("static", "uPlot.iife.min.js");
        assertThat(uplot.contentType()).startsWith("text/javascript");
        assertThat(new String(uplot.body(), UTF_8)).contains("uPlot");
    }

    @Test
    void anythingElseIsNotFound() {
        for (String name :
                List.of("index.html", "..", "../openapi.json", "WebPage.class", "app.js.map", "")) {
            assertThatThrownBy(() -> get("static", name))
                    .as(name)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
        assertThatThrownBy(() -> get("static", "web", "app.js"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
