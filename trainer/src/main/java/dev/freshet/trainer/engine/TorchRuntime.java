package dev.freshet.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the PyTorch engine the way Freshet needs it: offline (DJL must never try the network for
 * natives or telemetry), with a fixed number of intra-op threads, and with MKL's conditional
 * numerical reproducibility checked. One intra-op thread plus {@code MKL_CBWR=AUTO,STRICT} is what
 * makes two runs with the same seed and data bit-identical on CPU; with more threads PyTorch's
 * reductions may split work differently from run to run.
 */
public final class TorchRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);

    /** Environment variable MKL reads at process start for reproducible results. */
    public static final String MKL_CBWR = "MKL_CBWR";

    private static volatile Engine engine;

    private TorchRuntime() {}

    /**
     * The PyTorch engine, started on first use with {@code threads} intra-op threads. Later calls
     * return the same engine; a different thread count then only applies to PyTorch's own pool.
     */
    public static Engine engine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Engine current = engine;
        if (current != null) {
            return current;
        }
        synchronized (TorchRuntime.class) {
            if (engine == null) {
                engine = start(threads, System.getenv());
            }
            return engine;
        }
    }

    private static Engine start(int threads, Map<String, String> env) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine started = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        if (!"AUTO,STRICT".equals(env.get(MKL_CBWR))) {
            LOG.warn(
                    "{} is '{}', not AUTO,STRICT: runs may not be bit-identical across machines",
                    MKL_CBWR,
                    env.getOrDefault(MKL_CBWR, ""));
        }
        LOG.info(
                "PyTorch engine {} started: {} intra-op thread(s), offline={}",
                started.getVersion(),
                JniUtils.getNumThreads(),
                System.getProperty("ai.djl.offline"));
        return started;
    }
}
