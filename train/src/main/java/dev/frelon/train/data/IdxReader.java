package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic {@code 00 00 TT DD} (TT the element
 * type, DD the number of dims), DD big-endian 32-bit dims, then the elements in row-major order. Only unsigned
 * bytes ({@code TT = 0x08}) are supported: images have magic {@code 0x00000803} ({@code [N, rows, cols]}) and
 * labels {@code 0x00000801} ({@code [N]}). Gzipped files are recognised by their first two bytes
 * ({@code 1f 8b}), whatever their name.
 *
 * <p>The header is not trusted: the magic, element type and number of dims are checked, every dim must be
 * positive, the element count must fit in a Java array, and the data must have exactly the length the header
 * announces. A bad file gives an {@link IOException} naming the file, what was expected and what was found.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dims (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dim (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The IDX element-type byte of unsigned bytes. */
    public static final int TYPE_UBYTE = 0x08;

    /** The largest element count we accept: the largest float array the JVM can reliably allocate. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * The four tensors of MNIST-style data.
     *
     * @param trainImages training images, {@code [N, rows, cols]} or {@code [N, 1, rows, cols]}, in [0, 1]
     * @param trainLabels training labels {@code [N]}, class indices as floats
     * @param testImages test images, shaped like the training images
     * @param testLabels test labels {@code [M]}
     */
    public record Mnist(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels) {

        /**
         * Wraps the training images and labels, without copying, in a dataset.
         *
         * @return the training images and labels as a dataset
         */
        public TensorDataset train() {
            return new TensorDataset(trainImages, trainLabels);
        }

        /**
         * Wraps the test images and labels, without copying, in a dataset.
         *
         * @return the test images and labels as a dataset
         */
        public TensorDataset test() {
            return new TensorDataset(testImages, testLabels);
        }
    }

    /**
     * The raw content of an IDX file of unsigned bytes.
     *
     * @param dims the dims from the header, each positive
     * @param data the elements, row-major, {@code product(dims)} bytes (read as unsigned: {@code b & 0xFF})
     */
    public record Raw(int[] dims, byte[] data) {
    }

    /**
     * Reads images and scales them from 0..255 to [0, 1].
     *
     * @param file an IDX file with magic {@code 0x00000803}, plain or gzipped
     * @param channelDim true for {@code [N, 1, rows, cols]} (as convolutions expect), false for
     *     {@code [N, rows, cols]}
     * @return the images
     * @throws IOException when the file cannot be read or is not a valid IDX image file
     */
    public static Tensor readImages(Path file, boolean channelDim) throws IOException {
        Raw raw = read(file, 3);
        int[] d = raw.dims();
        byte[] b = raw.data();
        float[] out = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (b[i] & 0xFF) / 255f;
        }
        return channelDim ? Tensor.wrap(out, d[0], 1, d[1], d[2]) : Tensor.wrap(out, d[0], d[1], d[2]);
    }

    /**
     * Reads labels as float class indices (0..255).
     *
     * @param file an IDX file with magic {@code 0x00000801}, plain or gzipped
     * @return the labels {@code [N]}
     * @throws IOException when the file cannot be read or is not a valid IDX label file
     */
    public static Tensor readLabels(Path file) throws IOException {
        Raw raw = read(file, 1);
        byte[] b = raw.data();
        float[] out = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return Tensor.wrap(out, b.length);
    }

    /**
     * Reads an IDX file of unsigned bytes with the expected number of dims.
     *
     * @param file the file, plain or gzipped
     * @param expectedDims the number of dims the caller expects (1 to 255)
     * @return the dims and bytes
     * @throws IOException when the file cannot be read or does not hold what the header announces
     */
    public static Raw read(Path file, int expectedDims) throws IOException {
        return read(file, expectedDims, defaultMaxElements());
    }

    /**
     * The default cap on the elements one IDX file may announce: an eighth of the JVM's maximum heap (a file's
     * bytes become floats, 4 bytes each, beside the bytes themselves), and never more than one array holds. A
     * gzipped file announces its size only in its header, so the cap is what stops a small corrupt or hostile
     * file from inflating until the heap is gone.
     *
     * @return the cap, in elements
     */
    public static long defaultMaxElements() {
        return Math.min(MAX_ELEMENTS, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * Reads an IDX file of unsigned bytes with the expected number of dims, refusing a header that announces more
     * than {@code maxElements} elements before reading any data. Bytes after the announced data are an error, in a
     * gzipped file as in a plain one, and reading stops at the first of them.
     *
     * @param file the file, plain or gzipped
     * @param expectedDims the number of dims the caller expects (1 to 255)
     * @param maxElements the most elements the header may announce, at least 1
     * @return the dims and bytes
     * @throws IOException when the file cannot be read, does not hold what the header announces, or announces more
     *     than {@code maxElements}
     */
    public static Raw read(Path file, int expectedDims, long maxElements) throws IOException {
        if (maxElements < 1) {
            throw new IllegalArgumentException("IdxReader.read: maxElements must be at least 1, got " + maxElements);
        }
        if (expectedDims < 1 || expectedDims > 255) {
            throw new IllegalArgumentException("IdxReader.read: expected dims must be in [1, 255], got "
                    + expectedDims);
        }
        long fileSize = Files.size(file);
        boolean gz;
        try (InputStream probe = Files.newInputStream(file)) {
            int b0 = probe.read();
            int b1 = probe.read();
            gz = b0 == 0x1f && b1 == 0x8b;
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gz ? new StrictGzipInputStream(raw, file.toString()) : new BufferedInputStream(raw, 1 << 16)) {
            return parse(in, file, gz, fileSize, expectedDims, maxElements);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            if (!gz) {
                throw e;
            }
            throw new IOException(file + " (gzipped): the compressed stream is truncated or corrupt ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Raw parse(InputStream in, Path file, boolean gz, long fileSize, int expectedDims, long maxElements)
            throws IOException {
        String what = file + (gz ? " (gzipped)" : "");
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IOException(what + ": too short for an IDX header: expected a 4-byte magic number, found "
                    + magic.length + " byte(s)");
        }
        int expectedMagic = (TYPE_UBYTE << 8) | expectedDims;
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(what + ": not an IDX file: expected magic " + hex(expectedMagic)
                    + " (first two bytes 00 00), found " + hex(readInt(magic)));
        }
        int type = magic[2] & 0xFF;
        int ndims = magic[3] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new IOException(what + ": unsupported IDX element type " + String.format("0x%02X", type)
                    + " (" + typeName(type) + "); expected 0x08 (unsigned byte), magic " + hex(expectedMagic));
        }
        if (ndims != expectedDims) {
            throw new IOException(what + ": expected an IDX file with " + expectedDims + " dim(s) (magic "
                    + hex(expectedMagic) + (expectedDims == 3 ? ", images" : expectedDims == 1 ? ", labels" : "")
                    + "), found " + ndims + " dim(s) (magic " + hex(readInt(magic)) + ")");
        }
        byte[] dimBytes = in.readNBytes(4 * ndims);
        if (dimBytes.length < 4 * ndims) {
            throw new IOException(what + ": truncated header: expected " + ndims + " dims (" + 4 * ndims
                    + " bytes) after the magic, found " + dimBytes.length + " byte(s)");
        }
        int[] dims = new int[ndims];
        long count = 1;
        for (int d = 0; d < ndims; d++) {
            long dim = Integer.toUnsignedLong(readInt(dimBytes, 4 * d));
            if (dim == 0) {
                throw new IOException(what + ": dim " + d + " of " + dimsString(dimBytes, ndims)
                        + " is 0; every dim must be positive");
            }
            if (dim > MAX_ELEMENTS || count * dim > MAX_ELEMENTS) {
                throw new IOException(what + ": the dims " + dimsString(dimBytes, ndims) + " announce more than "
                        + MAX_ELEMENTS + " elements, too many for one array (a corrupt header?)");
            }
            dims[d] = (int) dim;
            count *= dim;
        }
        if (count > maxElements) {
            throw new IOException(what + ": the header announces dims " + Arrays.toString(dims) + " = " + count
                    + " elements, more than the cap of " + maxElements + " (IdxReader.read's maxElements; by default an"
                    + " eighth of the maximum heap, so -Xmx raises it)");
        }
        long headerSize = 4L + 4L * ndims;
        if (!gz && fileSize != headerSize + count) {
            throw new IOException(what + ": header announces dims " + Arrays.toString(dims) + " = " + count
                    + " data bytes (a file of " + (headerSize + count) + " bytes), but the file has " + fileSize
                    + " bytes (" + (fileSize - headerSize) + " data bytes)"
                    + (fileSize < headerSize + count ? ": truncated" : ": trailing data"));
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new IOException(what + ": truncated: header announces dims " + Arrays.toString(dims) + " = "
                    + count + " data bytes, found only " + data.length);
        }
        // One byte past the data is enough to refuse the file: counting them all would inflate a gzip bomb.
        if (in.read() >= 0) {
            throw new IOException(what + ": header announces dims " + Arrays.toString(dims) + " = " + count
                    + " data bytes, but more bytes follow them (trailing data)");
        }
        return new Raw(dims, data);
    }

    /**
     * Loads the four files of MNIST or Fashion-MNIST from a directory under their standard names
     * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
     * {@code t10k-labels-idx1-ubyte}), each plain or with a {@code .gz} suffix (the names with a dot,
     * {@code train-images.idx3-ubyte}, are accepted too). Checks that images and labels have equal counts
     * and that training and test images have the same size.
     *
     * @param dir the directory
     * @param channelDim true for images {@code [N, 1, rows, cols]}, false for {@code [N, rows, cols]}
     * @return the data
     * @throws IOException when a file is missing or invalid, or the counts do not match
     */
    public static Mnist loadMnist(Path dir, boolean channelDim) throws IOException {
        Path trainImages = find(dir, "train-images-idx3-ubyte");
        Path trainLabels = find(dir, "train-labels-idx1-ubyte");
        Path testImages = find(dir, "t10k-images-idx3-ubyte");
        Path testLabels = find(dir, "t10k-labels-idx1-ubyte");
        Tensor trX = readImages(trainImages, channelDim);
        Tensor trY = readLabels(trainLabels);
        checkCount(trainImages, trX, trainLabels, trY);
        Tensor teX = readImages(testImages, channelDim);
        Tensor teY = readLabels(testLabels);
        checkCount(testImages, teX, testLabels, teY);
        int[] a = trX.shape();
        int[] b = teX.shape();
        if (a[a.length - 1] != b[b.length - 1] || a[a.length - 2] != b[b.length - 2]) {
            throw new IOException("IdxReader.loadMnist: training images " + trainImages + " are "
                    + a[a.length - 2] + "x" + a[a.length - 1] + " but test images " + testImages + " are "
                    + b[b.length - 2] + "x" + b[b.length - 1]);
        }
        return new Mnist(trX, trY, teX, teY);
    }

    private static void checkCount(Path images, Tensor x, Path labels, Tensor y) throws IOException {
        if (x.size(0) != y.size(0)) {
            throw new IOException("IdxReader.loadMnist: " + images + " holds " + x.size(0) + " images but "
                    + labels + " holds " + y.size(0) + " labels; the counts must match");
        }
    }

    /**
     * Finds a standard-named file in a directory, plain or gzipped.
     *
     * @param dir the directory
     * @param name the standard name, for example {@code train-images-idx3-ubyte}
     * @return the first existing of {@code name}, {@code name.gz} and the same with the last {@code -} before
     *     {@code idx} written as a dot
     * @throws NoSuchFileException when none exists, naming all the candidates
     */
    public static Path find(Path dir, String name) throws NoSuchFileException {
        String dotted = name.replace("-idx", ".idx");
        String[] candidates = {name, name + ".gz", dotted, dotted + ".gz"};
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "IdxReader: none of " + Arrays.toString(candidates)
                + " exists in this directory");
    }

    private static int readInt(byte[] b) {
        return readInt(b, 0);
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static String dimsString(byte[] dimBytes, int ndims) {
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < ndims; d++) {
            sb.append(d == 0 ? "" : ", ").append(Integer.toUnsignedLong(readInt(dimBytes, 4 * d)));
        }
        return sb.append(']').toString();
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit int";
            case 0x0C -> "32-bit int";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit double";
            default -> "unknown";
        };
    }
}
