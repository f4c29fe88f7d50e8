package dev.freshet.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.trainer.config.ModelConfig;
import dev.freshet.trainer.config.ModelConfigFile;
import dev.freshet.trainer.config.ModelConfigJson;
import dev.freshet.trainer.data.ModelLayout;
import dev.freshet.trainer.embedding.EmbeddingTable;
import dev.freshet.trainer.embedding.RowSparseOptimizer;
import dev.freshet.trainer.model.Param;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores the whole training state, so that training resumed from a checkpoint is bit
 * for bit the training that was never interrupted:
 *
 * <ul>
 *   <li>{@code parameters.safetensors} — the network's parameters and the embedding tables ({@code
 *       embedding.<field>}), all that serving needs;
 *   <li>{@code optimizer.safetensors} — dense Adam's moments and the row-sparse optimizers' per-row
 *       state;
 *   <li>{@code trainer.json} — the model config, the layout, step and sample counts.
 * </ul>
 *
 * Safetensors is the standard, framework-neutral tensor format (readable from Python as is).
 */
public final class Checkpoint {

    public static final String PARAMETERS = "parameters.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String TRAINER = "trainer.json";
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Checkpoint() {}

    public static void save(TrainingSession session, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (NDManager scratch = session.manager().newSubManager()) {
            NDList parameters = new NDList();
            for (Param p : session.network().params().all()) {
                parameters.add(named(p.array().duplicate(), p.name(), scratch));
            }
            for (EmbeddingTable t : session.embeddings().tables()) {
                parameters.add(
                        named(
                                scratch.create(t.weights(), new Shape(t.rows(), t.dim())),
                                "embedding." + t.name(),
                                scratch));
            }
            write(parameters, dir.resolve(PARAMETERS));

            NDList optimizer = new NDList();
            List<Param> params = session.network().params().all();
            for (int i = 0; i < params.size(); i++) {
                String name = params.get(i).name();
                optimizer.add(
                        named(
                                session.denseOptimizer().firstMoments().get(i).duplicate(),
                                "adam.m." + name,
                                scratch));
                optimizer.add(
                        named(
                                session.denseOptimizer().secondMoments().get(i).duplicate(),
                                "adam.v." + name,
                                scratch));
            }
            List<EmbeddingTable> tables = session.embeddings().tables();
            for (int f = 0; f < tables.size(); f++) {
                RowSparseOptimizer o = session.embeddings().optimizers().get(f);
                for (Map.Entry<String, Object> e : o.state().entrySet()) {
                    NDArray a =
                            e.getValue() instanceof float[] fs
                                    ? scratch.create(fs)
                                    : scratch.create((int[]) e.getValue());
                    optimizer.add(
                            named(
                                    a,
                                    "embedding." + tables.get(f).name() + "." + e.getKey(),
                                    scratch));
                }
            }
            write(optimizer, dir.resolve(OPTIMIZER));
        }
        ObjectNode trainer = JSON.createObjectNode();
        trainer.put("format", FORMAT);
        trainer.set("model_config", ModelConfigJson.toTree(session.config()));
        trainer.set("layout", JSON.valueToTree(session.layout()));
        trainer.put("steps", session.steps());
        trainer.put("samples", session.samples());
        trainer.put("dense_adam_steps", session.denseOptimizer().steps());
        Files.writeString(dir.resolve(TRAINER), trainer.toPrettyString());
    }

    /** What a checkpoint holds a model of: its config and layout. */
    public record Model(ModelConfig config, ModelLayout layout) {}

    /** The config and layout saved in {@code dir}, without loading any state. */
    public static Model model(Path dir) throws IOException {
        return model(trainerJson(dir));
    }

    private static Model model(JsonNode trainer) throws IOException {
        return new Model(
                ModelConfigFile.parse(trainer.get("model_config").toString()),
                JSON.treeToValue(trainer.get("layout"), ModelLayout.class));
    }

    private static JsonNode trainerJson(Path dir) throws IOException {
        JsonNode trainer = JSON.readTree(dir.resolve(TRAINER).toFile());
        if (trainer.path("format").asInt() != FORMAT) {
            throw new IOException(dir + ": unsupported checkpoint format " + trainer.get("format"));
        }
        return trainer;
    }

    /** A session on the CPU restored from {@code dir}, exactly as it was saved. */
    public static TrainingSession load(Path dir, int threads) throws IOException {
        return load(dir, threads, ai.djl.Device.cpu());
    }

    /** A session on {@code device} restored from {@code dir}, exactly as it was saved. */
    public static TrainingSession load(Path dir, int threads, ai.djl.Device device)
            throws IOException {
        JsonNode trainer = trainerJson(dir);
        Model model = model(trainer);
        TrainingSession session =
                new TrainingSession(model.config(), model.layout(), threads, device);
        try (NDManager scratch = session.manager().newSubManager()) {
            Map<String, NDArray> parameters = read(dir.resolve(PARAMETERS), scratch);
            for (Param p : session.network().params().all()) {
                p.set(floats(parameters, p.name()));
            }
            for (EmbeddingTable t : session.embeddings().tables()) {
                float[] w = floats(parameters, "embedding." + t.name());
                if (w.length != t.weights().length) {
                    throw new IOException("embedding." + t.name() + ": table size changed");
                }
                System.arraycopy(w, 0, t.weights(), 0, w.length);
            }
            Map<String, NDArray> optimizer = read(dir.resolve(OPTIMIZER), scratch);
            List<float[]> m = new ArrayList<>();
            List<float[]> v = new ArrayList<>();
            for (Param p : session.network().params().all()) {
                m.add(floats(optimizer, "adam.m." + p.name()));
                v.add(floats(optimizer, "adam.v." + p.name()));
            }
            session.denseOptimizer().restore(trainer.get("dense_adam_steps").asLong(), m, v);
            List<EmbeddingTable> tables = session.embeddings().tables();
            for (int f = 0; f < tables.size(); f++) {
                RowSparseOptimizer o = session.embeddings().optimizers().get(f);
                Map<String, Object> state = new LinkedHashMap<>();
                for (String key : o.state().keySet()) {
                    NDArray a = require(optimizer, "embedding." + tables.get(f).name() + "." + key);
                    state.put(
                            key,
                            a.getDataType() == DataType.INT32 ? a.toIntArray() : a.toFloatArray());
                }
                o.restore(state);
            }
        } catch (RuntimeException | IOException e) {
            session.close();
            throw e;
        }
        session.restoreCounters(trainer.get("steps").asLong(), trainer.get("samples").asLong());
        return session;
    }

    private static NDArray named(NDArray array, String name, NDManager scratch) {
        array.attach(scratch);
        array.setName(name);
        return array;
    }

    private static void write(NDList list, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> byName = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                byName.put(a.getName(), a);
            }
        }
        return byName;
    }

    private static NDArray require(Map<String, NDArray> arrays, String name) throws IOException {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IOException("checkpoint has no tensor " + name);
        }
        return a;
    }

    private static float[] floats(Map<String, NDArray> arrays, String name) throws IOException {
        return require(arrays, name).toFloatArray();
    }
}
