package dev.freshet.registry.web;

import dev.freshet.registry.http.Router;

/** The web page at {@code /}: models, versions with gate verdicts, charts across versions. */
public final class WebPage {

    private WebPage() {}

    public static Router routes(Router r) {
        return r;
    }
}
