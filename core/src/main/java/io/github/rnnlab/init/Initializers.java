package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@link Initializer}s by name, and their text form for command lines and files:
 * <pre>
 *   pytorch                 U(−1/√H, 1/√H), PyTorch's RNN/LSTM/GRU default
 *   uniform(b)              U(−b, b)
 *   xavier_uniform[(gain)]  Glorot uniform, gain 1 by default
 *   xavier_normal[(gain)]   Glorot normal
 *   orthogonal[(gain)]      (semi-)orthogonal per gate block, gain 1 by default
 *   constant(v), zeros      every element v (0)
 * </pre>
 */
public final class Initializers {
    private static final Pattern FORM = Pattern.compile("([a-z_]+)\\s*(?:\\(\\s*([^)]*?)\\s*\\))?");

    private Initializers() {
    }

    /** U(−1/√H, 1/√H): PyTorch's default for every RNN, LSTM and GRU parameter. */
    public static Initializer pytorchDefault() {
        return new PyTorchUniform();
    }

    /** U(−bound, bound). */
    public static Initializer uniform(double bound) {
        return new Uniform(bound);
    }

    /** Xavier/Glorot uniform with {@code gain}. */
    public static Initializer xavierUniform(double gain) {
        return new XavierUniform(gain);
    }

    /** Xavier/Glorot normal with {@code gain}. */
    public static Initializer xavierNormal(double gain) {
        return new XavierNormal(gain);
    }

    /** Orthogonal per gate block, times {@code gain} (see {@link Orthogonal}). */
    public static Initializer orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /** Every element {@code value}. */
    public static Initializer constant(double value) {
        return new Constant(value);
    }

    /** Every element 0. */
    public static Initializer zeros() {
        return new Constant(0);
    }

    /**
     * Parses the text form (see the class comment), e.g. {@code orthogonal(0.5)}.
     *
     * @throws CellConfig.InvalidConfigException naming the forms understood
     */
    public static Initializer parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw unknown(text);
        }
        String name = m.group(1), arg = m.group(2);
        boolean hasArg = arg != null && !arg.isEmpty();
        switch (name) {
            case "pytorch":
                noArgument(text, hasArg);
                return pytorchDefault();
            case "zeros":
                noArgument(text, hasArg);
                return zeros();
            case "uniform":
                return uniform(number(text, arg));
            case "constant":
                return constant(number(text, arg));
            case "xavier_uniform":
                return xavierUniform(hasArg ? number(text, arg) : 1.0);
            case "xavier_normal":
                return xavierNormal(hasArg ? number(text, arg) : 1.0);
            case "orthogonal":
                return orthogonal(hasArg ? number(text, arg) : 1.0);
            default:
                throw unknown(text);
        }
    }

    private static void noArgument(String text, boolean hasArg) {
        if (hasArg) {
            throw new CellConfig.InvalidConfigException("initializer " + text + " takes no argument");
        }
    }

    private static double number(String text, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new CellConfig.InvalidConfigException("initializer " + text + " needs a number in parentheses, e.g. uniform(0.1)");
        }
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new CellConfig.InvalidConfigException("initializer " + text + ": expected a number, got \"" + arg + "\"");
        }
    }

    private static CellConfig.InvalidConfigException unknown(String text) {
        return new CellConfig.InvalidConfigException("unknown initializer \"" + text + "\"; expected one of pytorch, uniform(b),"
                + " xavier_uniform(gain), xavier_normal(gain), orthogonal(gain), constant(v), zeros");
    }
}
