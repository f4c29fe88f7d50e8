package dev.freshet.registry.index;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole bucket as the registry last read it, immutable. {@code generation} grows by one each
 * time a refresh finds anything changed; long-polls wait on it.
 */
public record Snapshot(long generation, Map<String, ModelEntry> models) {

    public static final Snapshot EMPTY = new Snapshot(0, Map.of());

    public Snapshot {
        models = java.util.Collections.unmodifiableMap(new TreeMap<>(models));
    }

    public Optional<ModelEntry> model(String name) {
        return Optional.ofNullable(models.get(name));
    }
}
