package dev.freshet.registry.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.manifest.Manifest;
import dev.freshet.manifest.ManifestJson;
import dev.freshet.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bucket into a {@link Snapshot}: one listing of {@code models/}, then a GET of each key
 * not seen before. Everything it reads is written once, so parsed objects are kept for good and a
 * refresh of an unchanged bucket costs one listing. An object that does not parse (or whose content
 * contradicts its key) is skipped and logged once: a broken manifest makes its version invisible,
 * never the registry unusable.
 */
public final class IndexLoader {

    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    private final ObjectStore store;
    private final ObjectMapper json = ManifestJson.mapper();
    private final Map<String, Object> parsed = new HashMap<>();
    private final Set<String> unreadable = new HashSet<>();

    public IndexLoader(ObjectStore store) {
        this.store = store;
    }

    /** A snapshot of the bucket now; the same generation as {@code previous} if nothing changed. */
    public synchronized Snapshot load(Snapshot previous) {
        List<String> keys = store.list(StoreLayout.ROOT);
        Map<String, List<Manifest>> candidates = new TreeMap<>();
        Map<String, TreeMap<Long, Manifest>> versions = new TreeMap<>();
        Map<String, Map<Long, Rejection>> rejections = new HashMap<>();
        Map<String, Map<String, List<AliasEvent>>> aliases = new HashMap<>();
        for (String key : keys) {
            Optional<StoreLayout.Key> k = StoreLayout.parse(key);
            if (k.isEmpty() || unreadable.contains(key)) {
                continue;
            }
            Object value = read(key, k.get());
            if (value == null) {
                continue;
            }
            String model = k.get().model();
            switch (k.get().kind()) {
                case VERSION ->
                        versions.computeIfAbsent(model, m -> new TreeMap<>())
                                .put(k.get().number(), (Manifest) value);
                case CANDIDATE ->
                        candidates
                                .computeIfAbsent(model, m -> new ArrayList<>())
                                .add((Manifest) value);
                case REJECTION ->
                        rejections
                                .computeIfAbsent(model, m -> new HashMap<>())
                                .put(k.get().number(), (Rejection) value);
                case ALIAS_EVENT ->
                        aliases.computeIfAbsent(model, m -> new TreeMap<>())
                                .computeIfAbsent(k.get().name(), a -> new ArrayList<>())
                                .add((AliasEvent) value);
            }
        }
        Set<String> names = new HashSet<>(versions.keySet());
        names.addAll(candidates.keySet());
        names.addAll(aliases.keySet());
        Map<String, ModelEntry> models = new TreeMap<>();
        for (String name : names) {
            TreeMap<Long, VersionEntry> entries = new TreeMap<>();
            Map<Long, Rejection> rejected = rejections.getOrDefault(name, Map.of());
            versions.getOrDefault(name, new TreeMap<>())
                    .forEach((v, m) -> entries.put(v, new VersionEntry(m, rejected.get(v))));
            Map<String, List<AliasEvent>> logs = aliases.getOrDefault(name, Map.of());
            logs.values()
                    .forEach(log -> log.sort(java.util.Comparator.comparingLong(AliasEvent::seq)));
            models.put(
                    name,
                    new ModelEntry(name, entries, logs, candidates.getOrDefault(name, List.of())));
        }
        if (models.equals(previous.models())) {
            return previous;
        }
        return new Snapshot(previous.generation() + 1, models);
    }

    private Object read(String key, StoreLayout.Key k) {
        Object cached = parsed.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return null; // deleted between the listing and the GET
        }
        Object value;
        try {
            value =
                    switch (k.kind()) {
                        case VERSION, CANDIDATE -> ManifestJson.parse(bytes.get());
                        case REJECTION -> json.readValue(bytes.get(), Rejection.class);
                        case ALIAS_EVENT -> json.readValue(bytes.get(), AliasEvent.class);
                    };
        } catch (IOException e) {
            return skip(key, e.getMessage());
        }
        String problem = contradiction(k, value);
        if (problem != null) {
            return skip(key, problem);
        }
        parsed.put(key, value);
        return value;
    }

    private Object skip(String key, String why) {
        unreadable.add(key);
        LOG.warn("Skipping {}: {}", key, why);
        return null;
    }

    private static String contradiction(StoreLayout.Key k, Object value) {
        return switch (k.kind()) {
            case VERSION -> {
                Manifest m = (Manifest) value;
                yield m.version() != k.number() || !k.model().equals(m.model())
                        ? "manifest says " + m.model() + " version " + m.version()
                        : m.files() == null ? "manifest lists no files" : null;
            }
            case CANDIDATE -> k.model().equals(((Manifest) value).model()) ? null : "wrong model";
            case REJECTION -> ((Rejection) value).version() == k.number() ? null : "wrong version";
            case ALIAS_EVENT -> {
                AliasEvent e = (AliasEvent) value;
                yield e.seq() == k.number() && k.name().equals(e.alias())
                        ? null
                        : "wrong alias or seq";
            }
        };
    }
}
