package io.github.rnnlab.checkpoint;

import io.github.rnnlab.checkpoint.CheckpointException.Problem;
import io.github.rnnlab.data.SequentialBatcher;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.io.AtomicFiles;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import io.github.rnnlab.train.optim.OptimizerState;
import io.github.rnnlab.train.optim.Sgd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a checkpoint holds, that it reads back exactly, and that every kind of damage is caught by name. */
class CheckpointTest {
    static final String TEXT = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ".repeat(6);
    static final Vocabulary VOCABULARY = Vocabulary.of(TEXT);

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void name() {
        file = dir.resolve("run.ckpt.safetensors");
    }

    static TrainingConfig config(OptimizerConfig optimizer, boolean bias) {
        int v = VOCABULARY.size();
        return new TrainingConfig("test_leaky",
                new SequenceModel.Config(new SequenceModel.Tokens(v, 6),
                        new RecurrentConfig(6, 10, 2, Directions.FORWARD, 0.2, Map.of(), bias), v, SequenceModel.Objective.CROSS_ENTROPY),
                optimizer, Trainer.Config.of(new LearningRate.Warmup(3, 0.1, new LearningRate.Cosine(0.01, 50, 1e-4))).withClipNorm(1.0),
                Bptt.truncated(3, 5), 8, 3, 77, Map.of("corpus", "pangrams"));
    }

    static TrainingState trained(TrainingConfig config, int steps) {
        TrainingState s = TrainingState.start(config, LeakyTestCell.PROVIDER, VOCABULARY, F32Ops.standard());
        SequentialBatcher batches = new SequentialBatcher(VOCABULARY.encode(TEXT), config.sequenceLength(), config.batch());
        for (int i = 0; i < steps; i++) {
            s.trainSequential(batches);
        }
        return s;
    }

    @Test
    void holdsTheWholeStateAndReadsItBackExactly() throws IOException {
        TrainingState s = trained(config(new OptimizerConfig.Adam(Adam.Config.adamW()), true), 4);
        Checkpoint.save(file, s);
        TrainingState back = Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard());

