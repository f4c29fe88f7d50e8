package dev.freshet.cli.local;

import dev.freshet.cli.exception.CommandException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a component to say it is healthy before the next one starts. */
final class HealthCheck {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HealthCheck() {}

    /** Polls {@code healthy} until it says yes; a failure names the component and the wait. */
    static void await(String component, Duration timeout, BooleanSupplier healthy)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new CommandException(
                        component + " did not become healthy within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Whether {@code uri} answers 200 now. */
    static boolean httpOk(URI uri) {
        try {
            HttpResponse<Void> r =
                    HTTP.send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
