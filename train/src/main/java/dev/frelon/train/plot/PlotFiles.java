package dev.frelon.train.plot;

import dev.frelon.nn.io.AtomicFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;

/** Atomic file writing shared by the plots. */
final class PlotFiles {
    private PlotFiles() {
    }

    /** Writes some bytes to an output stream. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes through {@link AtomicFile}, so that readers never see a half-written plot and no temporary file
     * outlives a crash; creates missing parent directories first.
     */
    static void writeAtomically(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException("cannot write " + file + ": it has no parent directory");
        }
        Files.createDirectories(dir);
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + file + ": it is a directory");
        }
        // AtomicFile creates its temporary file with the default permissions (Files.createTempFile would make it
        // owner-only, 0600), which the plot keeps after the rename.
        AtomicFile.write(target, ch -> {
            OutputStream out = Channels.newOutputStream(ch);   // closed with the channel, by AtomicFile
            writer.write(out);
            out.flush();
        });
    }
}
