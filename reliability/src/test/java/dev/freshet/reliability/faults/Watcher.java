package dev.freshet.reliability.faults;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A daemon thread that calls {@link #poll()} at a fixed pace until closed. */
abstract class Watcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Watcher(String name, Duration every) {
        thread =
                new Thread(
                        () -> {
                            while (running.get()) {
                                try {
                                    poll();
                                    Thread.sleep(every.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                } catch (RuntimeException e) {
                                    LOG.warn("{} poll failed", name, e);
                                }
                            }
                        },
                        name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    abstract void poll() throws InterruptedException;

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(10_000);
    }
}
