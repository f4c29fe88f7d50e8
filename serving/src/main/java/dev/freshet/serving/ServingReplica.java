package dev.freshet.serving;

import dev.freshet.features.event.EventLimits;
import dev.freshet.serving.http.ServingMetrics;
import dev.freshet.serving.http.ServingServer;
import dev.freshet.serving.model.ModelSlot;
import dev.freshet.serving.model.ModelWatcher;
import dev.freshet.serving.registry.RegistryClient;
import dev.freshet.serving.score.Scorer;
import java.io.IOException;

/** A whole replica: the watcher filling the slot, the scorer reading it, the HTTP server. */
public final class ServingReplica implements AutoCloseable {

    private final ModelSlot slot;
    private final ModelWatcher watcher;
    private final ServingServer server;

    private ServingReplica(ModelSlot slot, ModelWatcher watcher, ServingServer server) {
        this.slot = slot;
        this.watcher = watcher;
        this.server = server;
    }

    public static ServingReplica start(ServingConfig config) throws IOException {
        ModelSlot slot = new ModelSlot();
        ServingMetrics metrics = new ServingMetrics(slot);
        RegistryClient client = new RegistryClient(config.registry(), config.registryTimeout());
        ModelWatcher watcher = new ModelWatcher(client, config.watcher(), slot, metrics);
        Scorer scorer = new Scorer(slot, EventLimits.DEFAULTS, config.maxImpressions());
        ServingServer server =
                ServingServer.start(
                        config.port(),
                        config.httpThreads(),
                        new ServingServer.Context(
                                scorer,
                                slot,
                                watcher::lastFailure,
                                metrics,
                                config.maxBodyBytes()));
        try {
            watcher.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new ServingReplica(slot, watcher, server);
    }

    public ModelWatcher watcher() {
        return watcher;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        watcher.close();
        slot.close();
    }
}
