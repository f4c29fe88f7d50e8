package dev.freshet.registry.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The bearer token writes must carry. Without a configured token every write is refused: a registry
 * that forgot its token must not become writable by anyone.
 */
public final class WriteToken {

    private final byte[] token;

    private WriteToken(byte[] token) {
        this.token = token;
    }

    public static WriteToken of(Optional<String> token) {
        return new WriteToken(token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null));
    }

    public boolean configured() {
        return token != null;
    }

    /** Throws 401 unless {@code authorization} is {@code Bearer <the token>}. */
    public void check(Optional<String> authorization) {
        if (token == null) {
            throw new ApiException(
                    401, "this registry has no write token configured; writes are disabled");
        }
        String header = authorization.orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "writes need an Authorization: Bearer <token> header");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the time taken must not tell how much of a guess was right.
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException(401, "wrong token");
        }
    }
}
