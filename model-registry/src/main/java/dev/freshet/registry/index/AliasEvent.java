package dev.freshet.registry.index;

/**
 * One move of an alias, and its audit entry: who moved it when, from which version to which, and
 * why. {@code to} is null when the alias was deleted; {@code from} is null when it was unset.
 *
 * @param seq the position in the alias's log, from 1; the key is written only if absent, so two
 *     moves can never both be number seq
 * @param action promote, rollback or delete
 */
public record AliasEvent(
        String model,
        String alias,
        long seq,
        String action,
        Long from,
        Long to,
        String actor,
        String at,
        String reason) {}
