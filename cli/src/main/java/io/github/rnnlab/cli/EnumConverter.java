package io.github.rnnlab.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum option by its lower-case name, ignoring case ({@code --progress LINES} works), and names the
 * choices when the value is none of them ("expected one of auto, bar, lines, none, got 'sideways'"). Enums the
 * command line shows should print their lower-case name from {@code toString()}, so that
 * {@code ${COMPLETION-CANDIDATES}} in help texts shows the same spelling.
 *
 * <p>Picocli instantiates converters by class: subclass per enum, e.g.
 * {@code static final class Converter extends EnumConverter<ProgressMode> { Converter() { super(ProgressMode.class); } }}
 * and use {@code @Option(converter = ProgressMode.Converter.class)}.
 */
public abstract class EnumConverter<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    protected EnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        String choices = Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        throw new TypeConversionException("expected one of " + choices + ", got '" + value + "'");
    }
}
