package dev.frelon.nn.io;

import dev.frelon.core.DType;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------ helpers

    /** A safetensors file: length prefix, header text, {@code pad} spaces, data. */
    private static byte[] file(String header, int pad, byte[]... data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (byte[] d : data) {
            n += d.length;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + pad + n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        for (byte[] d : data) {
            b.put(d);
        }
        return b.array();
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private static byte[] u16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    private static byte[] f64(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Loads {@code bytes} and checks that it fails with a message holding every fragment. */
    private Safetensors.FormatException assertRejected(byte[] bytes, String... fragments) throws IOException {
        Path p = write("bad.safetensors", bytes);
        Safetensors.FormatException e = assertThrows(Safetensors.FormatException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    private static void assertBitsEqual(Tensor expected, Tensor actual, String name) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, name + " numel");
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
        }
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    // ------------------------------------------------------------------------------------------ round trip

    @Test
    void roundTripIsBitExactWithMetadataAndViews() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("scalar", Tensor.scalar(3.5f));
        in.put("special", Tensor.of(new float[] {Float.intBitsToFloat(0x7FC00001), -0f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1e-40f, 0.1f}));
        in.put("layer.0.weight", Tensor.randn(new int[] {2, 3, 4}, 42L));
        in.put("empty", Tensor.zeros(2, 0, 3));
        Tensor transposed = Tensor.arange(12).reshape(3, 4).t();
        assertFalse(transposed.isContiguous());
        in.put("transposed", transposed);
        Tensor strided = Tensor.arange(20).reshape(4, 5).slice(1, 1, 5, 2);
        assertFalse(strided.isContiguous());
        in.put("strided", strided);
        Tensor narrowed = Tensor.arange(10).narrow(0, 3, 4);
        assertTrue(narrowed.isContiguous());
        assertTrue(TensorStorage.offset(narrowed) != 0);
        in.put("narrowed", narrowed);
        in.put("expanded", Tensor.scalar(7f).unsqueeze(0).expand(3, 2));
        in.put("ünïcødé ☃", Tensor.of(new float[] {1, 2}));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "q\"uote \\ new\nline tab\t h\u00e9 \uD834\uDD1E");

        Path p = dir.resolve("model.safetensors");
        Safetensors.save(in, meta, p);
        Safetensors.Contents out = Safetensors.load(p);

        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()));
        for (String k : in.keySet()) {
            assertBitsEqual(in.get(k), out.tensor(k), k);
            assertEquals("F32", out.dtypes().get(k));
        }
        assertEquals(meta, out.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(out.metadata().keySet()));
        assertEquals(0, out.tensor("scalar").dim());
        assertEquals(3.5f, out.tensor("scalar").item());
        assertArrayEquals(new float[] {1, 3, 6, 8, 11, 13, 16, 18}, out.tensor("strided").toArray());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, out.tensor("transposed").toArray());
        assertThrows(UnsupportedOperationException.class, () -> out.tensors().remove("scalar"));
        assertThrows(UnsupportedOperationException.class, () -> out.metadata().put("x", "y"));
        assertEquals(List.of("model.safetensors"), listDir());
    }

    @Test
    void writtenLayoutFollowsTheFormat() throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("b", Tensor.of(new float[] {1, 2, 3}, 3));
        in.put("a", Tensor.of(new float[][] {{4, 5}, {6, 7}}));
        Path p = dir.resolve("layout.safetensors");
        Safetensors.save(in, Map.of("k", "v"), p);
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, (8 + n) % 8, "data section aligned to 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = header.stripTrailing();
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '));
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[12,28]}}", json);
        assertEquals(8 + n + 28, bytes.length);
        float[] data = new float[7];
        for (int i = 0; i < 7; i++) {
            data[i] = b.getFloat((int) (8 + n + 4 * i));
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7}, data);
    }

    /** One tensor written in a dtype: the values given, the data bytes expected (little-endian), the values read back. */
    private record WriteCase(String dtype, float[] values, byte[] bytes, float[] readBack) {
    }

    private static byte[] le(int size, long... v) {
        ByteBuffer b = ByteBuffer.allocate(size * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (size) {
                case 8 -> b.putLong(x);
                case 4 -> b.putInt((int) x);
                case 2 -> b.putShort((short) x);
                default -> b.put((byte) x);
            }
        }
        return b.array();
    }

    /**
     * Every dtype the format defines, written and read back: bytes computed by hand (IEEE bit patterns, two's
     * complement), rounding to nearest with ties to even for F16 and BF16, the dtype named in the header and
     * reported by {@code dtypes()}, and the header's offsets sized by the dtype.
     */
    @Test
    void writesEveryDtypeByteForByte() throws IOException {
        float nan = Float.NaN;
        WriteCase[] cases = {
                new WriteCase("F64", new float[] {1.5f, -2f}, le(8, 0x3FF8000000000000L, 0xC000000000000000L),
                        new float[] {1.5f, -2f}),
                // 65520 is halfway between F16's largest finite value (65504) and the next power of 2: it rounds
                // to the even side, infinity; 1 + 2^-11 is halfway between 1 and 1 + 2^-10: it rounds to 1.
                new WriteCase("F16", new float[] {1.5f, -2f, 65520f, 1 + 0x1p-11f}, le(2, 0x3E00, 0xC000, 0x7C00, 0x3C00),
                        new float[] {1.5f, -2f, Float.POSITIVE_INFINITY, 1f}),
                // 1 + 2^-8 (0x3F808000) is a tie that stays on the even 0x3F80; 1 + 3·2^-8 (0x3F818000) is a tie
                // that goes up to the even 0x3F82; a NaN stays a NaN.
                new WriteCase("BF16", new float[] {1f, 1 + 0x1p-8f, 1 + 0x3p-8f, Float.NEGATIVE_INFINITY, nan},
                        le(2, 0x3F80, 0x3F80, 0x3F82, 0xFF80, 0x7FC0),
                        new float[] {1f, 1f, 1 + 0x1p-6f, Float.NEGATIVE_INFINITY, nan}),
                // Past 2^24 only some integers are floats; those are written and read back exactly.
                new WriteCase("I64", new float[] {3f, -2f, 16777216f, 3e7f, -0x1p63f},
                        le(8, 3, -2, 16777216, 30_000_000, Long.MIN_VALUE), new float[] {3f, -2f, 16777216f, 3e7f, -0x1p63f}),
                new WriteCase("I32", new float[] {-7f, 65536f, 2147483520f, -0x1p31f}, le(4, -7, 65536, 2147483520, -2147483648L),
                        new float[] {-7f, 65536f, 2147483520f, -0x1p31f}),
                new WriteCase("I16", new float[] {-32768f, 32767f, -0f}, le(2, -32768, 32767, 0),
                        new float[] {-32768f, 32767f, 0f}),
                new WriteCase("I8", new float[] {-128f, 127f}, le(1, -128, 127), new float[] {-128f, 127f}),
                new WriteCase("U8", new float[] {0f, 255f}, le(1, 0, 255), new float[] {0f, 255f}),
                new WriteCase("BOOL", new float[] {0f, 1f, 1f}, le(1, 0, 1, 1), new float[] {0f, 1f, 1f}),
        };
        for (WriteCase c : cases) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("first", Tensor.of(new float[] {42f}, 1));
            in.put("t", Tensor.of(c.values(), c.values().length));
            Path p = dir.resolve(c.dtype() + ".safetensors");
            Safetensors.save(in, Map.of(), Map.of("t", c.dtype()), p);
            byte[] bytes = Files.readAllBytes(p);
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).stripTrailing();
            assertEquals("{\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    + "\"t\":{\"dtype\":\"" + c.dtype() + "\",\"shape\":[" + c.values().length + "],\"data_offsets\":[4,"
                    + (4 + c.bytes().length) + "]}}", json, c.dtype());
            byte[] data = java.util.Arrays.copyOfRange(bytes, (int) (8 + n + 4), bytes.length);
            assertArrayEquals(c.bytes(), data, c.dtype() + " bytes");
            Safetensors.Contents back = Safetensors.load(p);
            assertEquals(c.dtype(), back.dtypes().get("t"));
            assertEquals("F32", back.dtypes().get("first"));
            assertArrayEquals(c.readBack(), back.tensor("t").toArray(), c.dtype() + " values read back");
        }
    }

    /** A view is written in row-major order of its shape in every dtype, as in F32. */
    @Test
    void writesViewsInRowMajorOrderInOtherDtypes() throws IOException {
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).t(); // [[1, 4], [2, 5], [3, 6]]
        Path p = dir.resolve("view.safetensors");
        Safetensors.save(Map.of("t", t), Map.of(), Map.of("t", "I16"), p);
        byte[] bytes = Files.readAllBytes(p);
        byte[] data = java.util.Arrays.copyOfRange(bytes, bytes.length - 12, bytes.length);
        assertArrayEquals(le(2, 1, 4, 2, 5, 3, 6), data);
        assertArrayEquals(new int[] {3, 2}, Safetensors.load(p).tensor("t").shape());
    }

    /** Values a dtype cannot hold, and dtypes that do not apply, are refused before any file is started. */
    @Test
    void refusesValuesADtypeCannotHoldAndLeavesNoFile() throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Map<String, Tensor> in = Map.of("t", Tensor.of(new float[] {1f, 2.5f}, 2));
        String[][] cases = {
                {"I32", "1, 2.5", "element 1 is 2.5, expected an integer in [-2147483648, 2147483647]"},
                {"U8", "-1", "element 0 is -1.0, expected an integer in [0, 255]"},
                {"I16", "32768", "element 0 is 32768.0, expected an integer in [-32768, 32767]"},
                {"I8", "-129", "element 0 is -129.0, expected an integer in [-128, 127]"},
                {"BOOL", "2", "element 0 is 2.0, expected 0 or 1"},
                {"I64", "NaN", "element 0 is NaN, expected an integer in [-9223372036854775808, 9223372036854775807]"},
                {"I64", "9.223372E18", "element 0 is 9.223372E18, expected an integer"},
        };
        for (String[] c : cases) {
            float[] v = c[1].equals("1, 2.5") ? new float[] {1f, 2.5f} : new float[] {Float.parseFloat(c[1])};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Safetensors.save(Map.of("t", Tensor.of(v, v.length)), Map.of(), Map.of("t", c[0]), p));
            assertTrue(e.getMessage().contains("tensor 't' cannot be stored as " + c[0] + ": " + c[2]), e.getMessage());
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(in, Map.of(), Map.of("t", "F8_E4M3"), p));
        assertTrue(unknown.getMessage().contains("tensor 't': dtype 'F8_E4M3' is not one of [F32, F16, BF16, F64, I64, "
                + "I32, I16, I8, U8, BOOL]"), unknown.getMessage());
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(in, Map.of(), Map.of("u", "I64"), p));
        assertTrue(stray.getMessage().contains("a dtype is given for 'u', which is not among the tensors"),
                stray.getMessage());
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("t", null);
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> Safetensors.save(in, Map.of(), nullValue, p));
        assertTrue(npe.getMessage().contains("null dtype for tensor 't'"), npe.getMessage());
        assertFalse(Files.exists(p));
        assertEquals(List.of(), listDir());
    }

    @Test
    void emptyMapRoundTrips() throws IOException {
        Path p = dir.resolve("empty.safetensors");
        Safetensors.save(Map.of(), p);
        assertEquals(16, Files.size(p)); // "{}" padded to 8
        Safetensors.Contents c = Safetensors.load(p);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.metadata().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tensor("w"));
        assertTrue(e.getMessage().contains("no tensor 'w'; the file has 0 tensors"), e.getMessage());
    }

    @Test
    void largeTensorsCrossReadAndWriteChunks() throws IOException {
        // 1.4 MB and 2.4 MB: larger than the 1 MiB I/O chunk; the first is a transposed view.
        Tensor a = Tensor.randn(new int[] {700, 500}, 1L).t();
        Tensor b = Tensor.randn(new int[] {600_001}, 2L);
        Path p = dir.resolve("big.safetensors");
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", a);
        in.put("b", b);
        Safetensors.save(in, p);
        Safetensors.Contents c = Safetensors.load(p);
        assertBitsEqual(a, c.tensor("a"), "a");
        assertBitsEqual(b, c.tensor("b"), "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tensor("w"));
        assertTrue(e.getMessage().contains("no tensor 'w'; the file has 2 tensors: ['a', 'b']"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ hand-built files

    @Test
    void readsHandBuiltFileWithF16Bf16F64AndPadding() throws IOException {
        int[] halfBits = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00, 0x8000, 0x03FF, 0x0400, 0xFC00};
        int[] bf16Bits = {0x3F80, 0xC040, 0x4049, 0x7F80, 0x0001};
        double[] doubles = {0.1, -2.5, 1e300, 1e-50};
        float[] w = {1.5f, -2.25f, 3e-38f, 1e30f};
        // Header keys deliberately not in data order; pretty-printed JSON; 5 padding spaces.
        String header = "{\n  \"__metadata__\": {\"format\": \"pt\", \"snow\": \"\\u2603\"},\n  "
                + entry("d", "F64", "[2, 2]", 46, 78) + ",\n  "
                + entry("w", "F32", "[2, 2]", 0, 16) + ",\n  "
                + entry("h", "F16", "[10]", 16, 36) + ",\n  "
                + entry("b", "BF16", "[5, 1]", 36, 46) + "\n}";
        Path p = write("hand.safetensors", file(header, 5, f32(w), u16(halfBits), u16(bf16Bits), f64(doubles)));

        Safetensors.Contents c = Safetensors.load(p);
        assertEquals(List.of("w", "h", "b", "d"), List.copyOf(c.tensors().keySet()), "file (data) order");
        assertEquals(Map.of("format", "pt", "snow", "\u2603"), c.metadata());
        assertEquals(Map.of("w", "F32", "h", "F16", "b", "BF16", "d", "F64"), c.dtypes());

        assertArrayEquals(new int[] {2, 2}, c.tensor("w").shape());
        assertArrayEquals(w, c.tensor("w").toArray());

        float[] h = c.tensor("h").toArray();
        assertEquals(1.0f, h[0]);
        assertEquals(-2.0f, h[1]);
        assertEquals(65504.0f, h[2]);                       // largest finite half
        assertEquals(5.960464477539063e-8f, h[3]);          // smallest subnormal, 2^-24
        assertEquals(Math.scalb(1f, -24), h[3]);
        assertEquals(Float.POSITIVE_INFINITY, h[4]);
        assertTrue(Float.isNaN(h[5]));
        assertEquals(0x80000000, Float.floatToRawIntBits(h[6])); // -0.0
        assertEquals(1023 * Math.scalb(1f, -24), h[7]);      // largest subnormal, 6.0975552e-5
        assertEquals(6.1035156e-5f, h[8]);                  // smallest normal, 2^-14
        assertEquals(Float.NEGATIVE_INFINITY, h[9]);

        assertArrayEquals(new int[] {5, 1}, c.tensor("b").shape());
        float[] b = c.tensor("b").toArray();
        assertEquals(1.0f, b[0]);
        assertEquals(-3.0f, b[1]);
        assertEquals(3.140625f, b[2]);
        assertEquals(Float.POSITIVE_INFINITY, b[3]);
        assertEquals(Float.intBitsToFloat(0x00010000), b[4]); // a float32 subnormal

        float[] d = c.tensor("d").toArray();
        assertEquals(0.1f, d[0]);
        assertEquals(-2.5f, d[1]);
        assertEquals(Float.POSITIVE_INFINITY, d[2]); // overflows float32
        assertEquals(0f, d[3]);                      // underflows float32
    }

    @Test
    void everyHalfPrecisionValueConvertsExactly() throws IOException {
        int n = 1 << 16;
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) {
            bits[i] = i;
        }
        // Every one of the 65536 encodings, against a decoder written from the IEEE 754 definition.
        Path p = write("all.safetensors", file("{" + entry("h", "F16", "[65536]", 0, 2L * n) + "}", 0, u16(bits)));
        float[] got = Safetensors.load(p).tensor("h").toArray();
        for (int i = 0; i < n; i++) {
            float expected = referenceHalf(i);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(got[i]), "half 0x" + Integer.toHexString(i));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[i]),
                        "half 0x" + Integer.toHexString(i));
            }
        }
    }

    /** IEEE 754 binary16 decoding written from the definition. */
    private static float referenceHalf(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1F;
        int mant = h & 0x3FF;
        double v;
        if (exp == 0) {
            v = mant * Math.pow(2, -24);
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        }
        return (float) (sign == 1 ? -v : v);
    }

    @Test
    void readsZeroSizeTensorsAnywhereInTheLayout() throws IOException {
        String header = "{" + entry("z1", "F32", "[0]", 0, 0) + "," + entry("a", "F32", "[1]", 0, 4) + ","
                + entry("z2", "F16", "[3,0]", 4, 4) + "," + entry("s", "F64", "[]", 4, 12) + "}";
        Safetensors.Contents c = Safetensors.load(write("z.safetensors", file(header, 0, f32(9f), f64(-1.0))));
        assertEquals(List.of("z1", "a", "z2", "s"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {3, 0}, c.tensor("z2").shape());
        assertEquals(-1.0, c.tensor("s").itemDouble());
        assertEquals(DType.FLOAT64, c.tensor("s").dtype());
        assertEquals(0, c.tensor("s").dim());
    }

    // ------------------------------------------------------------------------------------------ corrupted files

    private byte[] valid() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("fc1.weight", Tensor.randn(new int[] {4, 3}, 3L));
        in.put("fc1.bias", Tensor.of(new float[] {1, 2, 3, 4}));
        Path p = dir.resolve("valid.safetensors");
        Safetensors.save(in, Map.of("format", "pt"), p);
        return Files.readAllBytes(p);
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        byte[] ok = valid();
        long n = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertRejected(java.util.Arrays.copyOf(ok, ok.length - 4),
                "tensor 'fc1.bias' data_offsets [48, 64] extend past the end of the 60-byte data section");
        assertRejected(java.util.Arrays.copyOf(ok, (int) (8 + n)), "tensor 'fc1.weight' data_offsets [0, 48]",
                "extend past the end of the 0-byte data section");
        assertRejected(java.util.Arrays.copyOf(ok, 8 + 20), "header length " + n + " exceeds the 20 bytes");
        assertRejected(java.util.Arrays.copyOf(ok, 5), "file is 5 bytes, too short");
        assertRejected(new byte[0], "file is 0 bytes");
    }

    @Test
    void rejectsHeaderLengthsBeyondTheFileOrTheCap() throws IOException {
        byte[] ok = valid();
        byte[] big = ok.clone();
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertRejected(big, "header length 1000 exceeds the " + (ok.length - 8) + " bytes that follow",
                "file is " + ok.length + " bytes");
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 62);
        assertRejected(big, "header length 4611686018427387904 exceeds");
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertRejected(big, "header length 18446744073709551615 exceeds");

        // A sparse file longer than the cap whose header length is within the file but over the cap.
        Path sparse = dir.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(Safetensors.MAX_HEADER_BYTES + 64);
            byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(Safetensors.MAX_HEADER_BYTES + 8).array();
            raf.write(len);
        }
        Safetensors.FormatException e = assertThrows(Safetensors.FormatException.class,
                () -> Safetensors.load(sparse));
        assertTrue(e.getMessage().contains("header length 104857608 exceeds the limit of 104857600 bytes"),
                e.getMessage());
        Files.delete(sparse);
    }

    @Test
    void rejectsBadJson() throws IOException {
        assertRejected(file("{\"a\": {", 0), "invalid header JSON", "input ended");
        assertRejected(file("", 0), "invalid header JSON", "expected a value");
        assertRejected(file("{} x", 0), "invalid header JSON", "unexpected 'x' after the end");
        assertRejected(file("{}\u0000\u0000", 0), "invalid header JSON", "byte 0x00");
        assertRejected(file("{" + entry("a", "F32", "[1.5]", 0, 4) + "}", 0, f32(1)), "invalid header JSON",
                "only integers");
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[11] = (byte) 0xFF; // replace the second byte of the UTF-8 sequence for é
        assertRejected(badUtf8, "invalid header JSON", "invalid UTF-8");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() throws IOException {
        assertRejected(file("[1, 2]", 2), "header must be a JSON object, found an array");
        assertRejected(file("\"hi\"", 4), "header must be a JSON object, found a string");
        assertRejected(file("{\"a\": [0]}", 0), "tensor 'a' must be an object with dtype, shape and data_offsets, "
                + "found an array");
    }

    @Test
    void rejectsMissingAndUnknownKeys() throws IOException {
        assertRejected(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 0, f32(1)), "tensor 'a' has no dtype");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 0, f32(1)),
                "tensor 'a' has no shape");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0, f32(1)), "tensor 'a' has no data_offsets");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 0, f32(1)),
                "tensor 'a' has unknown key 'extra'");
        assertRejected(file("{\"a\":{\"dtype\":3,\"shape\":[1],\"data_offsets\":[0,4]}}", 0, f32(1)),
                "tensor 'a': dtype must be a string, found a number");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 0, f32(1)),
                "tensor 'a': shape must be an array of integers, found a string");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,null],\"data_offsets\":[0,4]}}", 0, f32(1)),
                "tensor 'a': shape must be an array of integers, found null at index 1");
        assertRejected(file("{" + entry("", "F32", "[1]", 0, 4) + "}", 0, f32(1)), "a tensor has an empty name");
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        assertRejected(file("{" + entry("x", "F8_E4M3", "[2]", 0, 2) + "}", 0, new byte[2]),
                "tensor 'x' has dtype 'F8_E4M3', which is not supported (supported: F32, F16, BF16, F64, I64, I32, I16, I8,"
                + " U8, BOOL)");
        assertRejected(file("{" + entry("m", "f32", "[1]", 0, 4) + "}", 0, f32(1)), "dtype 'f32'");
    }

    @Test
    void rejectsShapeSizeMismatchWithTheNumbers() throws IOException {
        Path p = write("lenet.safetensors", file("{" + entry("fc1.weight", "F32", "[10, 5]", 0, 100) + "}", 0,
                new byte[100]));
        Safetensors.FormatException e = assertThrows(Safetensors.FormatException.class, () -> Safetensors.load(p));
        assertEquals(p + ": tensor 'fc1.weight' data_offsets [0, 100] hold 100 bytes but shape [10, 5] of F32 "
                + "needs 200", e.getMessage());
        assertRejected(file("{" + entry("h", "F16", "[3]", 0, 4) + "}", 0, new byte[4]),
                "tensor 'h' data_offsets [0, 4] hold 4 bytes but shape [3] of F16 needs 6");
    }

    @Test
    void rejectsBadShapesAndOffsets() throws IOException {
        assertRejected(file("{" + entry("a", "F32", "[-2, 2]", 0, 16) + "}", 0, new byte[16]),
                "tensor 'a' has shape [-2, 2] with a negative dim");
        assertRejected(file("{" + entry("a", "F32", "[100000, 100000]", 0, 4) + "}", 0, new byte[4]),
                "tensor 'a' has shape [100000, 100000] with more than 2147483639 elements");
        assertRejected(file("{" + entry("a", "F32", "[9223372036854775807, 0]", 0, 0) + "}", 0),
                "with more than 2147483639 elements");
        assertRejected(file("{" + entry("a", "F32", "[" + "1,".repeat(64) + "1]", 0, 4) + "}", 0, f32(1)),
                "tensor 'a': shape has more than 64 elements");
        assertRejected(file("{" + entry("a", "F32", "[1]", -4, 0) + "}", 0, f32(1)),
                "tensor 'a' data_offsets [-4, 0] must be non-negative");
        assertRejected(file("{" + entry("a", "F32", "[1]", 8, 4) + "}", 0, f32(1, 2)),
                "tensor 'a' data_offsets [8, 4] have begin > end");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 0, f32(1)),
                "tensor 'a': data_offsets has more than 2 elements");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 0, f32(1)),
                "tensor 'a': data_offsets must hold exactly 2 integers [begin, end], found 1");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 0),
                "invalid header JSON", "does not fit in a 64-bit signed long");
        assertRejected(file("{" + entry("a", "F32", "[2]", 4, 12) + "}", 0, f32(1, 2)),
                "tensor 'a' data_offsets [4, 12] extend past the end of the 8-byte data section");
    }

    @Test
    void rejectsOverlapsGapsAndTrailingBytes() throws IOException {
        assertRejected(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 0,
                        f32(1, 2, 3)),
                "tensor 'b' data_offsets [4, 12] overlap tensor 'a' data_offsets [0, 8]");
        assertRejected(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 0,
                        f32(1, 2)),
                "tensor 'b' data_offsets [0, 8] overlap tensor 'a' data_offsets [0, 8]");
        assertRejected(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 0,
                        f32(1, 2, 3)),
                "gap of 4 bytes in the data section between tensor 'a' (data_offsets [0, 4]) and tensor 'b' "
                        + "(data_offsets [8, 12])");
        assertRejected(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", 0, f32(1, 2)),
                "gap of 4 bytes in the data section before the first tensor 'a'");
        assertRejected(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 0, f32(1, 2, 3)),
                "the data section has 12 bytes but the tensors cover 4: 8 trailing bytes");
        assertRejected(file("{}", 6, f32(1)), "the data section has 4 bytes but the tensors cover 0");
    }

    @Test
    void rejectsDuplicateKeys() throws IOException {
        assertRejected(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", 0,
                f32(1, 2)), "invalid header JSON", "duplicate key 'a'");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 0,
                f32(1)), "duplicate key 'dtype'");
        assertRejected(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "duplicate key '__metadata__'");
    }

    @Test
    void rejectsNonStringMetadata() throws IOException {
        assertRejected(file("{\"__metadata__\":{\"epoch\":3}}", 0),
                "__metadata__ value for key 'epoch' must be a string, found a number");
        assertRejected(file("{\"__metadata__\":{\"cfg\":{\"a\":\"b\"}}}", 0),
                "__metadata__ value for key 'cfg' must be a string, found an object");
        assertRejected(file("{\"__metadata__\":[\"a\"]}", 0), "__metadata__ must be an object of strings, found an array");
        assertRejected(file("{\"__metadata__\":null}", 0), "found null");
    }

    @Test
    void randomlyCorruptedFilesFailCleanly() throws IOException {
        byte[] ok = valid();
        Random rng = new Random(7);
        int loaded = 0;
        int rejected = 0;
        Path p = dir.resolve("fuzz.safetensors");
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad;
            if (trial < ok.length) {
                bad = java.util.Arrays.copyOf(ok, trial); // every truncation
            } else {
                bad = ok.clone();
                int flips = 1 + rng.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int at = rng.nextInt(Math.min(bad.length, trial % 2 == 0 ? 24 + 140 : bad.length));
                    bad[at] = (byte) (rng.nextBoolean() ? rng.nextInt(256) : "{}[],:\"0123456789-e. \\"
                            .charAt(rng.nextInt(22)));
                }
            }
            Files.write(p, bad);
            try {
                Safetensors.load(p);
                loaded++;
            } catch (Safetensors.FormatException e) {
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 1000, "rejected " + rejected);
        assertTrue(loaded > 0, "some flips only change data bytes");
    }

    // ------------------------------------------------------------------------------------------ atomic save

    private Path existing() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Safetensors.save(Map.of("old", Tensor.of(new float[] {1, 2, 3})), p);
        return p;
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path p = existing();
        Safetensors.save(Map.of("new", Tensor.of(new float[] {4, 5})), p);
        Safetensors.Contents c = Safetensors.load(p);
        assertEquals(List.of("new"), List.copyOf(c.tensors().keySet()));
        assertEquals(List.of("model.safetensors"), listDir());
        // A relative path works too.
        Path rel = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.safetensors"));
        Safetensors.save(Map.of("x", Tensor.scalar(1)), rel);
        assertEquals(1f, Safetensors.load(rel).tensor("x").item());
    }

    @Test
    void aSaveRemovesTheTemporaryFilesOfEarlierSavesThatDied() throws IOException {
        Path p = existing();
        Path dir = p.getParent();
        Path stale = dir.resolve(".model.safetensors.00000000deadbeef.tmp");     // left by a killed save
        Files.write(stale, new byte[1 << 16]);
        Path live = dir.resolve(".model.safetensors.0123456789abcdef.tmp");      // a save still writing
        Path other = dir.resolve(".model.safetensors.notours.tmp");               // not a name a save makes
        Files.write(other, new byte[1]);
        try (var ch = java.nio.channels.FileChannel.open(live, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
            Safetensors.save(Map.of("x", Tensor.scalar(2)), p);
            assertTrue(Files.exists(live), "a temporary file that its writer holds is left alone");
        }
        assertFalse(Files.exists(stale), "the dead save's temporary file is gone");
        assertTrue(Files.exists(other));
        assertEquals(2f, Safetensors.load(p).tensor("x").item());
        Files.delete(live);
        Files.delete(other);
    }

    @Test
    void failureMidwayLeavesOldFileAndNoTemporary() throws IOException {
        Path p = existing();
        byte[] before = Files.readAllBytes(p);
        IOException io = assertThrows(IOException.class, () -> AtomicFile.write(p, ch -> {
            ch.write(ByteBuffer.wrap(new byte[4096]));
            assertEquals(1, listDir().stream().filter(n -> n.endsWith(".tmp")).count(), "temporary exists meanwhile");
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", io.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listDir());

        assertThrows(OutOfMemoryError.class, () -> AtomicFile.write(p, ch -> {
            ch.write(ByteBuffer.wrap(new byte[100]));
            throw new OutOfMemoryError("simulated");
        }));
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(p, ch -> {
            throw new IllegalStateException("simulated");
        }));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listDir());
    }

    @Test
    void interruptedSaveLeavesOldFileAndNoTemporary() throws IOException {
        Path p = existing();
        byte[] before = Files.readAllBytes(p);
        Thread.currentThread().interrupt();
        try {
            // Interrupted while taking the temporary file's lock, or, had it been interrupted later, while writing.
            IOException e = assertThrows(IOException.class, () -> Safetensors.save(Map.of("big", Tensor.zeros(1000, 1000)), p));
            assertTrue(e instanceof java.nio.channels.FileLockInterruptionException || e instanceof ClosedByInterruptException,
                    e.toString());
        } finally {
            assertTrue(Thread.interrupted(), "interrupt flag kept (and now cleared)");
        }
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listDir());
    }

    @Test
    void badTargetsAndArgumentsLeaveNothingBehind() throws IOException {
        Path p = existing();
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> ok = Map.of("w", Tensor.ones(2));

        assertThrows(NoSuchFileException.class, () -> Safetensors.save(ok, dir.resolve("missing/x.safetensors")));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(ok, sub));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        Files.delete(sub);

        Map<String, Tensor> dup = new IdentityHashMap<>();
        dup.put(new String("w"), Tensor.ones(1));
        dup.put(new String("w"), Tensor.ones(1));
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(dup, p));
        assertTrue(e.getMessage().contains("duplicate tensor name 'w'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(Map.of("", Tensor.ones(1)), p));
        assertTrue(e.getMessage().contains("tensor names must be non-empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(Map.of("__metadata__", Tensor.ones(1)), p));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(Map.of("a\uD800", Tensor.ones(1)), p));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("n", null);
        assertThrows(NullPointerException.class, () -> Safetensors.save(nullTensor, p));
        Map<String, String> nullMeta = new LinkedHashMap<>();
        nullMeta.put("k", null);
        assertThrows(NullPointerException.class, () -> Safetensors.save(ok, nullMeta, p));

        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listDir());
    }

    @Test
    void mapIsIteratedOnceSoLaterChangesCannotCorruptTheFile() throws IOException {
        // A map that yields different entries on each iteration: header and data must still agree.
        List<Integer> calls = new ArrayList<>();
        Map<String, Tensor> fickle = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, Tensor>> entrySet() {
                calls.add(1);
                int n = calls.size();
                return Map.of("t", Tensor.full(n, n)).entrySet();
            }
        };
        Path p = dir.resolve("fickle.safetensors");
        Safetensors.save(fickle, p);
        assertEquals(1, calls.size());
        assertArrayEquals(new float[] {1}, Safetensors.load(p).tensor("t").toArray());
    }
}
