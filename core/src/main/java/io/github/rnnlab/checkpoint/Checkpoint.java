package io.github.rnnlab.checkpoint;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.CheckpointException.Problem;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.data.VocabularyFormatException;
import io.github.rnnlab.interop.StateDict;
import io.github.rnnlab.io.AtomicFiles;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsException;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.optim.Optimizer;
import io.github.rnnlab.train.optim.OptimizerState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A training checkpoint: one safetensors file holding a whole {@link TrainingState}, written atomically.
 *
 * <h2>Contents</h2>
 * Tensors, all F32:
 * <ul>
 *   <li>the model's parameters under their PyTorch-style names ({@code embedding.weight}, {@code rnn.weight_ih_l0},
 *       …, {@code head.bias}; {@linkplain Parameters.Block#absent() absent} blocks are left out, as in a
 *       {@code state_dict});</li>
 *   <li>the optimizer's buffers, per parameter: {@code optimizer.<buffer>.<parameter>}, with PyTorch's buffer
 *       names ({@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer});</li>
 *   <li>{@code state.carried}: the recurrent state carried into the next batch, (D·layers, B, S), if any.</li>
 * </ul>
 * {@code __metadata__}: {@code format} ({@value #FORMAT}), {@code format_version} ({@value #VERSION}), the
 * configuration ({@link TrainingConfig#toMetadata()}), {@code cell.version} (the provider's version when
 * saved), {@code step}, {@code epoch}, {@code data.position}, {@code rng.trainer} and {@code rng.data} (the
 * generators' states), {@code optimizer.buffers} (the buffer names, comma-separated), {@code vocabulary}
 * ({@link Vocabulary#serialize()}, for a character model) and {@code checksum}: the CRC-32C of every tensor
 * (name, then its float32 values little-endian, in name order) and every other metadata pair (in key order),
 * so that damage to the data or the metadata is found on loading.
 *
 * <h2>Writing</h2>
 * {@link #save} writes through {@link AtomicFiles} (temporary file, fsync, rename): a crash or kill while
 * saving leaves the previous checkpoint whole. The temporary file of a killed save is deleted by the next
 * save of the same file ({@link AtomicFiles#deleteStaleTemporaries}); one writer per checkpoint file.
 *
 * <h2>Loading</h2>
 * {@link #load} validates everything before it builds anything a caller sees: the safetensors structure,
 * the format and version, every metadata key, the cell (it must be the one requested, if one is), every
 * tensor's presence, shape and dtype, no tensor too many, and the checksum. Problems are
 * {@link CheckpointException}s. A loaded state continues training bit for bit as the saved one would have
 * (with the same thread count).
 */
public final class Checkpoint {
    /** The {@code format} metadata value of a checkpoint. */
    public static final String FORMAT = "rnnlab-checkpoint";
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    /** The tensor holding the carried recurrent state. */
    public static final String CARRIED = "state.carried";
    private static final String OPTIMIZER = "optimizer.";
    private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());

    private Checkpoint() {
    }

    /** What {@link #inspect} reads: the configuration and progress, without the tensors. */
    public record Summary(TrainingConfig config, Vocabulary vocabulary, long step, long epoch, String cellVersion) {
    }

    /**
     * Saves {@code state} to {@code file} atomically, first deleting the temporary files earlier saves of
     * {@code file} left when their process was killed.
     */
    public static void save(Path file, TrainingState state) throws IOException {
        Parameters<float[]> p = state.model().parameters();
        OptimizerState os = state.optimizer().state();
        List<Region> regions = new ArrayList<>();
        for (Parameters.Block b : p.blocks()) {
            if (!b.absent()) {
                regions.add(new Region(b.name(), b.shape(), p.values(), b.offset(), b.size()));
            }
        }
        for (Map.Entry<String, float[]> buf : os.buffers().entrySet()) {
            for (Parameters.Block b : p.blocks()) {
                if (!b.absent()) {
                    regions.add(new Region(OPTIMIZER + buf.getKey() + "." + b.name(), b.shape(), buf.getValue(), b.offset(), b.size()));
                }
            }
        }
        float[] carried = state.carried();
        if (carried != null) {
            var rnn = state.model().rnn();
            int rows = rnn.layers() * rnn.directions();
            regions.add(new Region(CARRIED, new int[]{rows, carried.length / (rows * rnn.stateSize()), rnn.stateSize()},
                    carried, 0, carried.length));
        }

        TreeMap<String, String> meta = new TreeMap<>(state.config().toMetadata());
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("cell.version", state.cell().version());
        meta.put("step", Long.toString(state.step()));
        meta.put("epoch", Long.toString(state.epoch()));
        meta.put("data.position", Integer.toString(state.dataPosition()));
        meta.put("rng.trainer", Long.toString(state.trainer().rng().state()));
        meta.put("rng.data", Long.toString(state.dataRng().state()));
        meta.put("optimizer.buffers", String.join(",", os.buffers().keySet()));
        if (state.vocabulary() != null) {
            meta.put("vocabulary", state.vocabulary().serialize());
        }
        meta.put("checksum", checksum(regions, meta));

        SafetensorsWriter w = new SafetensorsWriter().metadata(meta);
        for (Region r : regions) {
            w.add(r.name, DType.F32, r.shape, r.array, r.offset);
        }
        AtomicFiles.deleteStaleTemporaries(file);
        w.write(file);
    }

    /**
     * Loads the checkpoint in {@code file}, its cell found in {@code registry}.
     *
     * @throws CheckpointException if the file is not a valid checkpoint (see {@link Problem})
     */
    public static TrainingState load(Path file, CellRegistry registry, Ops<float[]> ops) throws IOException {
        return load(file, registry, null, ops);
    }

    /**
     * Loads the checkpoint in {@code file}, which must be of cell {@code expectedCell} (or of any cell when
     * null), the cell found in {@code registry}.
     *
     * @throws CheckpointException ({@link Problem#CELL_MISMATCH}) if it is of another cell, or for any other problem
     */
    public static TrainingState load(Path file, CellRegistry registry, String expectedCell, Ops<float[]> ops) throws IOException {
        try (SafetensorsReader r = open(file)) {
            Header h = header(file, r);
            String id = h.config.cell();
            if (expectedCell != null && !expectedCell.equals(id)) {
                throw cellMismatch(file, expectedCell, id);
            }
            CellProvider cell;
            try {
                cell = registry.provider(id);
            } catch (CellRegistry.UnknownCellException e) {
                throw new CheckpointException(Problem.UNKNOWN_CELL, "checkpoint " + file + ": cell: expected one of "
                        + e.available() + ", got \"" + id + "\" (is its plugin installed?)", e);
            }
            return read(file, r, h, cell, ops);
        }
    }

    /**
     * Loads the checkpoint in {@code file}, which must be of {@code cell}.
     *
     * @throws CheckpointException ({@link Problem#CELL_MISMATCH}) if it is of another cell, or for any other problem
     */
    public static TrainingState load(Path file, CellProvider cell, Ops<float[]> ops) throws IOException {
        try (SafetensorsReader r = open(file)) {
            Header h = header(file, r);
            if (!cell.id().equals(h.config.cell())) {
                throw cellMismatch(file, cell.id(), h.config.cell());
            }
            return read(file, r, h, cell, ops);
        }
    }

    /**
     * The configuration and progress of the checkpoint in {@code file}, without reading its tensors (so
     * without the checksum check that {@link #load} makes).
     */
    public static Summary inspect(Path file) throws IOException {
        try (SafetensorsReader r = open(file)) {
            Header h = header(file, r);
            return new Summary(h.config, h.vocabulary, h.step, h.epoch, h.keys.has("cell.version") ? h.keys.string("cell.version") : "");
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------

    private record Header(Map<String, String> metadata, Keys keys, TrainingConfig config, Vocabulary vocabulary,
                          long step, long epoch, int position, long rngTrainer, long rngData, List<String> buffers) {
    }

    private record Region(String name, int[] shape, float[] array, int offset, int size) {
    }

    private static SafetensorsReader open(Path file) throws IOException {
        try {
            return SafetensorsReader.open(file);
        } catch (SafetensorsException e) {
            throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + " is damaged (not valid safetensors): "
                    + e.getMessage(), e);
        }
    }

    private static Header header(Path file, SafetensorsReader r) {
        Map<String, String> m = r.metadata();
        String format = m.get("format");
        if (!FORMAT.equals(format)) {
            throw new CheckpointException(Problem.NOT_A_CHECKPOINT, "checkpoint " + file + ": expected metadata format "
                    + FORMAT + ", got " + (format == null ? "none" : "\"" + format + "\"")
                    + (r.contains("weight_ih_l0") || r.contains("rnn.weight_ih_l0") ? " (a model's state_dict is not a training checkpoint)" : ""));
        }
        Keys k = new Keys(m);
        String version = k.string("format_version");
        if (!version.equals(Integer.toString(VERSION))) {
            throw new CheckpointException(Problem.VERSION, "checkpoint " + file + ": format version " + version
                    + " is not supported; expected " + VERSION);
        }
        TrainingConfig config = TrainingConfig.fromMetadata(m);
        Vocabulary vocabulary = null;
        if (k.has("vocabulary")) {
            try {
                vocabulary = Vocabulary.parse(k.string("vocabulary"));
            } catch (VocabularyFormatException e) {
                throw new CheckpointException(Problem.MALFORMED, "checkpoint " + file + ": metadata vocabulary: " + e.getMessage(), e);
            }
        }
        long step = k.longValue("step");
        long epoch = k.longValue("epoch");
        int position = k.intValue("data.position");
        if (step < 0 || epoch < 0 || position < 0) {
            throw new CheckpointException(Problem.MALFORMED, "checkpoint " + file + ": step, epoch and data.position: expected"
                    + " non-negative values, got " + step + ", " + epoch + ", " + position);
        }
        String list = k.string("optimizer.buffers");
        List<String> buffers = list.isEmpty() ? List.of() : List.of(list.split(",", -1));
        for (String b : buffers) {
            if (!b.matches("[a-z][a-z0-9_]*")) {
                throw Keys.malformed("optimizer.buffers", "comma-separated buffer names", list);
            }
        }
        k.string("checksum");
        return new Header(m, k, config, vocabulary, step, epoch, position, k.longValue("rng.trainer"), k.longValue("rng.data"), buffers);
    }

    private static TrainingState read(Path file, SafetensorsReader r, Header h, CellProvider cell, Ops<float[]> ops) throws IOException {
        if (h.keys.has("cell.version") && !h.keys.string("cell.version").equals(cell.version())) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint {0} was saved with cell {1} version {2}; this is version {3}",
                    file, cell.id(), h.keys.string("cell.version"), cell.version());
        }
        SequenceModel<float[]> model;
        Optimizer optimizer;
        try {
            TrainingState.check(h.config, cell, h.vocabulary);
            model = new SequenceModel<>(ops, cell, h.config.model());
            optimizer = h.config.optimizer().create();
        } catch (RnnlabException | IllegalArgumentException e) {
            throw new CheckpointException(Problem.MALFORMED, "checkpoint " + file + ": the configuration is invalid: " + e.getMessage(), e);
        }
        Parameters<float[]> p = model.parameters();

        // every tensor the configuration implies, and nothing else
        Set<String> expected = new HashSet<>();
        List<Region> regions = new ArrayList<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        try {
            StateDict.read(r, p, "");
        } catch (RnnlabException e) {
            throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": the parameters do not fit its configuration: "
                    + e.getMessage(), e);
        }
        for (Parameters.Block b : p.blocks()) {
            if (!b.absent()) {
                expected.add(b.name());
                regions.add(new Region(b.name(), b.shape(), p.values(), b.offset(), b.size()));
            }
        }
        for (String name : h.buffers) {
            float[] flat = new float[p.size()];
            buffers.put(name, flat);
            for (Parameters.Block b : p.blocks()) {
                if (!b.absent()) {
                    String t = OPTIMIZER + name + "." + b.name();
                    readInto(file, r, t, b.shape(), flat, b.offset());
                    expected.add(t);
                    regions.add(new Region(t, b.shape(), flat, b.offset(), b.size()));
                }
            }
        }
        float[] carried = null;
        if (r.contains(CARRIED)) {
            var rnn = model.rnn();
            TensorInfo t = r.tensor(CARRIED);
            int rows = rnn.layers() * rnn.directions();
            if (t.rank() != 3 || t.dim(0) != rows || t.dim(2) != rnn.stateSize() || t.elementCount() > Integer.MAX_VALUE - 8) {
                throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": tensor " + CARRIED + ": expected shape ["
                        + rows + ", B, " + rnn.stateSize() + "], got " + Arrays.toString(t.shape()));
            }
            int[] shape = {rows, (int) t.dim(1), rnn.stateSize()};
            carried = new float[(int) t.elementCount()];
            readInto(file, r, CARRIED, shape, carried, 0);
            expected.add(CARRIED);
            regions.add(new Region(CARRIED, shape, carried, 0, carried.length));
        }
        for (String n : r.names()) {
            if (!expected.contains(n)) {
                throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": unexpected tensor " + n
                        + "; its configuration has no such parameter or optimizer buffer");
            }
        }
        TreeMap<String, String> meta = new TreeMap<>(h.metadata);
        String stored = meta.remove("checksum");
        String actual = checksum(regions, meta);
        if (!stored.equals(actual)) {
            throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": checksum: expected " + stored
                    + " (stored when it was saved), got " + actual + "; the file was damaged or changed after it was written");
        }

        try {
            optimizer.restore(new OptimizerState(h.config.optimizer().kind(), h.step, buffers));
        } catch (RnnlabException | IllegalArgumentException e) {
            throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": the optimizer state does not fit: " + e.getMessage(), e);
        }
        TrainingState state = new TrainingState(h.config, cell, h.vocabulary, model, optimizer, new Rng(h.rngTrainer), new Rng(h.rngData));
        state.restoreData(h.epoch, h.position, carried);
        return state;
    }

    private static void readInto(Path file, SafetensorsReader r, String name, int[] shape, float[] dst, int offset) throws IOException {
        TensorInfo t = r.find(name).orElseThrow(() -> new CheckpointException(Problem.CORRUPT, "checkpoint " + file
                + ": tensor " + name + ": expected shape " + Arrays.toString(shape) + ", got none"));
        if (!t.hasShape(shape) || t.dtype() != DType.F32) {
            throw new CheckpointException(Problem.CORRUPT, "checkpoint " + file + ": tensor " + name + ": expected F32 "
                    + Arrays.toString(shape) + ", got " + t.dtype() + " " + Arrays.toString(t.shape()));
        }
        r.readFloats(name, dst, offset);
    }

    private static CheckpointException cellMismatch(Path file, String expected, String actual) {
        return new CheckpointException(Problem.CELL_MISMATCH, "checkpoint " + file + ": cell: expected " + expected
                + ", got " + actual);
    }

    /** CRC-32C of the regions (by name: name bytes, then values little-endian) and the metadata pairs (by key). */
    private static String checksum(List<Region> regions, Map<String, String> sortedMetadata) {
        CRC32C crc = new CRC32C();
        List<Region> sorted = new ArrayList<>(regions);
        sorted.sort(java.util.Comparator.comparing(Region::name));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Region r : sorted) {
            crc.update(r.name.getBytes(StandardCharsets.UTF_8));
            crc.update(0);
            for (int done = 0; done < r.size; ) {
                int n = Math.min(buf.capacity() / 4, r.size - done);
                buf.clear();
                buf.asFloatBuffer().put(r.array, r.offset + done, n);
                crc.update(buf.array(), 0, 4 * n);
                done += n;
            }
        }
        for (Map.Entry<String, String> e : sortedMetadata.entrySet()) {
            crc.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return String.format("%08x", crc.getValue());
    }
}
