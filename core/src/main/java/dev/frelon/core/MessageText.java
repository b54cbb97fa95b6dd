package dev.frelon.core;

import java.util.Collection;
import java.util.Iterator;

/**
 * Names from files and users, made safe to put in an exception message: a tensor name read from a file may hold
 * control characters (a terminal would act on them) or run to megabytes, and a list of a million keys would make a
 * message of millions of characters. Used wherever a message echoes keys: state dicts, model files, optimizer
 * state.
 */
public final class MessageText {
    /** The longest name shown whole; longer ones are cut, with their length. */
    public static final int MAX_NAME = 200;
    /** The most names a list shows; the rest are counted. */
    public static final int MAX_NAMES = 20;

    private MessageText() {
    }

    /**
     * A name in single quotes, control and other non-printing characters escaped as {@code \n}, {@code \t} or
     * {@code \}{@code uXXXX}, quotes and backslashes escaped, cut after {@link #MAX_NAME} characters.
     *
     * @param name any string, or null
     * @return e.g. {@code 'fc1.weight'}, {@code 'a\nb'}, or {@code 'aaaa…' (50000 characters)}; {@code null} for null
     */
    public static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_NAME) + 2).append('\'');
        int shown = Math.min(name.length(), MAX_NAME);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\'' -> sb.append("\\'");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.UNASSIGNED || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('\'');
        if (name.length() > MAX_NAME) {
            sb.insert(sb.length() - 1, '…').append(String.format(" (%,d characters)", name.length()));
        }
        return sb.toString();
    }

    /**
     * A list of names, each {@linkplain #quote quoted}, at most {@link #MAX_NAMES} of them, the rest counted.
     *
     * @param names the names, in the order to show them
     * @return e.g. {@code ['a', 'b']}, or {@code ['k0', …, 'k19', and 999,980 more]}
     */
    public static String list(Collection<String> names) {
        StringBuilder sb = new StringBuilder("[");
        Iterator<String> it = names.iterator();
        for (int i = 0; i < MAX_NAMES && it.hasNext(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(it.next()));
        }
        if (names.size() > MAX_NAMES) {
            sb.append(String.format(", and %,d more", names.size() - MAX_NAMES));
        }
        return sb.append(']').toString();
    }
}
