package dev.freshet.bench.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.data.Batch;
import dev.freshet.trainer.data.ModelLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark's samples for the PyTorch reference script ({@code
 * bench/trainer/torch_reference.py}): {@code meta.json} plus NumPy {@code .npy} arrays, so both
 * implementations train on exactly the same numbers. Sparse bags are CSR over (sample, field) in
 * sample-major order; an absent field carries its absent row, as in the Java trainer.
 */
final class NpyDataset {

    private NpyDataset() {}

    static void write(Path dir, Batch all, ModelLayout layout, ModelConfig config)
            throws IOException {
        Files.createDirectories(dir);
        int n = all.size();
        int d = layout.dense().size();
        int f = layout.sparse().size();
        int k = config.tasks().size();
        floats(dir.resolve("dense.npy"), all.dense(), n, d);
        floats(dir.resolve("dense_missing.npy"), all.missing(), n, d);
        long[] offsets = new long[n * f + 1];
        int nnz = 0;
        for (int field = 0; field < f; field++) {
            nnz += all.bagIds()[field].length;
        }
        long[] ids = new long[nnz];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int field = 0; field < f; field++) {
                offsets[i * f + field] = at;
                int[] o = all.bagOffsets()[field];
                for (int j = o[i]; j < o[i + 1]; j++) {
                    ids[at++] = all.bagIds()[field][j];
                }
            }
        }
        offsets[n * f] = at;
        longs(dir.resolve("sparse_ids.npy"), ids);
        longs(dir.resolve("sparse_offsets.npy"), offsets);
        if (layout.embeddingWidth() > 0) {
            floats(dir.resolve("embeddings.npy"), all.embeddings(), n, layout.embeddingWidth());
        }
        floats(dir.resolve("labels.npy"), all.labels(), n, k);
        floats(dir.resolve("weights.npy"), all.weights(), n);
        Files.writeString(dir.resolve("meta.json"), meta(n, layout, config).toPrettyString());
    }

    private static ObjectNode meta(int n, ModelLayout layout, ModelConfig config) {
        ObjectNode meta = new ObjectMapper().createObjectNode();
        meta.put("n", n);
        meta.put("dense", layout.dense().size());
        ArrayNode fields = meta.putArray("fields");
        layout.sparse()
                .forEach(s -> fields.addObject().put("name", s.name()).put("rows", s.rows()));
        meta.put("embedding_dim", config.embeddingDim());
        ArrayNode embeddings = meta.putArray("embeddings");
        for (ModelLayout.EmbeddingField e : layout.embeddings()) {
            ObjectNode node = embeddings.addObject().put("name", e.name()).put("dim", e.dim());
            if (e.dim() > config.projectAbove()) {
                node.put("projected_dim", config.projectDim());
            } else {
                node.putNull("projected_dim");
            }
        }
        ArrayNode tasks = meta.putArray("tasks");
        ArrayNode weights = meta.putArray("task_weights");
        config.tasks()
                .forEach(
                        t -> {
                            tasks.add(t.name());
                            weights.add(t.weight());
                        });
        if (config.interaction().type() != ModelConfig.InteractionType.DCN) {
            throw new IllegalArgumentException("the reference script implements full-rank DCNv2");
        }
        meta.put("cross_layers", config.interaction().crossLayers());
        ArrayNode mlp = meta.putArray("mlp");
        config.mlp().forEach(mlp::add);
        meta.put("concat_input", config.concatInput());
        meta.put("dense_lr", config.optimizer().denseLr());
        meta.put("embedding_lr", config.optimizer().embeddingLr());
        meta.putArray("betas").add(config.optimizer().beta1()).add(config.optimizer().beta2());
        meta.put("eps", config.optimizer().epsilon());
        return meta;
    }

    private static void floats(Path file, float[] values, int... shape) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, "<f4", shape, data.array());
    }

    private static void longs(Path file, long[] values) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        write(file, "<i8", new int[] {values.length}, data.array());
    }

    /** NumPy format 1.0: magic, header length, a dict literal padded to 64 bytes, then data. */
    private static void write(Path file, String dtype, int[] shape, byte[] data)
            throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int s : shape) {
            dims.append(s).append(',');
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 1);
        }
        String dict =
                "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer preamble = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        preamble.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
        preamble.put((byte) 1).put((byte) 0).putShort((short) header.length());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(preamble.array());
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(data);
        }
    }
}
