package dev.frelon.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see either the old content or the whole new one, and so that no temporary file
 * outlives its writer. Used by model files ({@link Safetensors}) and by the training module's plots.
 *
 * <p>The content goes to a temporary file in the target's directory, {@code .<name>.<16 hex digits>.tmp}, locked
 * while it is written, forced to the storage device, then renamed onto the target ({@code ATOMIC_MOVE}, or
 * {@code REPLACE_EXISTING} where the file system cannot move atomically). On any failure, an {@link Error}
 * included, the temporary file is deleted and the target left as it was. A process killed mid-write cannot delete
 * its temporary file, so each write first removes the target's temporary files that no live writer holds locked:
 * a crashed save costs disk space only until the next save of the same file.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        /**
         * Writes the whole content of the file.
         *
         * @param channel the temporary file, positioned at 0; it is closed by {@link AtomicFile}, not here
         * @throws IOException if writing fails
         */
        void write(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically, as the class describes.
     *
     * @param target the file; its directory must exist
     * @param body writes the content
     * @throws IllegalArgumentException if the target has no parent directory
     * @throws IOException if writing, forcing or renaming fails (the target is then unchanged)
     */
    public static void write(Path target, ChannelWriter body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("save " + target + ": no parent directory");
        }
        String base = target.getFileName().toString();
        if (base.length() > 100) {
            base = base.substring(0, 100);
        }
        removeStaleTemporaries(dir, base);
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + base + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException ex) {
                if (attempt >= 100) {
                    throw ex;
                }
            }
        }
        try {
            try (FileChannel c = ch; FileLock held = c.lock()) {
                body.write(c);
                c.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(tmp);
            } catch (Throwable suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
        syncDirectory(dir);
    }

    /**
     * Deletes {@code .<base>.<hex>.tmp} files in {@code dir} that no writer holds: a writer locks its temporary
     * file for as long as it writes, so one that can be locked belongs to a writer that died. Best effort: a file
     * that cannot be opened or locked is left alone.
     */
    static void removeStaleTemporaries(Path dir, String base) {
        Pattern ours = Pattern.compile(Pattern.quote("." + base + ".") + "[0-9a-f]{1,16}\\.tmp");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> ours.matcher(p.getFileName().toString()).matches())) {
            for (Path p : files) {
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE); FileLock free = c.tryLock()) {
                    if (free != null) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException | OverlappingFileLockException | SecurityException inUse) {
                    // Held by a live writer (in this JVM or another) or not ours to touch: leave it.
                }
            }
        } catch (IOException | SecurityException unreadable) {
            // The directory cannot be listed: nothing to clean, and the write itself will report real problems.
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS); best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Not supported here (e.g. Windows); the data itself was already forced.
        }
    }
}