        assertEquals(s.config(), back.config());
        assertEquals(s.vocabulary(), back.vocabulary());
        assertArrayEquals(s.model().parameters().values(), back.model().parameters().values());
        OptimizerState a = s.optimizer().state(), b = back.optimizer().state();
        assertEquals(a.kind(), b.kind());
        assertEquals(a.step(), b.step());
        assertEquals(a.buffers().keySet(), b.buffers().keySet());
        a.buffers().forEach((k, v) -> assertArrayEquals(v, b.buffer(k), k));
        assertTrue(s.step() > 4, "one update per BPTT window: " + s.step());
        assertEquals(s.step(), back.step());
        assertEquals(s.trainer().rng().state(), back.trainer().rng().state());
        assertEquals(s.dataRng().state(), back.dataRng().state());
        assertEquals(s.dataPosition(), back.dataPosition());
        assertEquals(s.epoch(), back.epoch());
        assertArrayEquals(s.carriedState(), back.carriedState());

        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Map<String, String> m = r.metadata();
            assertEquals(Checkpoint.FORMAT, m.get("format"));
            assertEquals("1", m.get("format_version"));
            assertEquals(Long.toString(s.step()), m.get("step"));
            assertEquals(VOCABULARY.serialize(), m.get("vocabulary"));
            assertEquals("exp_avg,exp_avg_sq", m.get("optimizer.buffers"));
            assertEquals("pangrams", m.get("extra.corpus"));
            assertTrue(m.get("checksum").matches("[0-9a-f]{8}"));
            List<String> params = s.model().parameters().blocks().stream().map(Parameters.Block::name).toList();
            assertTrue(params.contains("embedding.weight") && params.contains("rnn.weight_hh_l1") && params.contains("head.bias"));
            for (String p : params) {
                assertEquals(DType.F32, r.tensor(p).dtype());
                assertTrue(r.contains("optimizer.exp_avg." + p) && r.contains("optimizer.exp_avg_sq." + p), p);
            }
            TensorInfo carried = r.tensor(Checkpoint.CARRIED);
            assertArrayEquals(new long[]{2, 3, 20}, carried.shape(), "(D·layers, B, S) with S = 2H for h|c");
            assertEquals(3 * params.size() + 1, r.names().size());
        }
        Checkpoint.Summary summary = Checkpoint.inspect(file);
        assertEquals(s.config(), summary.config());
        assertEquals(s.step(), summary.step());
        assertEquals("0.0.1", summary.cellVersion());
    }

    @Test
    void withoutBiasAndWithSgdTheBiasesAreAbsentAndStayZero() throws IOException {
        TrainingState s = trained(config(new OptimizerConfig.Sgd(new Sgd.Config(0.9, 0, false, 0.01)), false), 3);
        int absent = 0;
        for (Parameters.Block b : s.model().parameters().blocks()) {
            if (b.absent()) {
                absent++;
                assertArrayEquals(new double[b.size()], s.model().parameters().get(b.name()), "trained with momentum and weight decay: " + b.name());
                assertArrayEquals(new float[b.size()], Arrays.copyOfRange(s.optimizer().state().buffer("momentum_buffer"), b.offset(),
                        b.offset() + b.size()), "momentum of " + b.name());
            }
        }
        assertEquals(4, absent);
        Checkpoint.save(file, s);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertTrue(r.names().stream().noneMatch(n -> n.contains("rnn.bias")), r.names().toString());
            assertEquals("momentum_buffer", r.metadata().get("optimizer.buffers"));
        }
        TrainingState back = Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard());
        assertArrayEquals(s.model().parameters().values(), back.model().parameters().values());
        for (Parameters.Block b : back.model().parameters().blocks()) {
            if (b.absent()) {
                assertArrayEquals(new double[b.size()], back.model().parameters().get(b.name()), b.name());
            }
        }
    }

    @Test
    void aCheckpointBeforeTheFirstUpdateHasNoOptimizerBuffersAndNoCarriedState() throws IOException {
        TrainingState s = TrainingState.start(config(new OptimizerConfig.Adam(Adam.Config.adam()), true), LeakyTestCell.PROVIDER, null,
                F32Ops.standard());
        Checkpoint.save(file, s);
        TrainingState back = Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard());
        assertEquals(0, back.step());
        assertNull(back.carriedState());
        assertNull(back.vocabulary());
        assertTrue(back.optimizer().state().buffers().isEmpty());
        assertArrayEquals(s.model().parameters().values(), back.model().parameters().values());
    }

    // ---- damage ---------------------------------------------------------------------------------------

    private Path saved() throws IOException {
        Checkpoint.save(file, trained(config(new OptimizerConfig.Adam(Adam.Config.adamW()), true), 2));
        return file;
    }

    private CheckpointException loadFails(Path f) {
        return assertThrows(CheckpointException.class, () -> Checkpoint.load(f, LeakyTestCell.PROVIDER, F32Ops.standard()));
    }

    /** Rewrites {@code f} with its tensors and metadata edited (not through Checkpoint: the checksum is kept as it was). */
    private static void rewrite(Path f, Consumer<Map<String, String>> metadata, Consumer<Map<String, float[]>> tensors) throws IOException {
        Map<String, String> m;
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            m = new TreeMap<>(r.metadata());
            for (TensorInfo i : r.tensors()) {
                t.put(i.name(), r.readFloats(i.name()));
                shapes.put(i.name(), i.intShape());
            }
        }
        metadata.accept(m);
        tensors.accept(t);
        SafetensorsWriter w = new SafetensorsWriter().metadata(m);
        t.forEach((k, v) -> {
            int[] shape = shapes.get(k);
            w.add(k, shape != null && Arrays.stream(shape).reduce(1, (a, b) -> a * b) == v.length ? shape : new int[]{v.length}, v);
        });
        w.write(f);
    }

    @Test
    void truncatedFilesAreCorrupt() throws IOException {
        byte[] whole = Files.readAllBytes(saved());
        for (int length : new int[]{0, 5, 8, 100, whole.length / 2, whole.length - 1}) {
            Path cut = dir.resolve("cut" + length);
            Files.write(cut, Arrays.copyOf(whole, length));
            CheckpointException e = loadFails(cut);
            assertEquals(Problem.CORRUPT, e.problem(), "cut at " + length);
            assertTrue(e.getMessage().contains("damaged (not valid safetensors)"), e.getMessage());
        }
    }

    @Test
    void damagedDataOrMetadataFailsTheChecksum() throws IOException {
        byte[] whole = Files.readAllBytes(saved());
        byte[] flipped = whole.clone();
        flipped[flipped.length - 3] ^= 0x10;                 // one bit of the last tensor's data
        Path bad = dir.resolve("flipped");
        Files.write(bad, flipped);
        CheckpointException e = loadFails(bad);
        assertEquals(Problem.CORRUPT, e.problem());
        assertTrue(e.getMessage().contains("checksum: expected "), e.getMessage());

        rewrite(file, m -> m.put("rng.data", Long.toString(Long.parseLong(m.get("rng.data")) + 1)), t -> { });
        assertTrue(loadFails(file).getMessage().contains("checksum"));
    }

    @Test
    void missingOrExtraTensorsAreCorrupt() throws IOException {
        saved();
        rewrite(file, m -> { }, t -> t.remove("optimizer.exp_avg.rnn.bias_hh_l1"));
        CheckpointException missing = loadFails(file);
        assertEquals(Problem.CORRUPT, missing.problem());
        assertTrue(missing.getMessage().endsWith("tensor optimizer.exp_avg.rnn.bias_hh_l1: expected shape [10], got none"), missing.getMessage());
        saved();
        rewrite(file, m -> { }, t -> t.put("rnn.weight_ih_l2", new float[60]));
        assertTrue(loadFails(file).getMessage().endsWith("unexpected tensor rnn.weight_ih_l2; its configuration has no such parameter or optimizer buffer"));
        saved();
        rewrite(file, m -> { }, t -> t.put("head.bias", new float[3]));
        CheckpointException shape = loadFails(file);
        assertTrue(shape.getMessage().contains("head.bias: expected shape [" + VOCABULARY.size() + "], got [3]"), shape.getMessage());
    }

    @Test
    void anotherVersionFormatOrCellIsRefusedByName() throws IOException {
        saved();
        rewrite(file, m -> m.put("format_version", "2"), t -> { });
        CheckpointException version = loadFails(file);
        assertEquals(Problem.VERSION, version.problem());
        assertTrue(version.getMessage().endsWith(": format version 2 is not supported; expected 1"), version.getMessage());

        saved();
        CheckpointException cell = assertThrows(CheckpointException.class,
                () -> Checkpoint.load(file, ElmanTestCell.PROVIDER, F32Ops.standard()));
        assertEquals(Problem.CELL_MISMATCH, cell.problem());
        assertTrue(cell.getMessage().endsWith(": cell: expected test_elman, got test_leaky"), cell.getMessage());

        Path stateDict = dir.resolve("model.safetensors");
        new SafetensorsWriter().metadata("cell", "lstm").add("weight_ih_l0", new int[]{4, 1}, new float[4]).write(stateDict);
        CheckpointException notOne = loadFails(stateDict);
        assertEquals(Problem.NOT_A_CHECKPOINT, notOne.problem());
        assertTrue(notOne.getMessage().endsWith("expected metadata format rnnlab-checkpoint, got none (a model's state_dict is not a training checkpoint)"),
                notOne.getMessage());

        saved();
        rewrite(file, m -> m.remove("step"), t -> { });
        CheckpointException key = loadFails(file);
        assertEquals(Problem.MALFORMED, key.problem());
        assertEquals("metadata step: expected a value, got none", key.getMessage());
        saved();
        rewrite(file, m -> m.put("vocabulary", "letters"), t -> { });
        assertEquals(Problem.MALFORMED, loadFails(file).problem());
    }

    @Test
    void savingRemovesTheTemporaryFilesOfKilledSavesOnly() throws IOException {
        Path stale = dir.resolve(".run.ckpt.safetensors.1f2e3d4c5b6a7988.tmp");
        Path other = dir.resolve(".other.safetensors.1f2e3d4c5b6a7988.tmp");
        Path unlike = dir.resolve(".run.ckpt.safetensors.notours.tmp");
        for (Path p : List.of(stale, other, unlike)) {
            Files.writeString(p, "partial");
        }
        saved();
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(other) && Files.exists(unlike));
        assertEquals(0, AtomicFiles.deleteStaleTemporaries(file));
    }
}
