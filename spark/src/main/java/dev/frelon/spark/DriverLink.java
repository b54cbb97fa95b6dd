package dev.frelon.spark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A barrier task's connection to the driver's {@link Steering}: it registers once, then takes the driver's orders
 * and sends back its results until the driver says the training is over. Every wait for the driver's answers
 * watches Spark's kill flag; connecting waits at most {@link SocketRing#TIMEOUT_MILLIS}.
 */
final class DriverLink implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final InputStream in;
    private final Runnable killCheck;
    private final long token;
    private final int stage, attempt, worker, workers;

    private DriverLink(Socket socket, long token, int stage, int attempt, int worker, int workers, Runnable killCheck)
            throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        this.in = new PushbackInputStream(socket.getInputStream(), 1);
        this.killCheck = killCheck;
        this.token = token;
        this.stage = stage;
        this.attempt = attempt;
        this.worker = worker;
        this.workers = workers;
    }

    /**
     * Connects to the driver.
     *
     * @param stage the driver's number for the stage this task belongs to
     * @param attempt Spark's attempt number of that stage
     * @throws UncheckedIOException when the driver cannot be reached
     */
    static DriverLink connect(String host, int port, long token, int stage, int attempt, int worker, int workers,
                              Runnable killCheck) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), SocketRing.TIMEOUT_MILLIS);
            return new DriverLink(s, token, stage, attempt, worker, workers, killCheck);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("SparkTrainer: worker " + worker + " cannot reach the driver at " + host
                    + ":" + port + " (" + Steering.PORT_KEY + "): " + e, e);
        }
    }

    /**
     * Registers this task, with the address its ring listens on, and waits until every task of its attempt has.
     *
     * @param myAddress where this task's ring listens (any text when there is no ring)
     * @return every task's address, indexed by worker
     */
    String[] register(String myAddress) throws IOException {
        out.writeLong(token);
        out.writeInt(stage);
        out.writeInt(attempt);
        out.writeInt(worker);
        out.writeInt(workers);
        out.writeUTF(myAddress);
        out.flush();
        // The answer comes when the last task registers: wait for its first byte while watching the kill flag.
        PushbackInputStream raw = (PushbackInputStream) in;
        byte[] first = new byte[1];
        PatientIo.readFully(socket, raw, first, 1, killCheck);
        raw.unread(first);
        socket.setSoTimeout(SocketRing.TIMEOUT_MILLIS);
        DataInputStream data = new DataInputStream(raw);
        String[] all = new String[workers];
        for (int w = 0; w < workers; w++) {
            all[w] = data.readUTF();
        }
        return all;
    }

    /**
     * Waits for the driver's next order, for as long as the driver takes between intervals (it may be validating).
     *
     * @return the order, or null when the training is over
     */
    SegmentOrder nextOrder() {
        try {
            byte[] payload = Frames.read(socket, in, killCheck, Long.MAX_VALUE);
            if (payload.length == 0) {
                return null;
            }
            try {
                return Frames.decode(payload, SegmentOrder.class);
            } catch (IOException e) {
                throw new IllegalStateException("SparkTrainer: worker " + worker + " cannot read the driver's order: "
                        + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: worker " + worker + " lost the driver while waiting for its"
                    + " next order (did the driver fail?): " + e, e);
        }
    }

    /** Sends this task's result for the interval it ran. */
    void report(SegmentResult result) {
        try {
            Frames.write(out, Frames.encode(result));
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: worker " + worker + " could not send its result to the"
                    + " driver: " + e, e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing at the end, or after a failure that is what gets reported
        }
    }
}
