package dev.frelon.nn.io;

import dev.frelon.core.DType;
import dev.frelon.core.MessageText;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, the model-file format of Hugging Face and others.
 *
 * <h2>Format</h2>
 * A file is, in order:
 * <ol>
 *   <li>{@code N}: an 8-byte little-endian unsigned integer, the length of the header in bytes;</li>
 *   <li>the header: {@code N} bytes of UTF-8 JSON, possibly followed by padding spaces (0x20), holding one
 *       object that maps each tensor name to
 *       {@code {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}}, plus an optional
 *       {@code "__metadata__"} object mapping strings to strings;</li>
 *   <li>the data section: the raw tensor elements, little-endian, row-major (C order). Tensor {@code t}
 *       occupies bytes {@code [begin, end)} counted from the first byte after the header, so its absolute
 *       file position is {@code 8 + N + begin}, and {@code end - begin = d0 * d1 * ... * sizeof(dtype)}.
 *       A 0-d tensor ({@code "shape": []}) holds one element.</li>
 * </ol>
 *
 * <h2>Writing</h2>
 * {@link #save} writes the tensors in the map's iteration order, data packed back to back from offset 0, with
 * the header padded by spaces so that the data section starts at a multiple of 8 bytes. Each is stored in its own
 * dtype (float32 as F32, float64 as F64, int64 as I64, int32 as I32, bool as BOOL) unless the caller names another of
 * the format's dtypes for it ({@link #save(Map, Map, Map, Path)}): F64, F32, F16 and BF16 (rounded to nearest, ties to
 * even), or I64, I32, I16, I8, U8 and BOOL, which must hold its values exactly.
 * Views (transposed, sliced, expanded) are written by value, in row-major order of their shape; F32 is written
 * element by element without making a dense copy, other dtypes from a copy of one tensor at a time. The write is atomic: the bytes go to a temporary file in the target's
 * directory, which is flushed to the device and then renamed over the target, so a reader sees either the
 * old file or the complete new one, and a failure leaves the old file untouched and no temporary file
 * behind.
 *
 * <h2>Reading</h2>
 * {@link #load} gives each tensor the dtype that holds its values exactly: F32 as float32, F16 (IEEE 754 binary16)
 * and BF16 (the top 16 bits of a float32) widened to float32 (exactly, including subnormals, infinities and NaN),
 * F64 as float64, I64 as int64 (a PyTorch BatchNorm's {@code num_batches_tracked}), I32, I16, I8 and U8 as int32,
 * and BOOL (bytes 0 or 1; any other byte is an error) as bool. {@link Contents#dtypes} keeps the stored names, so
 * that a file can be written back as it was. Loading into a model converts to the model's dtypes
 * ({@code Tensor.copyFrom}). 8-bit floats are rejected.
 *
 * <p>The reader trusts nothing in the file. Before anything is allocated, the header length is checked
 * against the file size and against {@link #MAX_HEADER_BYTES}; every entry must have exactly the keys
 * {@code dtype}, {@code shape} and {@code data_offsets}; dims must be non-negative with at most
 * {@link #MAX_RANK} of them and fewer than 2^31 - 8 elements in all; offsets must satisfy
 * {@code 0 <= begin <= end <= } the data section size, and {@code end - begin} must equal the element count
 * times the dtype size; {@code __metadata__} values must be strings. The header JSON itself must be strict
 * (no duplicate keys, no trailing garbage other than whitespace, nesting at most 64 deep, integers within
 * {@code long}).
 *
 * <p><b>Stricter than some readers:</b> the tensors, sorted by {@code begin}, must tile the data section
 * exactly: the first starts at 0, each starts where the previous ends, and the last ends at the end of the
 * file. A gap, an overlap (two names sharing bytes) or trailing bytes after the last tensor are errors here,
 * where some readers only require each tensor to lie within the file. Files written by the reference
 * implementation and by {@link #save} always satisfy this. At most {@link #MAX_TENSORS} tensors and
 * {@link #MAX_METADATA_ENTRIES} metadata entries are accepted, which bounds the memory a hostile header can
 * make the parser use to a small multiple of its size.
 *
 * <p>Memory: tensor data is read in 1 MiB chunks straight into the result arrays, so loading holds one copy
 * of the data (plus the header), never two. The largest allocation is justified by bytes that actually exist
 * in the file; a truncated or malicious file gives a {@link FormatException}, never an
 * {@link OutOfMemoryError} from a forged length, a {@link NegativeArraySizeException} or an index exception.
 *
 * <h2>Errors</h2>
 * Problems with the file are {@link FormatException}s (an {@link IOException}); their messages start with
 * the path as given and name the tensor and the numbers involved, e.g.
 * {@code lenet.safetensors: tensor 'fc1.weight' data_offsets [0, 100] hold 100 bytes but shape [10, 5] of
 * F32 needs 200}. Bad arguments to {@link #save} are {@link IllegalArgumentException}s or
 * {@link NullPointerException}s; I/O failures are the usual {@link IOException}s.
 */
public final class Safetensors {

    /** The largest header accepted by {@link #load} (and written by {@link #save}): 100 MiB. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    /** The most dims a tensor may have in a file read by {@link #load}. */
    public static final int MAX_RANK = 64;

    /** The most tensors a file read by {@link #load} may hold. */
    public static final int MAX_TENSORS = 1 << 20;

    /** The most {@code __metadata__} entries a file read by {@link #load} may hold. */
    public static final int MAX_METADATA_ENTRIES = 1 << 16;

    /** The largest element count of one tensor: the limit of a Java array, as for {@link Tensor}. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;

    private Safetensors() {
    }

    // ------------------------------------------------------------------------------------------ public types

    /**
     * A file that is not valid safetensors, or one this reader does not accept (see the class comment).
     * The message starts with the file name and says what is wrong with which tensor.
     */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates an exception for a problem found in the file itself.
         *
         * @param message what is wrong, starting with the file name
         */
        public FormatException(String message) {
            super(message);
        }

        /**
         * Creates an exception for a problem found in the file, caused by another error (e.g. malformed JSON).
         *
         * @param message what is wrong, starting with the file name
         * @param cause the underlying error
         */
        public FormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What {@link #load} read: the tensors in file order, the metadata, and each tensor's stored dtype.
     * The maps are unmodifiable; the tensors are new dense tensors owned by the caller.
     */
    public static final class Contents {
        private final String file;
        private final Map<String, Tensor> tensors;
        private final Map<String, String> metadata;
        private final Map<String, String> dtypes;

        private Contents(String file, Map<String, Tensor> tensors, Map<String, String> metadata,
                Map<String, String> dtypes) {
            this.file = file;
            this.tensors = Collections.unmodifiableMap(tensors);
            this.metadata = Collections.unmodifiableMap(metadata);
            this.dtypes = Collections.unmodifiableMap(dtypes);
        }

        /**
         * All tensors read, each in the dtype that holds its stored values exactly (see the class comment).
         *
         * @return name to tensor, unmodifiable, iterating in file order (by position in the data section;
         *         for files written by {@link #save}, the order of the saved map)
         */
        public Map<String, Tensor> tensors() {
            return tensors;
        }

        /**
         * The string-to-string {@code __metadata__} object of the header.
         *
         * @return the {@code __metadata__} entries in file order (empty when absent), unmodifiable
         */
        public Map<String, String> metadata() {
            return metadata;
        }

        /**
         * Each tensor's dtype as stored, e.g. to tell a model saved in half precision from one saved in F32.
         *
         * @return name to the dtype stored in the file ("F32", "F16", "I64"...), before any widening; same order as
         *         {@link #tensors()}
         */
        public Map<String, String> dtypes() {
            return dtypes;
        }

        /**
         * Looks up one tensor by name, failing with a message that lists what the file holds.
         *
         * @param name a tensor name
         * @return that tensor
         * @throws IllegalArgumentException naming the file and the tensors it does have, if absent
         */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException(file + ": no tensor " + MessageText.quote(name) + "; the file has "
                        + tensors.size() + (tensors.size() == 1 ? " tensor" : " tensors")
                        + (tensors.isEmpty() ? "" : ": " + MessageText.list(tensors.keySet())));
            }
            return t;
        }

        /**
         * Summarises the contents on one line, e.g. {@code lenet.safetensors {fc1.weight: F32[120, 400], ...}}.
         *
         * @return a summary: the file, and each tensor's name, dtype and shape
         */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(file).append(" {");
            int i = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                if (i++ > 0) {
                    sb.append(", ");
                }
                sb.append(e.getKey()).append(": ").append(dtypes.get(e.getKey()))
                        .append(Arrays.toString(e.getValue().shape()));
            }
            return sb.append('}').toString();
        }
    }

    // ------------------------------------------------------------------------------------------ dtypes

    private enum FileDtype {
        F32(4, 0, 0), F16(2, 0, 0), BF16(2, 0, 0), F64(8, 0, 0),
        I64(8, -0x1p63, 0x1p63), I32(4, Integer.MIN_VALUE, Integer.MAX_VALUE + 1.0),
        I16(2, Short.MIN_VALUE, Short.MAX_VALUE + 1.0), I8(1, Byte.MIN_VALUE, Byte.MAX_VALUE + 1.0), U8(1, 0, 256),
        BOOL(1, 0, 2);

        final int size;
        /** Whether the dtype holds integers (or booleans) only, in [{@link #min}, {@link #limit}). */
        final boolean integral;
        final double min, limit;

        FileDtype(int size, double min, double limit) {
            this.size = size;
            this.integral = limit > min;
            this.min = min;
            this.limit = limit;
        }

        /** Whether x is stored exactly: any value for a floating dtype, else an integer in range (0 or 1 for BOOL). */
        boolean holds(double x) {
            return !integral || (x == Math.rint(x) && x >= min && x < limit);
        }

        /**
         * The tensor dtype this file dtype loads as: F16 and BF16 widen to float32, the narrow integers to int32;
         * every value is kept exactly.
         */
        DType tensorDtype() {
            return switch (this) {
                case F32, F16, BF16 -> DType.FLOAT32;
                case F64 -> DType.FLOAT64;
                case I64 -> DType.INT64;
                case I32, I16, I8, U8 -> DType.INT32;
                case BOOL -> DType.BOOL;
            };
        }

        /** The file dtype a tensor of {@code d} is saved as when no other is asked for. */
        static FileDtype natural(DType d) {
            return switch (d) {
                case FLOAT32 -> F32;
                case FLOAT64 -> F64;
                case INT64 -> I64;
                case INT32 -> I32;
                case BOOL -> BOOL;
            };
        }

        /** The values an integral dtype holds, for messages. */
        String range() {
            return this == BOOL ? "0 or 1" : "an integer in [" + (long) min + ", " + (long) (limit - 1) + "]";
        }

        static FileDtype of(String name) {
            for (FileDtype d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** The dtypes this class reads and writes, as the format spells them: F32, F16, BF16, F64, I64, ..., BOOL. */
    public static final List<String> DTYPES = Arrays.stream(FileDtype.values()).map(Enum::name).toList();

    // ------------------------------------------------------------------------------------------ save

    /**
     * Saves tensors, each in its own dtype, without metadata; see {@link #save(Map, Map, Path)}.
     *
     * @param tensors name to tensor, written in iteration order
     * @param file the target; replaced atomically if it exists
     * @throws IOException if writing fails (the previous file, if any, is then unchanged)
     */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Saves tensors, each in its own dtype (float32 as F32, float64 as F64, int64 as I64, int32 as I32, bool as
     * BOOL), in the map's iteration order, with string metadata.
     *
     * <p>The header lists {@code __metadata__} first (when the metadata is non-empty), then the tensors;
     * tensor {@code i} gets {@code data_offsets [o_i, o_i + size_i * numel_i]} with {@code o_0 = 0} and
     * {@code o_{i+1} = o_i + size_i * numel_i}, {@code size_i} the bytes of its dtype; the header is padded with spaces to a multiple of 8 bytes. The
     * map is iterated once, up front; the tensors' values are read while writing.
     *
     * <p>Atomicity ({@link AtomicFile}): the file is written to a temporary file in the same directory (named
     * {@code .<name>.<random>.tmp}), forced to the storage device, then renamed onto {@code file}. On any failure
     * the temporary file is deleted and the previous file, if any, is left as it was; temporary files left by a
     * save that was killed are removed by the next save of the same file. A symbolic link at {@code file} is
     * replaced by the new file, not followed.
     *
     * @param tensors name to tensor; names must be non-empty, distinct and not {@code "__metadata__"}
     * @param metadata string to string, stored as {@code __metadata__}; may be empty
     * @param file the target; replaced atomically if it exists
     * @throws IllegalArgumentException for an empty, duplicate or reserved name, a string that cannot be
     *         encoded (unpaired surrogate), a target that is a directory, or a header over
     *         {@link #MAX_HEADER_BYTES}
     * @throws NullPointerException for a null map, name, tensor, metadata key or value
     * @throws IOException if writing fails (the previous file, if any, is then unchanged)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        save(tensors, metadata, Map.of(), file);
    }

    /**
     * Saves tensors as {@link #save(Map, Map, Path)} does, each in the dtype that {@code dtypes} names for it, and
     * the others in their own: F64 and F32 (a float64 tensor rounded to nearest), F16 and BF16 (rounded to nearest,
     * ties to even; F16 overflows to infinity, as PyTorch's {@code half()} does), and I64, I32, I16, I8, U8 and BOOL,
     * which must hold the values exactly: each must be an integer in the dtype's range, 0 or 1 for BOOL. A model
     * saved as BF16 takes half the space, for example. Every value is checked before the file is
     * started, so a value that does not fit leaves no file behind.
     *
     * @param tensors name to tensor; names must be non-empty, distinct and not {@code "__metadata__"}
     * @param metadata string to string, stored as {@code __metadata__}; may be empty
     * @param dtypes tensor name to its dtype in the file ({@code "F64"}, {@code "F32"}, {@code "F16"},
     *        {@code "BF16"}, {@code "I64"}, {@code "I32"}, {@code "I16"}, {@code "I8"}, {@code "U8"} or
     *        {@code "BOOL"}); every name must be one of the tensors'; may be empty
     * @param file the target; replaced atomically if it exists
     * @throws IllegalArgumentException as {@link #save(Map, Map, Path)}, and for an unknown dtype, a dtype for a
     *         name that is not among the tensors, or a value that the dtype cannot hold (naming the tensor, the
     *         element's index and its value)
     * @throws NullPointerException for a null map, name, tensor, metadata or dtype key or value
     * @throws IOException if writing fails (the previous file, if any, is then unchanged)
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes,
                            Path file) throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(dtypes, "dtypes");
        Objects.requireNonNull(file, "file");

        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new NullPointerException("save " + file + ": null tensor name");
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("save " + file + ": tensor names must be non-empty");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("save " + file + ": '" + METADATA_KEY
                        + "' is reserved for metadata and cannot name a tensor");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("save " + file + ": duplicate tensor name " + MessageText.quote(name));
            }
            if (e.getValue() == null) {
                throw new NullPointerException("save " + file + ": tensor " + MessageText.quote(name) + " is null");
            }
            names.add(name);
            values.add(e.getValue());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("save " + file + ": null metadata "
                        + (e.getKey() == null ? "key" : "value for key " + MessageText.quote(e.getKey())));
            }
            meta.put(e.getKey(), e.getValue());
        }

        List<FileDtype> stored = storedDtypes(file, names, values, dtypes);

        Map<String, Object> header = new LinkedHashMap<>();
        if (!meta.isEmpty()) {
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            Tensor t = values.get(i);
            long bytes = (long) stored.get(i).size * t.numel();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", stored.get(i).name());
            entry.put("shape", t.shape());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(names.get(i), entry);
            offset += bytes;
        }
        String json;
        try {
            json = Json.write(header);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("save " + file + ": " + ex.getMessage(), ex);
        }
        byte[] headerBytes = json.getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES || padded < 0) {
            throw new IllegalArgumentException("save " + file + ": the header would be " + headerBytes.length
                    + " bytes, over the limit of " + MAX_HEADER_BYTES + " that readers accept");
        }
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("save " + file + ": the target is a directory");
        }

        AtomicFile.write(target, ch -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(headerBytes);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            writeFully(ch, head);
            for (int i = 0; i < values.size(); i++) {
                if (stored.get(i) == FileDtype.F32 && values.get(i).dtype() == DType.FLOAT32) {
                    writeF32(ch, values.get(i), buf);
                } else {
                    writeConverted(ch, values.get(i), stored.get(i), buf);
                }
            }
        });
    }

    /**
     * Each tensor's dtype in the file, in order, after checking {@code dtypes} and that every value of an integer or
     * boolean dtype fits it exactly.
     */
    private static List<FileDtype> storedDtypes(Path file, List<String> names, List<Tensor> values,
                                            Map<String, String> dtypes) {
        Set<String> known = new HashSet<>(names);
        for (Map.Entry<String, String> e : dtypes.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("save " + file + ": null dtype "
                        + (e.getKey() == null ? "key" : "for tensor " + MessageText.quote(e.getKey())));
            }
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("save " + file + ": a dtype is given for "
                        + MessageText.quote(e.getKey()) + ", which is not among the tensors");
            }
            if (FileDtype.of(e.getValue()) == null) {
                throw new IllegalArgumentException("save " + file + ": tensor " + MessageText.quote(e.getKey())
                        + ": dtype " + MessageText.quote(e.getValue()) + " is not one of " + DTYPES);
            }
        }
        List<FileDtype> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String d = dtypes.get(names.get(i));
            Tensor t = values.get(i);
            FileDtype kind = d == null ? FileDtype.natural(t.dtype()) : FileDtype.of(d);
            if (kind.integral && kind != FileDtype.natural(t.dtype())) {
                // Every value is checked before the file is started; an integer tensor is read exactly as longs.
                boolean floating = t.dtype().isFloatingPoint();
                double[] dv = floating ? t.toDoubleArray() : null;
                long[] lv = floating ? null : t.toLongArray();
                for (int j = 0; j < t.numel(); j++) {
                    boolean fits = floating ? kind.holds(dv[j]) : lv[j] >= kind.min && lv[j] < kind.limit;
                    if (!fits) {
                        throw new IllegalArgumentException("save " + file + ": tensor " + MessageText.quote(names.get(i))
                                + " cannot be stored as " + kind + ": element " + j + " is "
                                + (floating ? valueText(t, dv[j]) : Long.toString(lv[j])) + ", expected " + kind.range());
                    }
                }
            }
            out.add(kind);
        }
        return out;
    }

    /** A float value as the message about it should show it: as a float for a float32 tensor. */
    private static String valueText(Tensor t, double v) {
        return t.dtype() == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
    }

    /**
     * Writes the elements of {@code t} in row-major order as {@code kind}, whose values were checked to fit. Floating
     * tensors go through their exact double values, integer and bool tensors through their exact long values; a
     * floating file dtype rounds to nearest (F16 and BF16 from float32 values, as PyTorch's {@code half()} does).
     */
    private static void writeConverted(FileChannel ch, Tensor t, FileDtype kind, ByteBuffer buf) throws IOException {
        boolean floating = t.dtype().isFloatingPoint();
        double[] dv = floating ? t.toDoubleArray() : null;
        long[] lv = floating ? null : t.toLongArray();
        buf.clear();
        for (int i = 0; i < t.numel(); i++) {
            if (buf.remaining() < 8) {
                buf.flip();
                writeFully(ch, buf);
                buf.clear();
            }
            double x = floating ? dv[i] : lv[i];
            long l = floating ? (long) dv[i] : lv[i];
            switch (kind) {
                case F64 -> buf.putDouble(x);
                case F16 -> buf.putShort(Float.floatToFloat16((float) x));
                case BF16 -> buf.putShort(bfloat16((float) x));
                case I64 -> buf.putLong(l);
                case I32 -> buf.putInt((int) l);
                case I16 -> buf.putShort((short) l);
                case I8, U8 -> buf.put((byte) l);
                case BOOL -> buf.put((byte) (l != 0 ? 1 : 0));
                case F32 -> buf.putFloat((float) x);
            }
        }
        buf.flip();
        writeFully(ch, buf);
        buf.clear();
    }

    /**
     * The bfloat16 nearest to x (ties to even), as its 16 bits: the top half of x's bits, rounded. A NaN stays a
     * (quiet) NaN, which plain rounding could turn into infinity.
     */
    static short bfloat16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Writes the elements of {@code t} in row-major order of its shape as little-endian float32. */
    private static void writeF32(FileChannel ch, Tensor t, ByteBuffer buf) throws IOException {
        int n = t.numel();
        if (n == 0) {
            return;
        }
        float[] data = TensorStorage.array(t);
        int offset = TensorStorage.offset(t);
        buf.clear();
        FloatBuffer fb = buf.asFloatBuffer();
        if (t.isContiguous()) {
            int done = 0;
            while (done < n) {
                int k = Math.min(n - done, fb.remaining());
                fb.put(data, offset + done, k);
                done += k;
                flushIfFull(ch, buf, fb, done == n);
            }
            return;
        }
        int[] shape = t.shape();
        int[] strides = TensorStorage.strides(t);
        int rank = shape.length; // >= 1: a 0-d tensor is contiguous
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int base = offset;
        int written = 0;
        while (true) {
            for (int j = 0; j < inner; j++) {
                fb.put(data[base + j * innerStride]);
                written++;
                flushIfFull(ch, buf, fb, written == n);
            }
            // Advance the outer dims like an odometer.
            int d = rank - 2;
            while (d >= 0) {
                idx[d]++;
                base += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static void flushIfFull(FileChannel ch, ByteBuffer buf, FloatBuffer fb, boolean last) throws IOException {
        if (fb.hasRemaining() && !last) {
            return;
        }
        buf.position(0).limit(fb.position() * 4);
        writeFully(ch, buf);
        buf.clear();
        fb.clear();
    }

    // ------------------------------------------------------------------------------------------ load

    /** One validated header entry. */
    private record Entry(String name, FileDtype dtype, int[] shape, long begin, long end) {
        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    /**
     * Loads every tensor of a safetensors file; see the class comment for the dtypes and for what is accepted.
     *
     * @param file the file
     * @return the tensors in file order, the metadata and the stored dtypes
     * @throws FormatException if the file is malformed, truncated, or holds an unsupported dtype; the
     *         message names the file, the tensor and the offending numbers
     * @throws IOException if the file cannot be read
     */
    public static Contents load(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new FormatException(name + ": file is " + size
                        + " bytes, too short to hold the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, name, "the header length");
            long n = lenBuf.getLong(0);
            if (n < 0 || n > size - 8) {
                throw new FormatException(name + ": header length " + Long.toUnsignedString(n) + " exceeds the "
                        + (size - 8) + " bytes that follow the length field (file is " + size
                        + " bytes; truncated or not a safetensors file?)");
            }
            if (n > MAX_HEADER_BYTES) {
                throw new FormatException(name + ": header length " + n + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            byte[] header = new byte[(int) n];
            readFully(ch, ByteBuffer.wrap(header), 8, name, "the header");
            long dataStart = 8 + n;
            long dataSize = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(name, header, dataSize, metadata);
            header = null; // let it go before the data is allocated
            checkLayout(name, entries, dataSize);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES, Math.max(dataSize, 8)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                tensors.put(e.name(), readData(ch, name, e, dataStart, buf));
                dtypes.put(e.name(), e.dtype().name());
            }
            return new Contents(name, tensors, metadata, dtypes);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, String file, String what)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new FormatException(file + ": file ended at byte " + pos + " while reading " + what
                        + " (was it truncated while being read?)");
            }
            pos += r;
        }
    }

    /** Parses and checks the header; fills {@code metadata}; returns the entries sorted by position. */
    private static List<Entry> parseHeader(String file, byte[] header, long dataSize, Map<String, String> metadata)
            throws FormatException {
        List<Entry> entries = new ArrayList<>();
        Json.Reader r = new Json.Reader(header, 0, header.length);
        try {
            Json.Kind kind = r.peek();
            if (kind != Json.Kind.OBJECT) {
                throw new FormatException(file + ": header must be a JSON object, found " + kind.description);
            }
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (key.equals(METADATA_KEY)) {
                    readMetadata(r, file, metadata);
                } else {
                    if (entries.size() >= MAX_TENSORS) {
                        throw new FormatException(file + ": more than " + MAX_TENSORS + " tensors");
                    }
                    entries.add(readEntry(r, file, key, dataSize));
                }
            }
            r.endObject();
            r.finish();
        } catch (Json.JsonException ex) {
            throw new FormatException(file + ": invalid header JSON: " + ex.getMessage(), ex);
        }
        return entries;
    }

    private static void readMetadata(Json.Reader r, String file, Map<String, String> metadata)
            throws FormatException, Json.JsonException {
        Json.Kind kind = r.peek();
        if (kind != Json.Kind.OBJECT) {
            throw new FormatException(file + ": " + METADATA_KEY + " must be an object of strings, found "
                    + kind.description);
        }
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            Json.Kind vk = r.peek();
            if (vk != Json.Kind.STRING) {
                throw new FormatException(file + ": " + METADATA_KEY + " value for key " + MessageText.quote(key)
                        + " must be a string, found " + vk.description);
            }
            if (metadata.size() >= MAX_METADATA_ENTRIES) {
                throw new FormatException(file + ": " + METADATA_KEY + " has more than " + MAX_METADATA_ENTRIES
                        + " entries");
            }
            metadata.put(key, r.nextString());
        }
        r.endObject();
    }

    private static Entry readEntry(Json.Reader r, String file, String name, long dataSize)
            throws FormatException, Json.JsonException {
        String what = file + ": tensor " + MessageText.quote(name);
        if (name.isEmpty()) {
            throw new FormatException(file + ": a tensor has an empty name");
        }
        Json.Kind kind = r.peek();
        if (kind != Json.Kind.OBJECT) {
            throw new FormatException(what + " must be an object with dtype, shape and data_offsets, found "
                    + kind.description);
        }
        r.beginObject();
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (r.hasNext()) {
            String key = r.nextName();
            switch (key) {
                case "dtype" -> {
                    Json.Kind k = r.peek();
                    if (k != Json.Kind.STRING) {
                        throw new FormatException(what + ": dtype must be a string, found " + k.description);
                    }
                    dtypeName = r.nextString();
                }
                case "shape" -> shape = readInts(r, what, "shape", MAX_RANK);
                case "data_offsets" -> offsets = readInts(r, what, "data_offsets", 2);
                default -> throw new FormatException(what + " has unknown key " + MessageText.quote(key)
                        + " (allowed: dtype, shape, data_offsets)");
            }
        }
        r.endObject();
        if (dtypeName == null) {
            throw new FormatException(what + " has no dtype");
        }
        if (shape == null) {
            throw new FormatException(what + " has no shape");
        }
        if (offsets == null) {
            throw new FormatException(what + " has no data_offsets");
        }
        FileDtype dtype = FileDtype.of(dtypeName);
        if (dtype == null) {
            throw new FormatException(what + " has dtype " + MessageText.quote(dtypeName)
                    + ", which is not supported (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        }
        String shapeStr = Arrays.toString(shape);
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new FormatException(what + " has shape " + shapeStr + " with a negative dim");
            }
            // Checked like Tensor does (every prefix product bounded); both factors are then < 2^31.
            if (d > MAX_ELEMENTS || (numel *= d) > MAX_ELEMENTS) {
                throw new FormatException(what + " has shape " + shapeStr + " with more than " + MAX_ELEMENTS
                        + " elements");
            }
        }
        if (offsets.length != 2) {
            throw new FormatException(what + ": data_offsets must hold exactly 2 integers [begin, end], found "
                    + offsets.length);
        }
        long begin = offsets[0];
        long end = offsets[1];
        String offStr = "[" + begin + ", " + end + "]";
        if (begin < 0 || end < 0) {
            throw new FormatException(what + " data_offsets " + offStr + " must be non-negative");
        }
        if (begin > end) {
            throw new FormatException(what + " data_offsets " + offStr + " have begin > end");
        }
        long need = numel * dtype.size;
        if (end - begin != need) {
            throw new FormatException(what + " data_offsets " + offStr + " hold " + (end - begin)
                    + " bytes but shape " + shapeStr + " of " + dtype + " needs " + need);
        }
        if (end > dataSize) {
            throw new FormatException(what + " data_offsets " + offStr + " extend past the end of the "
                    + dataSize + "-byte data section (is the file truncated?)");
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) shape[i];
        }
        return new Entry(name, dtype, dims, begin, end);
    }

    /** Reads an array of at most {@code max} integers. */
    private static long[] readInts(Json.Reader r, String what, String key, int max)
            throws FormatException, Json.JsonException {
        Json.Kind kind = r.peek();
        if (kind != Json.Kind.ARRAY) {
            throw new FormatException(what + ": " + key + " must be an array of integers, found " + kind.description);
        }
        r.beginArray();
        long[] out = new long[Math.min(max, 8)];
        int n = 0;
        while (r.hasNext()) {
            Json.Kind k = r.peek();
            if (k != Json.Kind.NUMBER) {
                throw new FormatException(what + ": " + key + " must be an array of integers, found "
                        + k.description + " at index " + n);
            }
            if (n == max) {
                throw new FormatException(what + ": " + key + " has more than " + max + " elements");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.min(max, 2 * n));
            }
            out[n++] = r.nextLong();
        }
        r.endArray();
        return Arrays.copyOf(out, n);
    }

    /** Sorts entries by position and checks that they tile {@code [0, dataSize)} exactly. */
    private static void checkLayout(String file, List<Entry> entries, long dataSize) throws FormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)); // stable
        long cursor = 0;
        Entry prev = null;
        for (Entry e : entries) {
            if (e.begin() < cursor) {
                throw new FormatException(file + ": tensor " + MessageText.quote(e.name()) + " data_offsets "
                        + e.offsets() + " overlap tensor " + MessageText.quote(prev.name()) + " data_offsets "
                        + prev.offsets());
            }
            if (e.begin() > cursor) {
                throw new FormatException(file + ": gap of " + (e.begin() - cursor) + " bytes in the data section "
                        + (prev == null ? "before the first tensor " + MessageText.quote(e.name()) + " (data_offsets "
                                + e.offsets() + ")"
                                : "between tensor " + MessageText.quote(prev.name()) + " (data_offsets "
                                        + prev.offsets() + ") and tensor " + MessageText.quote(e.name())
                                        + " (data_offsets " + e.offsets() + ")")
                        + "; tensors must be packed contiguously from offset 0");
            }
            cursor = e.end();
            prev = e;
        }
        if (cursor != dataSize) {
            throw new FormatException(file + ": the data section has " + dataSize + " bytes but the tensors cover "
                    + cursor + ": " + (dataSize - cursor) + " trailing bytes");
        }
    }

    /**
     * Reads one tensor's bytes in chunks into a tensor of the dtype that holds them exactly
     * ({@link FileDtype#tensorDtype}).
     */
    private static Tensor readData(FileChannel ch, String file, Entry e, long dataStart, ByteBuffer buf)
            throws IOException {
        int n = (int) ((e.end() - e.begin()) / e.dtype().size);
        float[] f32 = e.dtype().tensorDtype() == DType.FLOAT32 ? new float[n] : null;
        double[] f64 = e.dtype() == FileDtype.F64 ? new double[n] : null;
        long[] i64 = e.dtype() == FileDtype.I64 ? new long[n] : null;
        int[] i32 = e.dtype().tensorDtype() == DType.INT32 ? new int[n] : null;
        boolean[] bools = e.dtype() == FileDtype.BOOL ? new boolean[n] : null;
        int perChunk = buf.capacity() / 8 * 8 / e.dtype().size;
        long pos = dataStart + e.begin();
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, perChunk);
            buf.clear().limit(k * e.dtype().size);
            readFully(ch, buf, pos, file, "tensor " + MessageText.quote(e.name()));
            buf.flip();
            pos += (long) k * e.dtype().size;
            switch (e.dtype()) {
                case F32 -> buf.asFloatBuffer().get(f32, done, k);
                case F16 -> {
                    ShortBuffer sb = buf.asShortBuffer();
                    for (int i = 0; i < k; i++) {
                        f32[done + i] = Float.float16ToFloat(sb.get(i));
                    }
                }
                case BF16 -> {
                    ShortBuffer sb = buf.asShortBuffer();
                    for (int i = 0; i < k; i++) {
                        f32[done + i] = Float.intBitsToFloat((sb.get(i) & 0xFFFF) << 16);
                    }
                }
                case F64 -> buf.asDoubleBuffer().get(f64, done, k);
                case I64 -> buf.asLongBuffer().get(i64, done, k);
                case I32 -> buf.asIntBuffer().get(i32, done, k);
                case I16 -> {
                    ShortBuffer sb = buf.asShortBuffer();
                    for (int i = 0; i < k; i++) {
                        i32[done + i] = sb.get(i);
                    }
                }
                case I8 -> {
                    for (int i = 0; i < k; i++) {
                        i32[done + i] = buf.get(i);
                    }
                }
                case U8 -> {
                    for (int i = 0; i < k; i++) {
                        i32[done + i] = buf.get(i) & 0xFF;
                    }
                }
                case BOOL -> {
                    for (int i = 0; i < k; i++) {
                        byte b = buf.get(i);
                        if (b != 0 && b != 1) {
                            throw new FormatException(file + ": tensor " + MessageText.quote(e.name()) + " is BOOL but"
                                    + " element " + (done + i) + " is the byte " + (b & 0xFF) + "; expected 0 or 1");
                        }
                        bools[done + i] = b == 1;
                    }
                }
            }
            done += k;
        }
        if (f32 != null) {
            return Tensor.wrap(f32, e.shape());
        }
        // Tensor.of copies these once more (model files hold few of them); the reshape keeps 0-d shapes.
        Tensor flat = f64 != null ? Tensor.of(f64) : i64 != null ? Tensor.of(i64) : i32 != null ? Tensor.of(i32)
                : Tensor.of(bools);
        return flat.reshape(e.shape());
    }
}
