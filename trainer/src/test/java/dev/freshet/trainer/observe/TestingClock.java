package dev.freshet.trainer.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when told to. */
final class TestingClock implements InstantSource {

    private volatile long millis;

    TestingClock(long startMillis) {
        this.millis = startMillis;
    }

    void advance(Duration by) {
        millis += by.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
