package dev.frelon.train.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip file (RFC 1952) and, unlike {@link java.util.zip.GZIPInputStream}, accepts nothing after it
 * but further gzip members: bytes that follow a member and do not start another are an error, as trailing bytes
 * after a plain file are. Each member's CRC-32 and length are checked. Reading is lazy: a reader that stops early
 * inflates only what it read.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private final InputStream in;
    private final String what;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[1 << 16];
    private final byte[] one = new byte[1];
    private boolean ended;

    /**
     * @param in the compressed bytes, read from their start (not closed by this stream's close)
     * @param what the file, for messages
     * @throws IOException when the stream does not start with a gzip header
     */
    StrictGzipInputStream(InputStream in, String what) throws IOException {
        this.in = in;
        this.what = what;
        if (!readHeader()) {
            throw new ZipException(what + ": not in gzip format (no gzip header)");
        }
    }

    /** The compressed bytes read from {@code in} that neither the inflater nor a header or trailer consumed. */
    private int bufPos, bufEnd;

    private int rawByte() throws IOException {
        if (bufPos == bufEnd) {
            int r = in.read(buffer, 0, buffer.length);
            if (r <= 0) {
                return -1;
            }
            bufPos = 0;
            bufEnd = r;
        }
        return buffer[bufPos++] & 0xFF;
    }

    private int needByte(String part) throws IOException {
        int b = rawByte();
        if (b < 0) {
            throw new EOFException(what + ": the gzip " + part + " is truncated");
        }
        return b;
    }

    /** @return false at the end of the input (no further member), true after reading a member's header */
    private boolean readHeader() throws IOException {
        int b0 = rawByte();
        if (b0 < 0) {
            return false;
        }
        int b1 = rawByte();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new ZipException(what + ": " + (b1 < 0 ? 1 : 2) + " or more byte(s) follow the gzip data (trailing data)");
        }
        if (needByte("header") != 8) {
            throw new ZipException(what + ": unsupported gzip compression method (expected deflate)");
        }
        int flags = needByte("header");
        for (int i = 0; i < 6; i++) {
            needByte("header");          // modification time, extra flags, operating system
        }
        if ((flags & FEXTRA) != 0) {
            int len = needByte("header") | needByte("header") << 8;
            for (int i = 0; i < len; i++) {
                needByte("header");
            }
        }
        if ((flags & FNAME) != 0) {
            while (needByte("header") != 0) {
                // the original file name, ignored
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (needByte("header") != 0) {
                // a comment, ignored
            }
        }
        if ((flags & FHCRC) != 0) {
            needByte("header");
            needByte("header");
        }
        crc.reset();
        return true;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            if (inflater.needsInput()) {
                if (bufPos == bufEnd) {
                    int r = in.read(buffer, 0, buffer.length);
                    if (r < 0) {
                        throw new EOFException(what + ": the compressed stream ends before its data do (truncated)");
                    }
                    bufPos = 0;
                    bufEnd = r;
                }
                inflater.setInput(buffer, bufPos, bufEnd - bufPos);
            }
            int n;
            try {
                n = inflater.inflate(out, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(what + ": the compressed data are corrupt (" + e.getMessage() + ")");
            }
            bufPos = bufEnd - inflater.getRemaining();
            if (n > 0) {
                crc.update(out, off, n);
                return n;
            }
            if (inflater.finished()) {
                readTrailer();
                inflater.reset();
                if (!readHeader()) {
                    ended = true;
                }
            } else if (inflater.needsDictionary()) {
                throw new ZipException(what + ": the compressed data need a preset dictionary, which gzip does not use");
            }
        }
        return -1;
    }

    private void readTrailer() throws IOException {
        long expectedCrc = 0, size = 0;
        for (int i = 0; i < 4; i++) {
            expectedCrc |= (long) needByte("trailer") << (8 * i);
        }
        for (int i = 0; i < 4; i++) {
            size |= (long) needByte("trailer") << (8 * i);
        }
        if (expectedCrc != crc.getValue()) {
            throw new ZipException(what + ": CRC-32 mismatch (the data are corrupt)");
        }
        if (size != (inflater.getBytesWritten() & 0xFFFF_FFFFL)) {
            throw new ZipException(what + ": the gzip trailer's length does not match the data (corrupt)");
        }
    }

    @Override
    public void close() {
        inflater.end();
    }
}
