package dev.frelon.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageTextTest {

    @Test
    void namesAreQuotedWithControlCharactersEscapedAndLongOnesCut() {
        assertEquals("'fc1.weight'", MessageText.quote("fc1.weight"));
        assertEquals("'a\\nb\\tc\\u001b[31m'", MessageText.quote("a\nb\tc\u001b[31m"));     // an ANSI colour code
        assertEquals("'it\\'s \\\\'", MessageText.quote("it's \\"));
        assertEquals("'\\u202e'", MessageText.quote("\u202e"));                            // right-to-left override
        assertEquals("null", MessageText.quote(null));
        String cut = MessageText.quote("x".repeat(50_000));
        assertEquals("'" + "x".repeat(200) + "…' (50,000 characters)", cut);
    }

    @Test
    void longListsShowTwentyNamesAndCountTheRest() {
        assertEquals("['a', 'b\\n']", MessageText.list(List.of("a", "b\n")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1 << 20; i++) {
            many.add("k" + i);
        }
        String s = MessageText.list(many);
        assertTrue(s.startsWith("['k0', 'k1', "), s);
        assertTrue(s.endsWith("'k19', and 1,048,556 more]"), s);
        assertTrue(s.length() < 300, "a 2^20-key list makes a short message: " + s.length());
    }
}
