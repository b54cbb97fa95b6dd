package dev.frelon.train.plot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

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
     * Writes to a temporary file in the target's directory, then moves it over the target (atomically where
     * the file system allows), so readers never see a half-written file. Creates missing parent directories.
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
        // Not Files.createTempFile: it creates owner-only (0600) files, and the plot would keep those permissions.
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path tmp = dir.resolve("." + target.getFileName() + "." + suffix + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
