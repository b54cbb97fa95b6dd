package dev.frelon.nn.io;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static void assertSyntaxError(String json, String... fragments) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(json), json);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static void assertSyntaxError(byte[] json, String... fragments) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(json, 0, json.length));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void parsesAllSupportedValuesInOrder() throws Exception {
        Object v = Json.parse(" {\"b\": [1, -2, 0, true, false, null, \"x\", [], {}],\n\t\"a\" : {\"k\":\"v\"} }\r\n ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        List<?> b = (List<?>) m.get("b");
        assertEquals(9, b.size());
        assertEquals(1L, b.get(0));
        assertEquals(-2L, b.get(1));
        assertEquals(0L, b.get(2));
        assertEquals(Boolean.TRUE, b.get(3));
        assertEquals(Boolean.FALSE, b.get(4));
        assertNull(b.get(5));
        assertEquals("x", b.get(6));
        assertEquals(List.of(), b.get(7));
        assertEquals(Map.of(), b.get(8));
        assertEquals(Map.of("k", "v"), m.get("a"));
        assertEquals(42L, Json.parse("42"));
        assertEquals("s", Json.parse("\"s\""));
    }

    @Test
    void parsesLongExtremesAndRejectsOverflow() throws Exception {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(0L, Json.parse("-0"));
        assertSyntaxError("9223372036854775808", "does not fit", "9223372036854775808");
        assertSyntaxError("-9223372036854775809", "does not fit", "-9223372036854775809");
        assertSyntaxError("[99999999999999999999999999]", "does not fit");
        assertSyntaxError("18446744073709551616", "does not fit");
    }

    @Test
    void rejectsNonIntegersAndMalformedNumbers() {
        assertSyntaxError("1.5", "only integers");
        assertSyntaxError("1e3", "only integers");
        assertSyntaxError("01", "leading zero");
        assertSyntaxError("-", "expected a digit");
        assertSyntaxError("-a", "expected a digit");
        assertSyntaxError("+1", "expected a value");
        assertSyntaxError("12abc", "after the end of the JSON value");
    }

    @Test
    void decodesEscapesAndUnicode() throws Exception {
        assertEquals("\" \\ / \b \f \n \r \t", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""));
        assertEquals("A\u00e9\u2603", Json.parse("\"\\u0041\\u00E9\\u2603\""));
        assertEquals("\uD834\uDD1E", Json.parse("\"\\uD834\\uDD1E\"")); // U+1D11E, G clef, as a surrogate pair
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
        // Raw UTF-8: 2-, 3- and 4-byte sequences.
        assertEquals("h\u00e9\u2603\uD834\uDD1E", Json.parse("\"h\u00e9\u2603\uD834\uDD1E\""));
    }

    @Test
    void rejectsBadStrings() {
        assertSyntaxError("\"abc", "unterminated string");
        assertSyntaxError("\"a\nb\"", "control character");
        assertSyntaxError("\"\\x\"", "invalid escape \\x");
        assertSyntaxError("\"\\u12zz\"", "invalid hex digit 'z'");
        assertSyntaxError("\"\\u12", "truncated \\u escape");
        assertSyntaxError("\"\\uD834\"", "unpaired surrogate \\uD834");
        assertSyntaxError("\"\\uD834\\u0041\"", "not followed by a low surrogate");
        assertSyntaxError("\"\\uDD1E\"", "unpaired surrogate \\uDD1E");
        assertSyntaxError(new byte[] {'"', (byte) 0xC3, '"'}, "invalid UTF-8");           // cut 2-byte sequence
        assertSyntaxError(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}, "invalid UTF-8 lead byte"); // overlong NUL
        assertSyntaxError(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, "invalid UTF-8"); // CESU surrogate
        assertSyntaxError(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, "invalid UTF-8");
        assertSyntaxError(new byte[] {'"', (byte) 0xE2, (byte) 0x98}, "truncated UTF-8");
        assertSyntaxError(new byte[] {'"', (byte) 0xFF, '"'}, "invalid UTF-8 lead byte");
    }

    @Test
    void rejectsStructuralErrorsAndTrailingGarbage() {
        assertSyntaxError("", "expected a value but the input ended");
        assertSyntaxError("   ", "expected a value but the input ended");
        assertSyntaxError("{} x", "unexpected 'x' after the end");
        assertSyntaxError("{}{}", "after the end");
        assertSyntaxError("[1] 2", "after the end");
        assertSyntaxError("{\"a\":1,}", "member name");
        assertSyntaxError("[1,]", "expected a value after ','");
        assertSyntaxError("[,1]", "expected a value");
        assertSyntaxError("[1 2]", "expected ',' or ']'");
        assertSyntaxError("{\"a\" 1}", "expected ':'");
        assertSyntaxError("{a:1}", "member name in double quotes");
        assertSyntaxError("{\"a\":1", "expected ',' or '}' but the input ended");
        assertSyntaxError("tru", "expected true or false");
        assertSyntaxError("nul", "expected null");
        assertSyntaxError("truex", "unexpected 'x'");
        assertSyntaxError("{} \u0000", "byte 0x00");
    }

    @Test
    void rejectsDuplicateKeysAtAnyLevel() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"b\":2,\"a\":3}"));
        assertEquals("at byte 13: duplicate key 'a'", e.getMessage());
        assertSyntaxError("{\"x\":{\"k\":1,\"k\":1}}", "duplicate key 'k'");
        // The same key in sibling objects is fine.
        assertTrue(assertDoesNotThrowParse("[{\"k\":1},{\"k\":2}]") instanceof List<?>);
        // Keys equal after unescaping are duplicates.
        assertSyntaxError("{\"a\":1,\"\\u0061\":2}", "duplicate key 'a'");
    }

    private static Object assertDoesNotThrowParse(String json) {
        try {
            return Json.parse(json);
        } catch (Json.JsonException e) {
            throw new AssertionError(json + ": " + e.getMessage(), e);
        }
    }

    @Test
    void nestingIsLimitedTo64() throws Exception {
        String ok = "[".repeat(64) + "]".repeat(64);
        Object v = Json.parse(ok);
        for (int i = 1; i < 64; i++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);
        assertSyntaxError("[".repeat(65) + "]".repeat(65), "nesting deeper than 64");
        assertSyntaxError("{\"a\":".repeat(65) + "1" + "}".repeat(65), "nesting deeper than 64");
        // A hostile depth fails fast instead of overflowing the stack.
        assertSyntaxError("[".repeat(1_000_000), "nesting deeper than 64");
    }

    @Test
    void writesCompactJsonThatParsesBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\" b\\ nl\n tab\t bell\u0007 \u00e9\u2603\uD834\uDD1E");
        m.put("n", List.of(1L, -2, Long.MIN_VALUE));
        m.put("shape", new int[] {2, 0, 3});
        m.put("off", new long[] {0, 1L << 40});
        m.put("t", true);
        m.put("z", null);
        m.put("e", Map.of());
        String json = Json.write(m);
        assertEquals("{\"s\":\"q\\\" b\\\\ nl\\n tab\\t bell\\u0007 \u00e9\u2603\uD834\uDD1E\","
                + "\"n\":[1,-2,-9223372036854775808],\"shape\":[2,0,3],\"off\":[0,1099511627776],"
                + "\"t\":true,\"z\":null,\"e\":{}}", json);
        Map<?, ?> back = (Map<?, ?>) Json.parse(json);
        assertEquals(m.get("s"), back.get("s"));
        assertEquals(List.of(1L, -2L, Long.MIN_VALUE), back.get("n"));
        assertEquals(List.of(2L, 0L, 3L), back.get("shape"));
        assertEquals(List.of(0L, 1L << 40), back.get("off"));
        assertFalse(json.getBytes(StandardCharsets.UTF_8).length == json.length()); // non-ASCII kept as UTF-8
    }

    @Test
    void writerRejectsWhatItCannotEncode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write("a\uD800b"));
        assertTrue(e.getMessage().contains("unpaired surrogate U+D800"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        Object deep = List.of();
        for (int i = 0; i < 64; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep));
    }

    @Test
    void pullReaderReportsKindsAndPositions() throws Exception {
        byte[] in = "{\"a\":[1,2],\"b\":\"x\"}  ".getBytes(StandardCharsets.US_ASCII);
        Json.Reader r = new Json.Reader(in, 0, in.length);
        assertEquals(Json.Kind.OBJECT, r.peek());
        r.beginObject();
        assertTrue(r.hasNext());
        assertEquals("a", r.nextName());
        assertEquals(Json.Kind.ARRAY, r.peek());
        r.beginArray();
        long[] got = new long[2];
        int n = 0;
        while (r.hasNext()) {
            got[n++] = r.nextLong();
        }
        r.endArray();
        assertArrayEquals(new long[] {1, 2}, Arrays.copyOf(got, n));
        assertTrue(r.hasNext());
        assertEquals("b", r.nextName());
        assertEquals(Json.Kind.STRING, r.peek());
        Json.JsonException e = assertThrows(Json.JsonException.class, r::nextLong);
        assertEquals("at byte 15: expected an integer but found '\"'", e.getMessage());
        assertEquals("x", r.nextString());
        assertFalse(r.hasNext());
        r.endObject();
        r.finish();
        assertEquals(in.length, r.position());
    }
}
