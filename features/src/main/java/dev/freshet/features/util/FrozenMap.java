package dev.freshet.features.util;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An insertion-ordered map that nobody can change, allowing {@code null} values (unlike {@link
 * Map#copyOf}). {@link #copyOf} copies any other map but returns a {@code FrozenMap} as it is: an
 * impression's features pass through {@code RawFeatures}, {@code Sample} and its {@code with*}
 * copies without being copied again at each step (docs/BENCHMARKS.md, label join finding 2), while
 * maps from untrusted callers are still copied defensively.
 */
public final class FrozenMap<K, V> extends AbstractMap<K, V> implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final FrozenMap<?, ?> EMPTY = new FrozenMap<>(new LinkedHashMap<>());

    /** Only ever referenced from here, so no one else can change it. */
    private final Map<K, V> map;

    private FrozenMap(LinkedHashMap<K, V> owned) {
        this.map = Collections.unmodifiableMap(owned);
    }

    /** {@code map} itself if it is already frozen, else a frozen copy in its iteration order. */
    @SuppressWarnings("unchecked")
    public static <K, V> FrozenMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof FrozenMap<?, ?> frozen) {
            return (FrozenMap<K, V>) frozen;
        }
        if (map.isEmpty()) {
            return (FrozenMap<K, V>) EMPTY;
        }
        return new FrozenMap<>(new LinkedHashMap<>(map));
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return map.containsValue(value);
    }

    @Override
    public V get(Object key) {
        return map.get(key);
    }

    @Override
    public Set<K> keySet() {
        return map.keySet();
    }

    @Override
    public Collection<V> values() {
        return map.values();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return map.entrySet();
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        map.forEach(action);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || map.equals(o);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
