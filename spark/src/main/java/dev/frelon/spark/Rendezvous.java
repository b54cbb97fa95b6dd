package dev.frelon.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the barrier tasks of a stage learn each other's addresses: a small server on the driver. Each task
 * connects, says which stage attempt and worker it is and where it listens, and receives every worker's address
 * once all of them have registered.
 *
 * <p>Spark's own {@code BarrierTaskContext.allGather} could carry the addresses, but its callers poll for the
 * answer once a second, which made every stage a second longer (measured: 1.1 s of overhead per stage with it,
 * 0.1 s without). The executors reach the driver anyway; this adds one port on it, chosen freely or set with
 * {@value #PORT_KEY}.
 */
final class Rendezvous implements AutoCloseable {

    /** The Spark configuration key that fixes the port, for clusters where the driver's ports are firewalled. */
    static final String PORT_KEY = "spark.frelon.rendezvous.port";

    /** A registration: the stage's round (one per stage the driver runs) and Spark's attempt number. */
    private record Group(long round, int attempt) {
    }

    private final long token;
    private final ServerSocket server;
    /** Per stage attempt, the registered workers' connections and addresses, indexed by worker. */
    private final Map<Group, Socket[]> waiting = new HashMap<>();
    private final Map<Group, String[]> addresses = new HashMap<>();
    private final Thread acceptor;

    /**
     * Listens for the workers of one run.
     *
     * @param port the port, 0 for any free one
     * @param token the run's secret, which every registration must carry (anyone else who reaches the port is
     *        turned away, so that no stranger can join the ring)
     */
    Rendezvous(int port, long token) {
        this.token = token;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot listen for the workers on port " + port
                    + " of the driver (" + PORT_KEY + "): " + e, e);
        }
        acceptor = Thread.ofPlatform().daemon().name("frelon-rendezvous").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> register(s));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void register(Socket s) {
        Socket[] ready = null;
        String[] all = null;
        try {
            s.setSoTimeout(SocketRing.TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (in.readLong() != token) {
                closeQuietly(s);
                return;
            }
            Group g = new Group(in.readLong(), in.readInt());
            int worker = in.readInt(), workers = in.readInt();
            String address = in.readUTF();
            synchronized (this) {
                // A newer stage or attempt means the older ones failed: their waiting tasks are released.
                waiting.keySet().removeIf(old -> {
                    boolean stale = old.round() < g.round() || (old.round() == g.round() && old.attempt() < g.attempt());
                    if (stale) {
                        closeAll(waiting.get(old));
                        addresses.remove(old);
                    }
                    return stale;
                });
                Socket[] members = waiting.computeIfAbsent(g, k -> new Socket[workers]);
                if (worker < 0 || worker >= members.length || members.length != workers || members[worker] != null) {
                    closeQuietly(s);   // out of range, another worker count, or registered twice: not one of ours
                    return;
                }
                members[worker] = s;
                addresses.computeIfAbsent(g, k -> new String[workers])[worker] = address;
                if (java.util.Arrays.stream(members).allMatch(java.util.Objects::nonNull)) {
                    ready = waiting.remove(g);
                    all = addresses.remove(g);
                }
            }
        } catch (IOException e) {
            closeQuietly(s);   // a task that failed while registering: the others are released when Spark retries
            return;
        }
        if (ready != null) {
            for (Socket member : ready) {
                try {
                    DataOutputStream out = new DataOutputStream(member.getOutputStream());
                    for (String a : all) {
                        out.writeUTF(a);
                    }
                    out.flush();
                } catch (IOException e) {
                    // That member died: the others still get their answer, and find out from the ring.
                } finally {
                    closeQuietly(member);
                }
            }
        }
    }

    /**
     * A task's side: registers and waits for every worker's address.
     *
     * @return the addresses ({@code host:port}), indexed by worker
     */
    static String[] exchange(String driverHost, int driverPort, long token, long round, int attempt, int worker,
                             int workers, String myAddress, Runnable killCheck) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(driverHost, driverPort), SocketRing.TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeLong(token);
            out.writeLong(round);
            out.writeInt(attempt);
            out.writeInt(worker);
            out.writeInt(workers);
            out.writeUTF(myAddress);
            out.flush();
            // The reply comes when the last worker registers: wait for its first bytes while watching the kill flag.
            java.io.PushbackInputStream raw = new java.io.PushbackInputStream(s.getInputStream(), 1);
            byte[] first = new byte[1];
            PatientIo.readFully(s, raw, first, 1, killCheck);
            raw.unread(first);
            s.setSoTimeout(SocketRing.TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(raw);
            String[] all = new String[workers];
            for (int w = 0; w < workers; w++) {
                all[w] = in.readUTF();
            }
            return all;
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        synchronized (this) {
            waiting.values().forEach(Rendezvous::closeAll);
            waiting.clear();
            addresses.clear();
        }
    }

    private static void closeAll(Socket[] sockets) {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing after a failure or at the end: nothing left to report
            }
        }
    }
}
