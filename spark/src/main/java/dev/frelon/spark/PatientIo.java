package dev.frelon.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Blocking socket calls that still notice when Spark kills the task. When one barrier task fails, Spark only flags
 * the others as killed (it does not interrupt them), and a thread blocked in a socket read would keep its task slot
 * until a timeout, leaving the retried stage without slots. So every wait here wakes every
 * {@value #POLL_MILLIS} ms to run the kill check ({@code TaskContext.killTaskIfInterrupted}).
 */
final class PatientIo {

    /** How often a wait looks at the kill flag. */
    static final int POLL_MILLIS = 100;

    private PatientIo() {
    }

    /** Reads exactly {@code n} bytes, failing after {@link SocketRing#TIMEOUT_MILLIS} without any byte arriving. */
    static void readFully(Socket socket, InputStream in, byte[] into, int n, Runnable killCheck) throws IOException {
        readFully(socket, in, into, n, killCheck, SocketRing.TIMEOUT_MILLIS);
    }

    /**
     * Reads exactly {@code n} bytes, failing after {@code patienceMillis} without any byte arriving;
     * {@link Long#MAX_VALUE} waits for as long as the connection stays open. A null {@code killCheck} has nothing
     * to watch (the driver's readers of the tasks' reports), so the read blocks without waking every
     * {@value #POLL_MILLIS} ms: those wakings took CPU time from the workers when the cores were all theirs.
     */
    static void readFully(Socket socket, InputStream in, byte[] into, int n, Runnable killCheck, long patienceMillis)
            throws IOException {
        boolean forever = patienceMillis >= Long.MAX_VALUE / 1_000_000L;
        socket.setSoTimeout(killCheck != null ? POLL_MILLIS
                // a socket timeout of 0 would wait forever: a patience under a millisecond waits one
                : forever ? 0 : (int) Math.clamp(patienceMillis, 1, Integer.MAX_VALUE));
        long patience = forever ? Long.MAX_VALUE / 2 : patienceMillis * 1_000_000L;
        long deadline = System.nanoTime() + patience;
        int done = 0;
        while (done < n) {
            try {
                int r = in.read(into, done, n - done);
                if (r < 0) {
                    throw new java.io.EOFException("the connection closed after " + done + " of " + n + " bytes");
                }
                done += r;
                deadline = System.nanoTime() + patience;   // progress: wait anew
            } catch (SocketTimeoutException e) {
                if (killCheck != null) {
                    killCheck.run();
                }
                // Without a kill check the socket's own timeout was the patience: it has run out.
                if (killCheck == null || System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("no data for " + patienceMillis / 1000 + " s");
                }
            }
        }
    }

    /** Reads a big-endian int. */
    static int readInt(Socket socket, InputStream in, Runnable killCheck) throws IOException {
        return readInt(socket, in, killCheck, SocketRing.TIMEOUT_MILLIS);
    }

    /** Reads a big-endian int, waiting at most {@code patienceMillis} for its first byte (see {@link #readFully}). */
    static int readInt(Socket socket, InputStream in, Runnable killCheck, long patienceMillis) throws IOException {
        byte[] b = new byte[4];
        readFully(socket, in, b, 4, killCheck, patienceMillis);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Accepts one connection, waiting at most {@link SocketRing#TIMEOUT_MILLIS}. */
    static Socket accept(ServerSocket server, Runnable killCheck) throws IOException {
        server.setSoTimeout(POLL_MILLIS);
        long deadline = System.nanoTime() + SocketRing.TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try {
                return server.accept();
            } catch (SocketTimeoutException e) {
                killCheck.run();
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("no connection for " + SocketRing.TIMEOUT_MILLIS / 1000 + " s");
                }
            }
        }
    }
}
