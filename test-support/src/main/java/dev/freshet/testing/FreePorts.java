package dev.freshet.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports free right now, for commands that need several distinct ones. */
public final class FreePorts {

    private FreePorts() {}

    /** {@code n} distinct ports: all held open together while chosen, then released. */
    public static int[] take(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    /** Whether {@code port} can be bound now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
