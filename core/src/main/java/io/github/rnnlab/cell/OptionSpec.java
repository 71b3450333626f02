package io.github.rnnlab.cell;

/**
 * A configuration option a cell accepts besides input and hidden size (e.g. the SSM's
 * {@code state_size}).
 *
 * @param name         lower-case, {@code [a-z][a-z0-9_]*}
 * @param defaultValue the value used when the configuration does not name the option
 * @param description  one line
 */
public record OptionSpec(String name, String defaultValue, String description) {
    public OptionSpec {
        CellConfig.checkName("option", name);
        if (defaultValue == null || description == null) {
            throw new IllegalArgumentException("option " + name + " needs a default value and a description");
        }
    }
}
