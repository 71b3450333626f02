package io.github.rnnlab.checkpoint;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.checkpoint.CheckpointException.Problem;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import io.github.rnnlab.train.optim.Sgd;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a training run is set up with, fixed for the whole run: the model, the optimizer, the
 * schedule and clipping, truncated BPTT, the batch shape and the seed, plus keys of the caller's own (the
 * corpus, the batching scheme, …). A checkpoint stores it as flat metadata keys ({@link #toMetadata()}):
 * <pre>
 *   cell                  the cell id, e.g. lstm
 *   cell.option.NAME      each of the cell's options
 *   model.input           tokens | features
 *   model.vocabulary      V (tokens)            model.embedding   embedding size (tokens)
 *   model.features        n (features)
 *   model.outputs         classes or values per step
 *   model.objective       cross_entropy | mean_squared_error
 *   rnn.input_size  rnn.hidden_size  rnn.layers  rnn.dropout  rnn.bias (true | false)
 *   rnn.directions        forward | bidirectional_concat | bidirectional_sum
 *   optimizer             adam | adamw | sgd
 *   optimizer.beta1  optimizer.beta2  optimizer.eps  optimizer.weight_decay          (adam, adamw)
 *   optimizer.momentum  optimizer.dampening  optimizer.nesterov  optimizer.weight_decay   (sgd)
 *   schedule              constant | step | cosine | warmup, with its parameters under schedule.:
 *                         rate; rate, every, gamma; rate, steps, min; steps, start_factor and then
 *                         (the schedule after the warm-up, its own parameters under schedule.then.)
 *   clip.norm  clip.value 0 for none
 *   bptt                  full | K | K1,K2
 *   seq_len  batch  seed
 *   extra.NAME            the caller's own keys
 * </pre>
 * Numbers are written so that they read back exactly ({@link Double#toString}).
 *
 * @param cell           the id of the cell of every layer
 * @param model          the sequence model (input, recurrent stack with the cell's options, outputs, objective)
 * @param optimizer      the optimizer and its hyper-parameters
 * @param trainer        the learning-rate schedule and clipping
 * @param bptt           full or truncated back-propagation through time
 * @param sequenceLength T, the steps of a batch
 * @param batch          B, the rows of a batch
 * @param seed           the seed every random stream of the run derives from ({@link TrainingState#start})
 * @param extra          the caller's own keys ({@code [a-z0-9_.]+}) and values; unmodifiable, sorted
 */
public record TrainingConfig(String cell, SequenceModel.Config model, OptimizerConfig optimizer, Trainer.Config trainer,
                             Bptt bptt, int sequenceLength, int batch, long seed, Map<String, String> extra) {

    public TrainingConfig {
        if (cell == null || !cell.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a cell id must match [a-z][a-z0-9_]*, got " + cell);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(bptt, "bptt");
        if (sequenceLength < 1 || batch < 1) {
            throw new IllegalArgumentException("sequence length and batch must be at least 1, got " + sequenceLength + " and " + batch);
        }
        TreeMap<String, String> copy = new TreeMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (k == null || !k.matches("[a-z0-9_.]+") || v == null) {
                    throw new IllegalArgumentException("extra keys must match [a-z0-9_.]+ and have a value, got " + k + " = " + v);
                }
                copy.put(k, v);
            });
        }
        extra = Collections.unmodifiableMap(copy);
    }

    /** This configuration with the extra key {@code key} set to {@code value}. */
    public TrainingConfig withExtra(String key, String value) {
        TreeMap<String, String> e = new TreeMap<>(extra);
        e.put(key, value);
        return new TrainingConfig(cell, model, optimizer, trainer, bptt, sequenceLength, batch, seed, e);
    }

    /** The flat metadata keys of this configuration (see the class comment), sorted. */
    public Map<String, String> toMetadata() {
        TreeMap<String, String> m = new TreeMap<>();
        m.put("cell", cell);
        RecurrentConfig rnn = model.rnn();
        rnn.options().forEach((k, v) -> m.put("cell.option." + k, v));
        if (model.input() instanceof SequenceModel.Tokens t) {
            m.put("model.input", "tokens");
            m.put("model.vocabulary", Integer.toString(t.vocabulary()));
            m.put("model.embedding", Integer.toString(t.embeddingSize()));
        } else {
            m.put("model.input", "features");
            m.put("model.features", Integer.toString(model.input().width()));
        }
        m.put("model.outputs", Integer.toString(model.outputs()));
        m.put("model.objective", Keys.name(model.objective()));
        m.put("rnn.input_size", Integer.toString(rnn.inputSize()));
        m.put("rnn.hidden_size", Integer.toString(rnn.hiddenSize()));
        m.put("rnn.layers", Integer.toString(rnn.layers()));
        m.put("rnn.directions", Keys.name(rnn.directions()));
        m.put("rnn.dropout", Double.toString(rnn.dropout()));
        m.put("rnn.bias", Boolean.toString(rnn.bias()));
        m.put("optimizer", optimizer.kind());
        if (optimizer instanceof OptimizerConfig.Adam a) {
            m.put("optimizer.beta1", Double.toString(a.config().beta1()));
            m.put("optimizer.beta2", Double.toString(a.config().beta2()));
            m.put("optimizer.eps", Double.toString(a.config().eps()));
            m.put("optimizer.weight_decay", Double.toString(a.config().weightDecay()));
        } else if (optimizer instanceof OptimizerConfig.Sgd s) {
            m.put("optimizer.momentum", Double.toString(s.config().momentum()));
            m.put("optimizer.dampening", Double.toString(s.config().dampening()));
            m.put("optimizer.nesterov", Boolean.toString(s.config().nesterov()));
            m.put("optimizer.weight_decay", Double.toString(s.config().weightDecay()));
        }
        putSchedule(m, "schedule", trainer.learningRate());
        m.put("clip.norm", Double.toString(trainer.clipNorm()));
        m.put("clip.value", Double.toString(trainer.clipValue()));
        m.put("bptt", bptt.toString());
        m.put("seq_len", Integer.toString(sequenceLength));
        m.put("batch", Integer.toString(batch));
        m.put("seed", Long.toString(seed));
        extra.forEach((k, v) -> m.put("extra." + k, v));
        return Collections.unmodifiableMap(m);
    }

    private static void putSchedule(Map<String, String> m, String key, LearningRate lr) {
        if (lr instanceof LearningRate.Constant c) {
            m.put(key, "constant");
            m.put(key + ".rate", Double.toString(c.rate()));
        } else if (lr instanceof LearningRate.StepDecay s) {
            m.put(key, "step");
            m.put(key + ".rate", Double.toString(s.rate()));
            m.put(key + ".every", Long.toString(s.every()));
            m.put(key + ".gamma", Double.toString(s.gamma()));
        } else if (lr instanceof LearningRate.Cosine c) {
            m.put(key, "cosine");
            m.put(key + ".rate", Double.toString(c.rate()));
            m.put(key + ".steps", Long.toString(c.steps()));
            m.put(key + ".min", Double.toString(c.min()));
        } else if (lr instanceof LearningRate.Warmup w) {
            m.put(key, "warmup");
            m.put(key + ".steps", Long.toString(w.steps()));
            m.put(key + ".start_factor", Double.toString(w.startFactor()));
            putSchedule(m, key + ".then", w.then());
        }
    }

    /**
     * The configuration stored in {@code metadata} by {@link #toMetadata()}; other keys are ignored.
     *
     * @throws CheckpointException ({@link Problem#MALFORMED}) naming the key that is missing, malformed or out of range
     */
    public static TrainingConfig fromMetadata(Map<String, String> metadata) {
        Keys k = new Keys(metadata);
        String cell = k.string("cell");
        TreeMap<String, String> options = new TreeMap<>();
        TreeMap<String, String> extra = new TreeMap<>();
        metadata.forEach((key, v) -> {
            if (key.startsWith("cell.option.")) {
                options.put(key.substring("cell.option.".length()), v);
            } else if (key.startsWith("extra.")) {
                extra.put(key.substring("extra.".length()), v);
            }
        });
        try {
            SequenceModel.Input input = switch (k.string("model.input")) {
                case "tokens" -> new SequenceModel.Tokens(k.intValue("model.vocabulary"), k.intValue("model.embedding"));
                case "features" -> new SequenceModel.Features(k.intValue("model.features"));
                default -> throw Keys.malformed("model.input", "tokens or features", k.string("model.input"));
            };
            RecurrentConfig rnn = new RecurrentConfig(k.intValue("rnn.input_size"), k.intValue("rnn.hidden_size"),
                    k.intValue("rnn.layers"), k.choice("rnn.directions", Directions.class), k.doubleValue("rnn.dropout"),
                    options, k.bool("rnn.bias"));
            SequenceModel.Config model = new SequenceModel.Config(input, rnn, k.intValue("model.outputs"),
                    k.choice("model.objective", SequenceModel.Objective.class));
            String kind = k.string("optimizer");
            OptimizerConfig optimizer = switch (kind) {
                case "adam", "adamw" -> new OptimizerConfig.Adam(new Adam.Config(k.doubleValue("optimizer.beta1"),
                        k.doubleValue("optimizer.beta2"), k.doubleValue("optimizer.eps"), k.doubleValue("optimizer.weight_decay"),
                        kind.equals("adamw")));
                case "sgd" -> new OptimizerConfig.Sgd(new Sgd.Config(k.doubleValue("optimizer.momentum"),
                        k.doubleValue("optimizer.dampening"), k.bool("optimizer.nesterov"), k.doubleValue("optimizer.weight_decay")));
                default -> throw Keys.malformed("optimizer", "adam, adamw or sgd", kind);
            };
            Trainer.Config trainer = new Trainer.Config(schedule(k, "schedule", 0), k.doubleValue("clip.norm"), k.doubleValue("clip.value"));
            Bptt bptt = Bptt.parse(k.string("bptt"));
            return new TrainingConfig(cell, model, optimizer, trainer, bptt, k.intValue("seq_len"), k.intValue("batch"),
                    k.longValue("seed"), extra);
        } catch (CheckpointException e) {
            throw e;
        } catch (RnnlabException | IllegalArgumentException e) {
            throw new CheckpointException(Problem.MALFORMED, "metadata: the configuration is invalid: " + e.getMessage(), e);
        }
    }

    private static LearningRate schedule(Keys k, String key, int depth) {
        if (depth > 8) {
            throw Keys.malformed(key, "a schedule nested at most 8 deep", k.string(key));
        }
        String kind = k.string(key);
        return switch (kind) {
            case "constant" -> new LearningRate.Constant(k.doubleValue(key + ".rate"));
            case "step" -> new LearningRate.StepDecay(k.doubleValue(key + ".rate"), k.longValue(key + ".every"), k.doubleValue(key + ".gamma"));
            case "cosine" -> new LearningRate.Cosine(k.doubleValue(key + ".rate"), k.longValue(key + ".steps"), k.doubleValue(key + ".min"));
            case "warmup" -> new LearningRate.Warmup(k.longValue(key + ".steps"), k.doubleValue(key + ".start_factor"),
                    schedule(k, key + ".then", depth + 1));
            default -> throw Keys.malformed(key, "constant, step, cosine or warmup", kind);
        };
    }
}
