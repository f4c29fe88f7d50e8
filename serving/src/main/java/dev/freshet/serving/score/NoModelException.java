package dev.freshet.serving.score;

/** No version has been loaded yet: nothing can score. */
public final class NoModelException extends Exception {

    public NoModelException() {
        super("no model version is loaded yet");
    }
}
