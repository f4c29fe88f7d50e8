package dev.freshet.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The six ports {@code freshet local} listens on, chosen free (never the defaults: another stack
 * may hold them), and the options that pass them; indices by the constants below.
 */
public final class LocalStackPorts {

    public static final int KAFKA = 0;
    public static final int CONTROLLER = 1;
    public static final int S3 = 2;
    public static final int REGISTRY = 3;
    public static final int SERVING = 4;
    public static final int METRICS = 5;

    private static final List<String> OPTIONS =
            List.of(
                    "--kafka-port",
                    "--controller-port",
                    "--s3-port",
                    "--registry-port",
                    "--serving-port",
                    "--metrics-port");

    private LocalStackPorts() {}

    public static int[] take() throws IOException {
        return FreePorts.take(OPTIONS.size());
    }

    /** {@code --kafka-port P ... --metrics-port P} for ports from {@link #take}. */
    public static List<String> options(int[] ports) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < OPTIONS.size(); i++) {
            out.add(OPTIONS.get(i));
            out.add(Integer.toString(ports[i]));
        }
        return out;
    }
}
