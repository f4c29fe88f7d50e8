package dev.freshet.simulator;

/** Where the simulator's records go: Kafka in production, a list in tests. */
public interface EventSink extends AutoCloseable {

    /** Sends one record; may buffer. Throws if an earlier send is known to have failed. */
    void send(String topic, String key, byte[] value);

    /** Blocks until everything sent so far is written. */
    void flush();

    @Override
    void close();
}
