package dev.ricochet.cli;

/**
 * A value an option does not accept, with the option it was given to: a command line can then
 * say where the value came from (the command line or an environment variable), which a bare
 * {@link IllegalArgumentException} from deep inside a settings record could not tell it.
 */
public final class OptionValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final transient Object value;

    /**
     * @param option   the option's name, such as {@code --io-threads}
     * @param value    the value refused
     * @param expected what the option accepts, such as {@code 1..1024}
     */
    public OptionValueException(String option, Object value, String expected) {
        super(option + ": " + value + " (expected: " + expected + ")");
        this.option = option;
        this.value = value;
    }

    /** The option's name, such as {@code --io-threads}. */
    public String option() {
        return option;
    }

    /** The value refused. */
    public Object value() {
        return value;
    }
}
