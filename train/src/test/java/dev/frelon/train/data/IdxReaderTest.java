package dev.frelon.train.data;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX header (magic 00 00 type ndims, then big-endian dims) followed by the data bytes. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(type);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(b);
        }
        return bos.toByteArray();
    }

    /** n images of 2x3 pixels; pixel k of image i has value 40*i + k*51 (mod 256). */
    static byte[] imagePixels(int n) {
        byte[] d = new byte[n * 6];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                d[i * 6 + k] = (byte) (40 * i + 51 * k);
            }
        }
        return d;
    }

    static byte[] images(int n) {
        return idx(0x08, new int[] {n, 2, 3}, imagePixels(n));
    }

    static byte[] labels(int... values) {
        byte[] d = new byte[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) values[i];
        }
        return idx(0x08, new int[] {values.length}, d);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private IOException fails(Path file, int dims) {
        return assertThrows(IOException.class, () -> IdxReader.read(file, dims));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void readsPlainImagesScaledToUnitRange() throws IOException {
        Path f = write("img", images(2));
        Tensor x = IdxReader.readImages(f, false);
        assertArrayEquals(new int[] {2, 2, 3}, x.shape());
        // image 1, pixel 5: (40 + 255) mod 256 = 39
        assertEquals(39 / 255f, x.get(1, 1, 2), 0f);
        assertEquals(0f, x.get(0, 0, 0), 0f);
        assertEquals(255 / 255f, x.get(0, 1, 2), 0f); // 51*5 = 255
        Tensor c = IdxReader.readImages(f, true);
        assertArrayEquals(new int[] {2, 1, 2, 3}, c.shape());
        assertArrayEquals(x.toArray(), c.toArray(), 0f);
    }

    @Test
    void readsGzippedFilesByTheirMagicBytesWhateverTheName() throws IOException {
        Path plain = write("plain-img", images(3));
        Path gz = write("no-gz-suffix", gzip(images(3)));
        assertEquals(IdxReader.readImages(plain, true), IdxReader.readImages(gz, true));
        Path lab = write("labels.gz", gzip(labels(7, 0, 255)));
        assertArrayEquals(new float[] {7, 0, 255}, IdxReader.readLabels(lab).toArray(), 0f);
    }

    @Test
    void rawReadKeepsDimsAndBytes() throws IOException {
        IdxReader.Raw raw = IdxReader.read(write("l", labels(1, 2, 3)), 1);
        assertArrayEquals(new int[] {3}, raw.dims());
        assertArrayEquals(new byte[] {1, 2, 3}, raw.data());
    }

    @Test
    void badMagicIsRejected() throws IOException {
        byte[] b = images(1);
        b[0] = 0x12;
        Path f = write("bad-magic", b);
        IOException e = fails(f, 3);
        assertMentions(e, f.toString(), "not an IDX file", "0x00000803", "0x12000803");
        // a labels file where images are expected: right type, wrong dim count
        Path lab = write("labels-as-images", labels(1, 2));
        assertMentions(assertThrows(IOException.class, () -> IdxReader.readImages(lab, false)),
                "expected an IDX file with 3 dim(s)", "found 1 dim(s)", "0x00000801");
    }

    @Test
    void unsupportedElementTypeIsRejected() throws IOException {
        Path f = write("floats", idx(0x0D, new int[] {1}, new byte[4]));
        assertMentions(fails(f, 1), "element type 0x0D", "32-bit float", "expected 0x08");
    }

    @Test
    void zeroAndHugeDimsAreRejectedBeforeAllocating() throws IOException {
        Path zero = write("zero", idx(0x08, new int[] {0, 28, 28}, new byte[0]));
        assertMentions(fails(zero, 3), "dim 0 of [0, 28, 28] is 0", "positive");
        Path huge = write("huge", idx(0x08, new int[] {60000, 60000, 28}, new byte[10]));
        assertMentions(fails(huge, 3), "[60000, 60000, 28]", "too many");
        Path negative = write("negative", idx(0x08, new int[] {-1, 28, 28}, new byte[10]));
        assertMentions(fails(negative, 3), "4294967295", "too many");
        Path hugeGz = write("huge.gz", gzip(idx(0x08, new int[] {1 << 20, 1 << 20, 1}, new byte[10])));
        assertMentions(fails(hugeGz, 3), "(gzipped)", "too many");
    }

    @Test
    void truncatedDataIsRejectedWithExpectedAndFoundSizes() throws IOException {
        byte[] full = images(3); // 16-byte header + 18 data bytes
        Path f = write("truncated", Arrays.copyOf(full, full.length - 5));
        assertMentions(fails(f, 3), f.toString(), "[3, 2, 3] = 18 data bytes", "13 data bytes", "truncated");
        Path gz = write("truncated.gz", gzip(Arrays.copyOf(full, full.length - 5)));
        assertMentions(fails(gz, 3), gz.toString(), "(gzipped)", "truncated", "18 data bytes", "found only 13");
    }

    @Test
    void trailingDataIsRejected() throws IOException {
        byte[] full = images(2);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        Path f = write("trailing", longer);
        assertMentions(fails(f, 3), "12 data bytes", "15 data bytes", "trailing data");
        Path gz = write("trailing.gz", gzip(longer));
        assertMentions(fails(gz, 3), "(gzipped)", "more bytes follow them", "trailing data");
        // Bytes after the gzip stream itself are refused too (java.util.zip's reader ignores them).
        byte[] compressed = gzip(full);
        Path garbage = write("garbage-after.gz", concat(compressed, new byte[] {1, 2, 3}));
        assertMentions(fails(garbage, 3), "garbage-after.gz", "follow the gzip data", "trailing data");
        // A second gzip member is the rest of the stream, as RFC 1952 allows: here it holds the trailing bytes.
        Path twoMembers = write("two-members.gz", concat(gzip(full), gzip(new byte[] {9})));
        assertMentions(fails(twoMembers, 3), "(gzipped)", "more bytes follow them");
        Path split = write("split.gz", concat(gzip(Arrays.copyOf(full, 7)), gzip(Arrays.copyOfRange(full, 7, full.length))));
        assertEquals(IdxReader.readImages(write("whole", full), false), IdxReader.readImages(split, false));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theAnnouncedSizeIsCheckedAgainstACapBeforeAnythingIsInflated() throws IOException {
        // A 1 GB gzip of zeros compresses to about 1 MB; its header alone is enough to refuse it under a cap.
        byte[] header = idx(0x08, new int[] {1 << 15, 1 << 15, 1}, new byte[0]);
        Path bomb = write("bomb.gz", gzip(header));
        assertMentions(assertThrows(IOException.class, () -> IdxReader.read(bomb, 3, 1_000_000)),
                "bomb.gz", "[32768, 32768, 1] = 1073741824 elements", "more than the cap of 1000000");
        assertTrue(IdxReader.defaultMaxElements() <= Runtime.getRuntime().maxMemory() / 8);
        assertEquals(2 * 2 * 3, IdxReader.read(write("small", images(2)), 3, 12).data().length);
        assertMentions(assertThrows(IOException.class, () -> IdxReader.read(write("small2", images(2)), 3, 11)),
                "more than the cap of 11");
        byte[] corrupt = gzip(images(3));
        corrupt[corrupt.length - 6] ^= 1;                        // a CRC-32 byte of the trailer
        assertMentions(fails(write("crc.gz", corrupt), 3), "crc.gz", "CRC-32 mismatch");
    }

    @Test
    void truncatedHeadersAndCorruptGzipAreRejected() throws IOException {
        Path tiny = write("tiny", new byte[] {0, 0});
        assertMentions(fails(tiny, 1), "too short", "found 2 byte(s)");
        Path empty = write("empty", new byte[0]);
        assertMentions(fails(empty, 1), "found 0 byte(s)");
        Path shortHeader = write("short-header", Arrays.copyOf(images(1), 9));
        assertMentions(fails(shortHeader, 3), "truncated header", "3 dims (12 bytes)", "found 5 byte(s)");
        byte[] gz = gzip(images(50));
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertMentions(fails(cut, 3), cut.toString(), "gzipped", "truncated or corrupt");
    }

    @Test
    void loadsAStandardDirectoryWithMixedCompression() throws IOException {
        write("train-images-idx3-ubyte.gz", gzip(images(4)));
        write("train-labels-idx1-ubyte", labels(3, 1, 4, 1));
        write("t10k-images.idx3-ubyte", images(2));
        write("t10k-labels-idx1-ubyte.gz", gzip(labels(5, 9)));
        IdxReader.Mnist m = IdxReader.loadMnist(dir, true);
        assertArrayEquals(new int[] {4, 1, 2, 3}, m.trainImages().shape());
        assertArrayEquals(new float[] {3, 1, 4, 1}, m.trainLabels().toArray(), 0f);
        assertArrayEquals(new int[] {2, 1, 2, 3}, m.testImages().shape());
        assertEquals(4, m.train().size());
        assertEquals(9f, m.test().get(1).y().item(), 0f);
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsRejected() throws IOException {
        write("train-images-idx3-ubyte", images(4));
        Path labs = write("train-labels-idx1-ubyte", labels(1, 2, 3));
        write("t10k-images-idx3-ubyte", images(1));
        write("t10k-labels-idx1-ubyte", labels(1));
        IOException e = assertThrows(IOException.class, () -> IdxReader.loadMnist(dir, false));
        assertMentions(e, "4 images", "3 labels", labs.toString(), "train-images-idx3-ubyte");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        write("train-images-idx3-ubyte", images(1));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.loadMnist(dir, false));
        assertMentions(e, "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz", dir.toString());
    }
}
