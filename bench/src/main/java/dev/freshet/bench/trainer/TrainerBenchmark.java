package dev.freshet.bench.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.features.sample.Sample;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.BatchAssembler;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.synthetic.SyntheticSamples;
import dev.freshet.trainer.train.StepResult;
import dev.freshet.trainer.train.TrainingSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trainer throughput next to PyTorch eager: the same model, the same samples, one thread each, in
 * one run. Java trains in this JVM; the reference ({@code bench/trainer/torch_reference.py},
 * Debian's python3-torch) runs as a child process on the same samples written as .npy files.
 *
 * <p>Two questions: samples/s of the default model config at batch 512 and 4096; and step time as
 * the two big embedding tables (user, item) grow from 16k to 1M rows, where PyTorch's default
 * (dense Adam over nn.EmbeddingBag) touches every row every step and its own row-sparse path
 * (SparseAdam with sparse gradients) does not. Writes {@code results.md} in the output directory.
 */
public final class TrainerBenchmark {

    record Options(
            Path out,
            int samples,
            int steps,
            int warmup,
            int jvmWarmup,
            int runs,
            String python,
            Path script,
            int[] batches,
            int[] rows,
            int growthBatch) {

        static Options parse(String[] args) {
            Path out = Path.of("bench/target/trainer-bench");
            int samples = 40_960;
            int steps = 60;
            int warmup = 40;
            int jvmWarmup = -1;
            int runs = 2;
            String python = "/usr/bin/python3";
            Path script = Path.of("bench/trainer/torch_reference.py");
            int[] batches = {512, 4096};
            int[] rows = {16_384, 131_072, 1_048_576};
            int growthBatch = 512;
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--out" -> out = Path.of(v);
                    case "--samples" -> samples = Integer.parseInt(v);
                    case "--steps" -> steps = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--jvm-warmup" -> jvmWarmup = Integer.parseInt(v);
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--python" -> python = v;
                    case "--script" -> script = Path.of(v);
                    case "--batches" -> batches = ints(v);
                    case "--rows" -> rows = ints(v);
                    case "--growth-batch" -> growthBatch = Integer.parseInt(v);
                    case "--help" -> {
                        System.out.println(
                                "TrainerBenchmark [--out DIR] [--samples N] [--steps S] [--warmup W] [--jvm-warmup J]"
                                        + " [--runs R] [--python PATH] [--script PATH]"
                                        + " [--batches 512,4096] [--rows 16384,131072,1048576]"
                                        + " [--growth-batch 512]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(
                    out,
                    samples,
                    steps,
                    warmup,
                    jvmWarmup < 0 ? warmup : jvmWarmup,
                    runs,
                    python,
                    script,
                    batches,
                    rows,
                    growthBatch);
        }

        private static int[] ints(String csv) {
            return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
        }
    }

    /** One measured configuration of one implementation. */
    record Measurement(
            String impl,
            int rows,
            int batch,
            double samplesPerSecond,
            double msPerStep,
            double samplesPerCpuSecond,
            double cpuMsPerStep,
            double loss) {}

    /** The default model config, on the synthetic data's four tasks. */
    static final ModelConfig CONFIG =
            ModelConfigFile.parse(
                    "tasks: [{name: click}, {name: save}, {name: conversion}, {name: pay}]");

    static final List<String> IMPLS =
            List.of("freshet", "pytorch dense-adam", "pytorch sparse-adam");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.out());
        List<Measurement> results = new ArrayList<>();
        int baseRows = o.rows()[0];
        ModelLayout baseLayout = null;
        for (int rows : o.rows()) {
            Prepared data = prepare(o, rows);
            if (rows == baseRows) {
                baseLayout = data.layout();
            }
            List<Integer> batches = new ArrayList<>();
            if (rows == baseRows) {
                Arrays.stream(o.batches()).forEach(batches::add);
            }
            if (!batches.contains(o.growthBatch())) {
                batches.add(o.growthBatch());
            }
            for (int batch : batches) {
                for (int run = 0; run < o.runs(); run++) {
                    // Alternate who goes first so drift on a shared machine does not favour one.
                    List<String> order = new ArrayList<>(IMPLS);
                    if (run % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (String impl : order) {
                        Measurement m =
                                impl.equals("freshet")
                                        ? java(o, data, rows, batch)
                                        : python(o, data, rows, batch, impl.substring(8));
                        System.out.printf(
                                Locale.ROOT,
                                "%-20s rows %8d batch %5d: %9.0f samples/s %8.2f ms/step,"
                                        + " %9.0f samples/CPU-s %8.2f CPU-ms/step, loss %.4f%n",
                                m.impl(),
                                rows,
                                batch,
                                m.samplesPerSecond(),
                                m.msPerStep(),
                                m.samplesPerCpuSecond(),
                                m.cpuMsPerStep(),
                                m.loss());
                        results.add(m);
                    }
                }
            }
        }
        double[] gemm = new double[2];
        for (int run = 0; run < o.runs(); run++) {
            gemm[0] = Math.max(gemm[0], GemmRate.djl());
            gemm[1] = Math.max(gemm[1], GemmRate.python(o.python()));
        }
        System.out.printf(
                Locale.ROOT, "GEMM GFLOP/s: DJL %.1f, reference torch %.1f%n", gemm[0], gemm[1]);
        String report = BenchmarkReport.markdown(o, results, baseRows, gemm);
        Files.writeString(o.out().resolve("results.md"), report, StandardCharsets.UTF_8);
        double flops = ModelFlops.perTrainingSample(CONFIG, baseLayout);
        System.out.printf(
                Locale.ROOT, "model: %.0f matrix-multiply FLOPs per training sample%n", flops);
        TrainerFigures.of(o, results, baseRows, flops, gemm[0]).writeTo(o.out());
        System.out.println(report);
    }

    /** CPU time of this whole JVM (compute thread, GC, JIT), like Python's process_time. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The samples as model batches (cyclic, as the reference script reads them) and as .npy. */
    record Prepared(ModelLayout layout, Batch all, List<Sample> samples, Path dir) {}

    static Prepared prepare(Options o, int rows) throws IOException {
        SyntheticSamples.Data data =
                SyntheticSamples.generate(
                        o.samples(), 1, new SyntheticSamples.Shape(50_000, 50_000, rows, 8));
        ModelLayout layout = ModelLayout.of(data.spec());
        Batch all = new BatchAssembler(layout, CONFIG.taskNames()).assemble(data.samples()).batch();
        Path dir = o.out().resolve("data-" + rows);
        NpyDataset.write(dir, all, layout, CONFIG);
        return new Prepared(layout, all, data.samples(), dir);
    }

    static Measurement java(Options o, Prepared data, int rows, int batch) {
        BatchAssembler assembler = new BatchAssembler(data.layout(), CONFIG.taskNames());
        // The JVM may warm up longer than Python: JIT compilation is a start-up cost PyTorch eager
        // does not have, and a trainer runs for days.
        int total = o.jvmWarmup() + o.steps();
        List<Batch> batches = new ArrayList<>(total);
        int n = data.samples().size();
        for (int s = 0; s < total; s++) {
            List<Sample> slice = new ArrayList<>(batch);
            for (int j = 0; j < batch; j++) {
                slice.add(data.samples().get((int) (((long) s * batch + j) % n)));
            }
            batches.add(assembler.assemble(slice).batch());
        }
        try (TrainingSession session = new TrainingSession(CONFIG, data.layout(), 1)) {
            for (int s = 0; s < o.jvmWarmup(); s++) {
                session.step(batches.get(s));
            }
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            StepResult last = null;
            for (int s = o.jvmWarmup(); s < total; s++) {
                last = session.step(batches.get(s));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            return new Measurement(
                    "freshet",
                    rows,
                    batch,
                    (double) batch * o.steps() / seconds,
                    seconds * 1000 / o.steps(),
                    (double) batch * o.steps() / cpu,
                    cpu * 1000 / o.steps(),
                    last.loss());
        }
    }

    static Measurement python(Options o, Prepared data, int rows, int batch, String optimizer)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                o.python(),
                                o.script().toString(),
                                "--data",
                                data.dir().toString(),
                                "--batch",
                                Integer.toString(batch),
                                "--steps",
                                Integer.toString(o.steps()),
                                "--warmup",
                                Integer.toString(o.warmup()),
                                "--embedding-optimizer",
                                optimizer,
                                "--threads",
                                "1")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("reference script failed: " + out);
        }
        JsonNode r = new ObjectMapper().readTree(out.strip());
        return new Measurement(
                "pytorch " + optimizer,
                rows,
                batch,
                r.get("samples_per_second").asDouble(),
                r.get("ms_per_step").asDouble(),
                r.get("samples_per_cpu_second").asDouble(),
                r.get("cpu_seconds").asDouble() * 1000 / o.steps(),
                r.get("final_loss").asDouble());
    }
}
