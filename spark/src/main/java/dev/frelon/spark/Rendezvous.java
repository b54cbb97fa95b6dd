package dev.frelon.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    private final ServerSocket server;
    private final Map<Group, List<Socket>> waiting = new HashMap<>();
    private final Map<Group, String[]> addresses = new HashMap<>();
    private final Thread acceptor;

    Rendezvous(int port) {
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
        try {
            s.setSoTimeout(SocketRing.TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            Group g = new Group(in.readLong(), in.readInt());
            int worker = in.readInt(), workers = in.readInt();
            String address = in.readUTF();
            List<Socket> ready = null;
            String[] all;
            synchronized (this) {
                all = addresses.computeIfAbsent(g, k -> new String[workers]);
                if (worker < 0 || worker >= all.length) {
                    s.close();
                    return;
                }
                all[worker] = address;
                List<Socket> group = waiting.computeIfAbsent(g, k -> new ArrayList<>());
                group.add(s);
                if (group.size() == all.length) {
                    ready = waiting.remove(g);
                    addresses.remove(g);
                }
            }
            if (ready != null) {
                for (Socket member : ready) {
                    DataOutputStream out = new DataOutputStream(member.getOutputStream());
                    for (String a : all) {
                        out.writeUTF(a);
                    }
                    out.flush();
                    member.close();
                }
            }
        } catch (IOException e) {
            // A task that failed while registering: the others time out or are killed with the stage.
        }
    }

    /**
     * A task's side: registers and waits for every worker's address.
     *
     * @return the addresses ({@code host:port}), indexed by worker
     */
    static String[] exchange(String driverHost, int driverPort, long round, int attempt, int worker, int workers,
                             String myAddress, Runnable killCheck) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(driverHost, driverPort), SocketRing.TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
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
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        synchronized (this) {
            for (List<Socket> group : waiting.values()) {
                for (Socket s : group) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // the task fails with its own timeout or kill
                    }
                }
            }
            waiting.clear();
            addresses.clear();
        }
    }
}
