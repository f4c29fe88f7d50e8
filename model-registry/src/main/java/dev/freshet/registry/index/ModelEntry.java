package dev.freshet.registry.index;

import dev.freshet.manifest.Manifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One model in an index snapshot: its versions, the log of each alias (ascending) and the
 * candidates the gate refused.
 */
public record ModelEntry(
        String name,
        NavigableMap<Long, VersionEntry> versions,
        Map<String, List<AliasEvent>> aliasLogs,
        List<Manifest> candidates) {

    /** The alias every model has: the newest version not rejected. */
    public static final String LATEST = "latest";

    public ModelEntry {
        versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
        aliasLogs = Map.copyOf(aliasLogs);
        candidates = List.copyOf(candidates);
    }

    public Optional<VersionEntry> version(long v) {
        return Optional.ofNullable(versions.get(v));
    }

    public Optional<VersionEntry> newestReady() {
        return versions.descendingMap().values().stream().filter(VersionEntry::ready).findFirst();
    }

    /** The newest entry of an alias's log, if it has one (a deleted alias still has one). */
    public Optional<AliasEvent> lastEvent(String alias) {
        List<AliasEvent> log = aliasLogs.get(alias);
        return log == null || log.isEmpty()
                ? Optional.empty()
                : Optional.of(log.get(log.size() - 1));
    }

    public List<AliasEvent> history(String alias) {
        List<AliasEvent> log = new ArrayList<>(aliasLogs.getOrDefault(alias, List.of()));
        Collections.reverse(log);
        return log;
    }

    /** The version behind {@code alias} now: {@code latest}, or a set alias. */
    public Optional<Long> resolve(String alias) {
        if (LATEST.equals(alias)) {
            return newestReady().map(VersionEntry::version);
        }
        return lastEvent(alias).map(AliasEvent::to);
    }

    /** Every alias that points at a version now, {@code latest} included, by name. */
    public Map<String, Long> aliases() {
        Map<String, Long> out = new TreeMap<>();
        newestReady().ifPresent(v -> out.put(LATEST, v.version()));
        aliasLogs.forEach(
                (alias, log) -> {
                    AliasEvent last = log.get(log.size() - 1);
                    if (last.to() != null) {
                        out.put(alias, last.to());
                    }
                });
        return out;
    }

    /** The set aliases (not {@code latest}) pointing at {@code version}. */
    public List<String> setAliasesOf(long version) {
        List<String> out = new ArrayList<>();
        aliases()
                .forEach(
                        (alias, v) -> {
                            if (!LATEST.equals(alias) && v == version) {
                                out.add(alias);
                            }
                        });
        return out;
    }
}
