package dev.freshet.bench.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.freshet.trainer.engine.TorchRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The matrix-multiply rate each side's PyTorch reaches on one thread, for the shape of the model's
 * first MLP layer at batch 4096: DJL's libtorch (MKL) and Debian's torch (OpenBLAS) are different
 * builds, and most of a step is matrix multiplies, so this ceiling explains much of any gap.
 */
final class GemmRate {

    static final int M = 4096;
    static final int K = 168;
    static final int N = 256;
    static final int REPEATS = 300;

    private GemmRate() {}

    /** GFLOP/s of y = x W^T through DJL. */
    static double djl() {
        try (NDManager m = TorchRuntime.engine(1).newBaseManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(M, K));
            NDArray w = m.randomUniform(0, 1, new Shape(N, K));
            for (int i = 0; i < 30; i++) {
                Linear.linear(x, w).close();
            }
            long start = System.nanoTime();
            for (int i = 0; i < REPEATS; i++) {
                Linear.linear(x, w).close();
            }
            return 2.0 * M * K * N * REPEATS / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
    }

    /** GFLOP/s of the same product in the reference's torch, one thread. */
    static double python(String python) throws IOException, InterruptedException {
        String script =
                String.join(
                        "\n",
                        "import os",
                        "os.environ['OPENBLAS_NUM_THREADS'] = '1'",
                        "import torch, time",
                        "torch.set_num_threads(1)",
                        "x = torch.rand("
                                + M
                                + ", "
                                + K
                                + "); w = torch.rand("
                                + N
                                + ", "
                                + K
                                + ")",
                        "for _ in range(30): torch.nn.functional.linear(x, w)",
                        "t = time.perf_counter()",
                        "for _ in range(" + REPEATS + "): torch.nn.functional.linear(x, w)",
                        "s = time.perf_counter() - t",
                        "print(2.0 * "
                                + M
                                + " * "
                                + K
                                + " * "
                                + N
                                + " * "
                                + REPEATS
                                + " / s / 1e9)");
        Process p =
                new ProcessBuilder(python, "-c", script)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("python GEMM probe failed: " + out);
        }
        return Double.parseDouble(out);
    }
}
