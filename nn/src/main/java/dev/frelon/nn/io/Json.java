package dev.frelon.nn.io;

import dev.frelon.core.MessageText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal, strict JSON reader and writer for safetensors headers, with no dependency beyond the JDK.
 *
 * <p>Supported: objects, arrays, strings (all RFC 8259 escapes, including {@code \u005CuXXXX} and
 * surrogate pairs), integers that fit in a {@code long}, {@code true}, {@code false} and {@code null}.
 * Numbers with a fraction or an exponent are rejected: a safetensors header never needs them.
 *
 * <p>Strictness: input must be well-formed UTF-8; control characters inside strings must be escaped;
 * unpaired surrogate escapes, leading zeros, trailing commas, duplicate keys in one object, nesting
 * deeper than {@link #MAX_DEPTH} and anything but whitespace after the top-level value are errors.
 *
 * <p>Two ways to read: {@link #parse} builds a tree (objects as insertion-ordered maps, arrays as lists,
 * integers as {@link Long}); {@link Reader} is a pull parser that lets a caller check a schema as it goes,
 * so a hostile document is rejected at its first unexpected token instead of first being expanded into a
 * tree that may be many times its size.
 */
final class Json {

    /** The deepest nesting of objects and arrays accepted; one more level is an error. */
    static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** A syntax error, with the byte offset where it was found. */
    static final class JsonException extends IOException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    /** What the next value in the input is, as told by {@link Reader#peek()}. */
    enum Kind {
        OBJECT("an object"), ARRAY("an array"), STRING("a string"), NUMBER("a number"), BOOLEAN("a boolean"),
        NULL("null");

        /** How the kind reads in an error message. */
        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    // ------------------------------------------------------------------------------------------ tree API

    /**
     * Parses a whole document into a tree.
     *
     * @param text the document
     * @return a {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code String},
     *         {@code Long}, {@code Boolean} or {@code null}
     * @throws JsonException if the text is not a single valid JSON value (within the limits above)
     */
    static Object parse(String text) throws JsonException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length);
    }

    /**
     * Parses {@code bytes[from, to)}, UTF-8, into a tree; see {@link #parse(String)}.
     *
     * @param bytes the buffer
     * @param from first byte
     * @param to end, exclusive
     * @return the value
     * @throws JsonException on any syntax error
     */
    static Object parse(byte[] bytes, int from, int to) throws JsonException {
        Reader r = new Reader(bytes, from, to);
        Object v = readTree(r);
        r.finish();
        return v;
    }

    private static Object readTree(Reader r) throws JsonException {
        switch (r.peek()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                r.beginObject();
                while (r.hasNext()) {
                    String k = r.nextName();
                    m.put(k, readTree(r));
                }
                r.endObject();
                return m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                r.beginArray();
                while (r.hasNext()) {
                    l.add(readTree(r));
                }
                r.endArray();
                return l;
            }
            case STRING -> {
                return r.nextString();
            }
            case NUMBER -> {
                return r.nextLong();
            }
            case BOOLEAN -> {
                return r.nextBoolean();
            }
            default -> {
                r.nextNull();
                return null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ writer

    /**
     * Writes a value compactly (no spaces). Accepts maps with string keys, lists, {@code long[]},
     * {@code int[]}, strings, {@link Long}, {@link Integer}, {@link Short}, {@link Byte}, booleans and
     * {@code null}. Non-ASCII characters are written as UTF-8 text, control characters as escapes.
     *
     * @param value the value
     * @return its JSON text
     * @throws IllegalArgumentException for an unsupported type, a non-string key, a string holding an
     *         unpaired surrogate (it has no UTF-8 form), or nesting deeper than {@link #MAX_DEPTH}
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> writeString(sb, s);
            case Long l -> sb.append(l.longValue());
            case Integer i -> sb.append(i.intValue());
            case Short s -> sb.append(s.shortValue());
            case Byte b -> sb.append(b.byteValue());
            case Boolean b -> sb.append(b.booleanValue());
            case long[] a -> {
                checkDepth(depth);
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(a[i]);
                }
                sb.append(']');
            }
            case int[] a -> {
                checkDepth(depth);
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(a[i]);
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                checkDepth(depth);
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got "
                                + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(sb, k);
                    sb.append(':');
                    write(sb, e.getValue(), depth + 1);
                }
                sb.append('}');
            }
            case List<?> l -> {
                checkDepth(depth);
                sb.append('[');
                boolean first = true;
                for (Object o : l) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(sb, o, depth + 1);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("string has an unpaired surrogate U+"
                                + Integer.toHexString(c).toUpperCase() + " at index " + i
                                + ", which has no UTF-8 form: " + MessageText.quote(s));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ------------------------------------------------------------------------------------------ pull parser

    /**
     * A strict pull parser over UTF-8 bytes. Usage mirrors the document: {@link #beginObject()}, then
     * {@code while (hasNext()) { nextName(); <read value> }}, then {@link #endObject()}; the same for arrays;
     * {@link #finish()} after the top-level value. Every method throws {@link JsonException} naming the byte
     * offset (relative to {@code from}) of the problem. Duplicate keys are detected by {@link #nextName()}.
     */
    static final class Reader {
        private final byte[] buf;
        private final int from;
        private final int end;
        private int pos;
        private int depth;
        /** Per open container: true for an object. */
        private final boolean[] isObject = new boolean[MAX_DEPTH];
        /** Per open container: no element read yet. */
        private final boolean[] first = new boolean[MAX_DEPTH];
        /** Per open object: the keys seen so far. */
        private final List<Set<String>> keys = new ArrayList<>(Collections.nCopies(MAX_DEPTH, null));
        /** An object was opened and its next member's name has not been read by {@link #nextName()} yet. */
        private boolean expectName;

        /**
         * @param buf the input
         * @param from first byte
         * @param to end, exclusive
         */
        Reader(byte[] buf, int from, int to) {
            if (from < 0 || to > buf.length || from > to) {
                throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + buf.length + " bytes");
            }
            this.buf = buf;
            this.from = from;
            this.end = to;
            this.pos = from;
        }

        /** @return the offset of the next unread byte, relative to the start of the input */
        int position() {
            return pos - from;
        }

        private JsonException error(String what) {
            return new JsonException("at byte " + (pos - from) + ": " + what);
        }

        private JsonException unexpected(String expected) {
            if (pos >= end) {
                return error("expected " + expected + " but the input ended");
            }
            return error("expected " + expected + " but found " + describe(buf[pos]));
        }

        private static String describe(byte b) {
            int c = b & 0xFF;
            if (c >= 0x21 && c < 0x7F) {
                return "'" + (char) c + "'";
            }
            return String.format("byte 0x%02X", c);
        }

        private void skipWhitespace() {
            while (pos < end) {
                byte b = buf[pos];
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        /**
         * Tells what the next value is, without consuming it.
         *
         * @return its kind
         * @throws JsonException if no value starts here
         */
        Kind peek() throws JsonException {
            if (expectName) {
                throw error("expected a member name (call nextName first)");
            }
            skipWhitespace();
            if (pos >= end) {
                throw unexpected("a value");
            }
            return switch (buf[pos]) {
                case '{' -> Kind.OBJECT;
                case '[' -> Kind.ARRAY;
                case '"' -> Kind.STRING;
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Kind.NUMBER;
                case 't', 'f' -> Kind.BOOLEAN;
                case 'n' -> Kind.NULL;
                default -> throw unexpected("a value");
            };
        }

        private void open(boolean object) throws JsonException {
            if (depth >= MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            pos++;
            isObject[depth] = object;
            first[depth] = true;
            keys.set(depth, object ? new HashSet<>() : null);
            depth++;
        }

        /**
         * Consumes the opening brace of an object.
         *
         * @throws JsonException if the next value is not an object
         */
        void beginObject() throws JsonException {
            if (peek() != Kind.OBJECT) {
                throw unexpected("'{'");
            }
            open(true);
        }

        /**
         * Consumes the opening bracket of an array.
         *
         * @throws JsonException if the next value is not an array
         */
        void beginArray() throws JsonException {
            if (peek() != Kind.ARRAY) {
                throw unexpected("'['");
            }
            open(false);
        }

        /**
         * Consumes the separating comma, if any, and tells whether the current container has another
         * element (for an object, a member whose name {@link #nextName()} reads next).
         *
         * @return false at the closing bracket
         * @throws JsonException on a missing comma or a misplaced token
         */
        boolean hasNext() throws JsonException {
            if (depth == 0) {
                throw new IllegalStateException("hasNext outside a container");
            }
            if (expectName) {
                throw new IllegalStateException("hasNext called twice without reading the member");
            }
            int d = depth - 1;
            skipWhitespace();
            byte close = (byte) (isObject[d] ? '}' : ']');
            if (pos < end && buf[pos] == close) {
                return false;
            }
            if (!first[d]) {
                if (pos >= end || buf[pos] != ',') {
                    throw unexpected(isObject[d] ? "',' or '}'" : "',' or ']'");
                }
                pos++;
                skipWhitespace();
            }
            first[d] = false;
            if (isObject[d]) {
                if (pos >= end || buf[pos] != '"') {
                    throw unexpected("a member name in double quotes");
                }
                expectName = true;
            } else if (pos < end && buf[pos] == ']') {
                throw error("expected a value after ',' but found ']'");
            }
            return true;
        }

        /**
         * Reads a member name and the colon after it.
         *
         * @return the name
         * @throws JsonException on a syntax error or a name already used in the same object
         */
        String nextName() throws JsonException {
            if (!expectName) {
                throw new IllegalStateException("nextName must follow hasNext() == true inside an object");
            }
            expectName = false;
            int at = pos - from;
            String name = readString();
            if (!keys.get(depth - 1).add(name)) {
                throw new JsonException("at byte " + at + ": duplicate key " + MessageText.quote(name));
            }
            skipWhitespace();
            if (pos >= end || buf[pos] != ':') {
                throw unexpected("':'");
            }
            pos++;
            return name;
        }

        private void close(boolean object) throws JsonException {
            if (expectName) {
                throw new IllegalStateException("a member name is pending");
            }
            if (depth == 0 || isObject[depth - 1] != object) {
                throw new IllegalStateException("no open " + (object ? "object" : "array") + " to close");
            }
            skipWhitespace();
            byte close = (byte) (object ? '}' : ']');
            if (pos >= end || buf[pos] != close) {
                throw unexpected("'" + (char) close + "'");
            }
            pos++;
            depth--;
            keys.set(depth, null);
        }

        /**
         * Consumes the closing brace of the current object.
         *
         * @throws JsonException if it is not next
         */
        void endObject() throws JsonException {
            close(true);
        }

        /**
         * Consumes the closing bracket of the current array.
         *
         * @throws JsonException if it is not next
         */
        void endArray() throws JsonException {
            close(false);
        }

        /**
         * Checks that only whitespace follows the top-level value.
         *
         * @throws JsonException on trailing garbage
         */
        void finish() throws JsonException {
            if (depth != 0) {
                throw new IllegalStateException(depth + " containers still open");
            }
            skipWhitespace();
            if (pos < end) {
                throw error("unexpected " + describe(buf[pos]) + " after the end of the JSON value");
            }
        }

        /**
         * @return the next value, which must be a string
         * @throws JsonException if it is not a valid string
         */
        String nextString() throws JsonException {
            if (peek() != Kind.STRING) {
                throw unexpected("a string");
            }
            return readString();
        }

        /**
         * @return the next value, which must be an integer within the range of {@code long}
         * @throws JsonException if it is not, or if it has a fraction or exponent
         */
        long nextLong() throws JsonException {
            if (peek() != Kind.NUMBER) {
                throw unexpected("an integer");
            }
            int start = pos;
            boolean negative = buf[pos] == '-';
            if (negative) {
                pos++;
            }
            if (pos >= end || buf[pos] < '0' || buf[pos] > '9') {
                throw unexpected("a digit");
            }
            // Accumulate negatively so that Long.MIN_VALUE fits.
            long acc = 0;
            if (buf[pos] == '0') {
                pos++;
                if (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                    pos = start;
                    throw error("number with a leading zero");
                }
            } else {
                while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                    int digit = buf[pos] - '0';
                    if (acc < (Long.MIN_VALUE + digit) / 10) {
                        int at = pos;
                        while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
                            pos++;
                        }
                        String text = new String(buf, start, pos - start, StandardCharsets.US_ASCII);
                        pos = at;
                        throw error("integer " + MessageText.quote(text) + " does not fit in a 64-bit signed long");
                    }
                    acc = acc * 10 - digit;
                    pos++;
                }
            }
            if (pos < end && (buf[pos] == '.' || buf[pos] == 'e' || buf[pos] == 'E')) {
                throw error("only integers are supported, found a fraction or exponent");
            }
            if (negative) {
                return acc;
            }
            if (acc == Long.MIN_VALUE) {
                pos = start;
                throw error("integer 9223372036854775808 does not fit in a 64-bit signed long");
            }
            return -acc;
        }

        /**
         * @return the next value, which must be {@code true} or {@code false}
         * @throws JsonException otherwise
         */
        boolean nextBoolean() throws JsonException {
            if (peek() != Kind.BOOLEAN) {
                throw unexpected("true or false");
            }
            if (literal("true")) {
                return true;
            }
            if (literal("false")) {
                return false;
            }
            throw unexpected("true or false");
        }

        /**
         * Consumes a {@code null}.
         *
         * @throws JsonException if the next value is not null
         */
        void nextNull() throws JsonException {
            if (peek() != Kind.NULL || !literal("null")) {
                throw unexpected("null");
            }
        }

        private boolean literal(String word) {
            int n = word.length();
            if (end - pos < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (buf[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            pos += n;
            return true;
        }

        /** Reads a string starting at the opening quote under {@code pos}. */
        private String readString() throws JsonException {
            int start = ++pos;
            // Fast path: ASCII without escapes.
            while (pos < end) {
                int c = buf[pos] & 0xFF;
                if (c == '"') {
                    String s = new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
                    pos++;
                    return s;
                }
                if (c == '\\' || c < 0x20 || c >= 0x80) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
            while (true) {
                if (pos >= end) {
                    throw error("unterminated string");
                }
                int c = buf[pos] & 0xFF;
                if (c == '"') {
                    pos++;
                    return sb.toString();
                } else if (c == '\\') {
                    readEscape(sb);
                } else if (c < 0x20) {
                    throw error("unescaped control character " + describe(buf[pos]) + " in a string");
                } else if (c < 0x80) {
                    sb.append((char) c);
                    pos++;
                } else {
                    sb.appendCodePoint(readUtf8(c));
                }
            }
        }

        /** Decodes one multi-byte UTF-8 sequence whose lead byte {@code lead} is at {@code pos}. */
        private int readUtf8(int lead) throws JsonException {
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            int cp;
            if (lead >= 0xC2 && lead <= 0xDF) {
                n = 1;
                cp = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                n = 2;
                cp = lead & 0x0F;
                if (lead == 0xE0) {
                    lo = 0xA0; // no overlong forms
                } else if (lead == 0xED) {
                    hi = 0x9F; // no encoded surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                n = 3;
                cp = lead & 0x07;
                if (lead == 0xF0) {
                    lo = 0x90;
                } else if (lead == 0xF4) {
                    hi = 0x8F; // nothing above U+10FFFF
                }
            } else {
                throw error("invalid UTF-8 lead " + describe((byte) lead));
            }
            for (int i = 1; i <= n; i++) {
                if (pos + i >= end) {
                    throw error("truncated UTF-8 sequence");
                }
                int b = buf[pos + i] & 0xFF;
                int min = i == 1 ? lo : 0x80;
                int max = i == 1 ? hi : 0xBF;
                if (b < min || b > max) {
                    throw error("invalid UTF-8 sequence");
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            pos += n + 1;
            return cp;
        }

        private void readEscape(StringBuilder sb) throws JsonException {
            if (pos + 1 >= end) {
                throw error("unterminated escape");
            }
            byte e = buf[pos + 1];
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char c = hex4(pos + 2);
                    if (Character.isHighSurrogate(c)) {
                        if (pos + 7 < end && buf[pos + 6] == '\\' && buf[pos + 7] == 'u') {
                            char low = hex4(pos + 8);
                            if (!Character.isLowSurrogate(low)) {
                                throw error("high surrogate \\u" + hexOf(c) + " not followed by a low surrogate");
                            }
                            sb.append(c).append(low);
                            pos += 12;
                            return;
                        }
                        throw error("unpaired surrogate \\u" + hexOf(c));
                    }
                    if (Character.isLowSurrogate(c)) {
                        throw error("unpaired surrogate \\u" + hexOf(c));
                    }
                    sb.append(c);
                    pos += 6;
                    return;
                }
                default -> {
                    pos++;
                    throw error("invalid escape \\" + (e >= 0x21 && e < 0x7F ? String.valueOf((char) e) : describe(e)));
                }
            }
            pos += 2;
        }

        private static String hexOf(char c) {
            return String.format("%04X", (int) c);
        }

        private char hex4(int at) throws JsonException {
            if (at + 4 > end) {
                throw error("truncated \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(buf[at + i], 16);
                if (d < 0 || buf[at + i] < 0) {
                    throw error("invalid hex digit " + describe(buf[at + i]) + " in a \\u escape");
                }
                v = (v << 4) | d;
            }
            return (char) v;
        }
    }
}
