package dev.freshet.simulator;

import java.time.Clock;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TrafficModel} in real time on its own daemon thread ({@value #THREAD_NAME}): it
 * generates requests paced to the configured impressions per second, keeps every generated record
 * in a queue ordered by due time and sends each to the sink when it is due.
 *
 * <p>Request times are the schedule's, not the moment the thread woke up, so given the start time
 * the records are the same whatever the machine's speed; a thread that falls behind catches up.
 * Records still queued at {@link #close()} (engagements due later) are dropped.
 */
public final class TrafficSimulator implements AutoCloseable {

    public static final String THREAD_NAME = "freshet-simulator";

    private static final Logger LOG = LoggerFactory.getLogger(TrafficSimulator.class);

    /** Longest wait between two looks at the clock, so close is prompt. */
    private static final long MAX_WAIT_MILLIS = 50;

    /** Requests generated per pass at most, so a catch-up does not starve the sends. */
    private static final int MAX_REQUESTS_PER_PASS = 1_000;

    private final EventSink sink;
    private final Clock clock;
    private final TrafficModel model;
    private final long startMillis;
    private final double requestIntervalMillis;
    private final PriorityQueue<Queued> queue =
            new PriorityQueue<>(
                    Comparator.comparingLong((Queued q) -> q.event.sendAtMillis())
                            .thenComparingLong(q -> q.sequence));
    private final Object wakeUp = new Object();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private boolean closed;

    private final LongAdder requests = new LongAdder();
    private final LongAdder impressions = new LongAdder();
    private final LongAdder engagements = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder early = new LongAdder();

    private record Queued(ScheduledEvent event, long sequence) {}

    private TrafficSimulator(SimulatorConfig config, EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.startMillis = clock.millis();
        this.model = new TrafficModel(config, startMillis);
        this.requestIntervalMillis =
                1000.0 * config.itemsPerRequest() / config.impressionsPerSecond();
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** Starts sending now, until {@link #close()}. */
    public static TrafficSimulator start(SimulatorConfig config, EventSink sink) {
        return start(config, sink, Clock.systemUTC());
    }

    static TrafficSimulator start(SimulatorConfig config, EventSink sink, Clock clock) {
        TrafficSimulator simulator = new TrafficSimulator(config, sink, clock);
        simulator.thread.start();
        LOG.info(
                "Simulating {} impressions/s for {} users and {} items, run {} (seed {})",
                config.impressionsPerSecond(),
                config.users(),
                config.items(),
                simulator.model.runId(),
                config.seed());
        return simulator;
    }

    /** Live counts; safe to call from any thread. */
    public SimulatorStats stats() {
        return new SimulatorStats(
                requests.sum(),
                impressions.sum(),
                engagements.sum(),
                malformed.sum(),
                duplicates.sum(),
                early.sum());
    }

    /** The failure that stopped the simulator (the sink's, usually), or null while it is fine. */
    public Throwable failure() {
        return failure.get();
    }

    /** False once closed or stopped by a failure. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The run id in every request id of this run. */
    public String runId() {
        return model.runId();
    }

    private void run() {
        long sequence = 0;
        try {
            while (running) {
                long now = clock.millis();
                int generated = 0;
                long nextRequestAt;
                while ((nextRequestAt = requestTime(model.requests())) <= now
                        && generated++ < MAX_REQUESTS_PER_PASS) {
                    for (ScheduledEvent e : model.request(nextRequestAt)) {
                        queue.add(new Queued(e, sequence++));
                    }
                    requests.increment();
                }
                while (running && !queue.isEmpty() && queue.peek().event.sendAtMillis() <= now) {
                    send(queue.poll().event);
                }
                long next = nextRequestAt;
                if (!queue.isEmpty()) {
                    next = Math.min(next, queue.peek().event.sendAtMillis());
                }
                long wait = Math.min(MAX_WAIT_MILLIS, next - clock.millis());
                if (wait > 0) {
                    synchronized (wakeUp) {
                        if (running) {
                            wakeUp.wait(wait);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set(e);
            LOG.error("The simulator stopped: {}", e.getMessage(), e);
        }
    }

    private long requestTime(long n) {
        return startMillis + (long) Math.floor(n * requestIntervalMillis);
    }

    private void send(ScheduledEvent e) {
        sink.send(e.topic(), e.key(), e.value());
        switch (e.kind()) {
            case IMPRESSION -> impressions.increment();
            case ENGAGEMENT -> engagements.increment();
            case EARLY_ENGAGEMENT -> {
                engagements.increment();
                early.increment();
            }
            case MALFORMED -> malformed.increment();
            case DUPLICATE -> duplicates.increment();
        }
    }

    /** Stops the thread, then flushes and closes the sink. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            sink.flush();
        } finally {
            sink.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Simulator stopped: {}", stats());
    }
}
