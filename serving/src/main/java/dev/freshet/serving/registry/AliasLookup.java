package dev.freshet.serving.registry;

/**
 * The answer to an alias lookup.
 *
 * @param state what the registry said
 * @param version the version behind the alias when {@code state} is {@link State#AT}, else the
 *     version the caller asked about (for {@link State#UNCHANGED}) or 0
 */
public record AliasLookup(State state, long version) {

    public enum State {
        /** The alias points at {@link #version()} (it moved, or this is the first lookup). */
        AT,
        /** The alias is still where the caller said it was ({@code 304}). */
        UNCHANGED,
        /** No such alias or model yet ({@code 404}). */
        ABSENT
    }
}
