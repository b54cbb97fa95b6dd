package dev.frelon.spark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The driver's side of a training run held in one long barrier stage: a small server that every task connects to
 * once per stage attempt. Through that connection the tasks learn each other's addresses (to open the ring), then
 * receive one {@link SegmentOrder} per checkpoint interval and send back their {@link SegmentResult}s, until the
 * driver says the training is over.
 *
 * <p>Why not one Spark stage per checkpoint interval, as Frelon first did: each stage cost 90–145 ms of Spark's
 * scheduling, a shuffle and a second stage to bring the state back, and Spark's scheduler code, run once per stage,
 * kept the JIT compiling on the workers' cores for the whole run (about 250 compilations a second in steady epochs
 * of a 2-worker MLP on 2 cores). An order here costs the checkpoint's serialization and a round trip on a socket.
 * Spark still does what it is good at: it schedules the tasks as one gang and retries the stage when one fails.
 *
 * <p><b>Failures.</b> A retried stage's tasks register as a new attempt; the driver drops the results of the
 * interval in progress and sends the same order (the same checkpoint) to the new tasks, so the run continues as if
 * nothing had failed. When Spark gives up on the stage, {@link #run} throws {@link StageFailed}.
 *
 * <p>Threads: an acceptor thread, a virtual thread per registration and one per registered task reading its
 * reports; all of them only post events, which the driver's training thread handles in {@link #run} and
 * {@link #finish}. The port is free, or fixed with {@value #PORT_KEY}.
 */
final class Steering implements AutoCloseable {

    /** The Spark configuration key that fixes the port, for clusters where the driver's ports are firewalled. */
    static final String PORT_KEY = "spark.frelon.rendezvous.port";

    private static final byte[] NO_MORE_ORDERS = new byte[0];

    /** The stage the training runs in has failed and Spark will not retry it again. */
    static final class StageFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StageFailed(Throwable cause) {
            super("the training stage failed: " + cause, cause);
        }
    }

    /** One stage attempt: the driver's stage number (one per stage it submits) and Spark's attempt number. */
    private record Group(int stage, int attempt) {
        boolean olderThan(Group g) {
            return stage < g.stage || (stage == g.stage && attempt < g.attempt);
        }
    }

    /** A registered task's connection. */
    private record Member(Socket socket, DataOutputStream out) {
    }

    private sealed interface Event permits Ready, Report, Unreadable, StageEnd {
    }

    /** Every task of an attempt has registered and learnt the others' addresses. */
    private record Ready(Group group, Member[] members) implements Event {
    }

    /** A task's result for the interval it was ordered to run. */
    private record Report(Group group, int worker, SegmentResult result) implements Event {
    }

    /** A task sent something that is not a result of its own: a bug or mismatched jars, not a failure to retry. */
    private record Unreadable(Group group, int worker, IOException problem) implements Event {
    }

    /** A stage's Spark job has ended, with its failure or null. */
    private record StageEnd(int stage, Throwable failure) implements Event {
    }

    private final long token;
    private final int workers;
    private final ServerSocket server;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /**
     * Every registered task's connection, by attempt, until its attempt is over, guarded by {@code this}. Sockets
     * are closed here when a newer attempt registers, when the stage ends and when the steering closes, from
     * whichever thread sees that: a write of the training thread to a task whose machine vanished then fails at
     * once instead of waiting for TCP to give up.
     */
    private final Map<Group, Member[]> live = new HashMap<>();
    private final Map<Group, String[]> addresses = new HashMap<>();
    /** The newest attempt that has registered a task, guarded by {@code this}: older ones are turned away. */
    private Group newest = new Group(-1, 0);
    private boolean closed;

    // The training thread's state.
    private int stage = -1;
    private Ready current;
    private long attempts;

    /**
     * Listens for the tasks of one run.
     *
     * @param port the port, 0 for any free one
     * @param token the run's secret, which every registration must carry (anyone else who reaches the port is
     *        turned away, so that no stranger can join the ring or read the model)
     * @param workers the number of tasks of each attempt
     */
    Steering(int port, long token, int workers) {
        this.token = token;
        this.workers = workers;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot listen for the workers on port " + port
                    + " of the driver (" + PORT_KEY + "): " + e, e);
        }
        Thread.ofPlatform().daemon().name("frelon-steering").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Stage attempts whose tasks all registered, retries included. */
    long attempts() {
        return attempts;
    }

    /**
     * Says that the driver has submitted stage {@code number}: from now on only its tasks are listened to.
     *
     * @param number the stage's number, higher than any before
     */
    void expectStage(int number) {
        stage = number;
        if (current != null) {
            closeAll(current.members());
            current = null;
        }
    }

    /**
     * Reports the end of a stage's Spark job; called by the thread that waits for it.
     *
     * @param number the stage's number
     * @param failure why it failed, or null when it ended normally
     */
    void stageEnded(int number, Throwable failure) {
        synchronized (this) {
            closeGroups(g -> g.stage() <= number);
        }
        events.add(new StageEnd(number, failure));
    }

    /**
     * Has every task of the current stage run one checkpoint interval, and waits for their results. When the stage
     * is retried meanwhile, the new attempt's tasks get the same orders, and only their results count. Worker 0's
     * order carries the checkpoint's values and the others' only its names and shapes: worker 0 passes the values
     * on along the ring.
     *
     * @param first worker 0's order
     * @param others the other workers' order
     * @return the results, indexed by worker
     * @throws StageFailed when the stage failed and Spark gave up on it
     */
    List<SegmentResult> run(SegmentOrder first, SegmentOrder others) throws StageFailed {
        byte[] payload0 = Frames.encode(first), payload = first == others ? payload0 : Frames.encode(others);
        SegmentResult[] results = new SegmentResult[workers];
        int got = 0;
        if (current != null) {
            send(current, payload0, payload);
        }
        while (true) {
            switch (take()) {
                case Ready r when adopt(r) -> {
                    Arrays.fill(results, null);
                    got = 0;
                    send(r, payload0, payload);
                }
                case Report p when current != null && p.group().equals(current.group()) && results[p.worker()] == null -> {
                    results[p.worker()] = p.result();
                    if (++got == workers) {
                        return List.of(results);
                    }
                }
                case Unreadable u when current != null && u.group().equals(current.group()) ->
                        throw new IllegalStateException("SparkTrainer: the driver cannot read worker " + u.worker()
                                + "'s result: " + u.problem().getMessage(), u.problem());
                case StageEnd s when s.stage() == stage -> {
                    if (s.failure() != null) {
                        throw new StageFailed(s.failure());
                    }
                    throw new IllegalStateException("SparkTrainer: the training stage ended before the driver said"
                            + " it was over");
                }
                default -> {
                    // an older attempt's registration or report, or a duplicate: not part of this run any more
                }
            }
        }
    }

    /**
     * Tells the tasks that the training is over and waits for the stage to end. A retry that starts meanwhile is
     * told the same.
     *
     * @throws StageFailed when the stage failed after all and Spark gave up on it
     */
    void finish() throws StageFailed {
        if (current != null) {
            send(current, NO_MORE_ORDERS, NO_MORE_ORDERS);
        }
        while (true) {
            switch (take()) {
                case Ready r when adopt(r) -> send(r, NO_MORE_ORDERS, NO_MORE_ORDERS);
                case StageEnd s when s.stage() == stage -> {
                    if (s.failure() != null) {
                        throw new StageFailed(s.failure());
                    }
                    return;
                }
                default -> {
                    // reports cannot come after the last order; an older attempt's events do not matter
                }
            }
        }
    }

    /** Makes a newly registered attempt of the current stage the one the orders go to, if it is newer. */
    private boolean adopt(Ready r) {
        boolean superseded;
        synchronized (this) {
            superseded = r.group().olderThan(newest);
        }
        if (superseded || r.group().stage() != stage || (current != null && !current.group().olderThan(r.group()))) {
            closeAll(r.members());
            return false;
        }
        if (current != null) {
            closeAll(current.members());
        }
        current = r;
        attempts++;
        return true;
    }

    private Event take() {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("SparkTrainer: interrupted while the workers trained", e);
        }
    }

    /**
     * Sends a frame to every task of an attempt. A task that cannot be reached has failed: Spark's retry (a new
     * {@code Ready}) or the stage's end tells the driver what happens next, so nothing is reported here.
     */
    private static void send(Ready r, byte[] toWorker0, byte[] toOthers) {
        for (int w = 0; w < r.members().length; w++) {
            Member m = r.members()[w];
            try {
                Frames.write(m.out(), w == 0 ? toWorker0 : toOthers);
            } catch (IOException e) {
                closeQuietly(m.socket());
            }
        }
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

    /**
     * A task's registration: the run's secret, its stage, attempt and worker, and its ring address. When the last
     * task of an attempt registers, every task gets all the addresses and the attempt is posted as ready.
     */
    private void register(Socket s) {
        Member[] ready;
        String[] all;
        Group g;
        try {
            s.setSoTimeout(SocketRing.TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (in.readLong() != token) {
                closeQuietly(s);
                return;
            }
            g = new Group(in.readInt(), in.readInt());
            int worker = in.readInt(), count = in.readInt();
            String address = in.readUTF();
            synchronized (this) {
                if (closed || g.olderThan(newest) || worker < 0 || worker >= workers || count != workers) {
                    closeQuietly(s);   // too late, a failed attempt's straggler, or not one of ours
                    return;
                }
                if (newest.olderThan(g)) {
                    // A newer stage or attempt means the older ones failed: their tasks are released.
                    Group newer = g;
                    closeGroups(old -> old.olderThan(newer));
                    newest = g;
                }
                Member[] members = live.computeIfAbsent(g, k -> new Member[workers]);
                if (members[worker] != null) {
                    closeQuietly(s);   // registered twice: not one of ours
                    return;
                }
                members[worker] = new Member(s, new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16)));
                addresses.computeIfAbsent(g, k -> new String[workers])[worker] = address;
                if (!Arrays.stream(members).allMatch(Objects::nonNull)) {
                    return;
                }
                ready = members.clone();
                all = addresses.remove(g);
            }
        } catch (IOException e) {
            closeQuietly(s);   // a task that failed while registering: the others are released when Spark retries
            return;
        }
        for (Member m : ready) {
            try {
                for (String a : all) {
                    m.out().writeUTF(a);
                }
                m.out().flush();
            } catch (IOException e) {
                closeQuietly(m.socket());   // that task died: the others find out from the ring
            }
        }
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread.ofVirtual().start(() -> readReports(g, worker, ready[worker].socket()));
        }
        events.add(new Ready(g, ready));
    }

    /** Closes and forgets every attempt the test selects; the caller holds the lock. */
    private void closeGroups(java.util.function.Predicate<Group> which) {
        live.entrySet().removeIf(e -> {
            if (which.test(e.getKey())) {
                closeAll(e.getValue());
                addresses.remove(e.getKey());
                return true;
            }
            return false;
        });
    }

    /**
     * Posts every result a task sends, until its connection closes. A closed connection is the task's failure or
     * its end, which Spark's retry or the stage's end reports; a frame that is not this task's result is posted as
     * such, since retrying would not help.
     */
    private void readReports(Group g, int worker, Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                byte[] payload = Frames.read(s, in, null, Long.MAX_VALUE);
                SegmentResult r;
                try {
                    r = Frames.decode(payload, SegmentResult.class);
                    if (r.worker() != worker) {
                        throw new IOException("worker " + worker + " reported as worker " + r.worker());
                    }
                } catch (IOException e) {
                    events.add(new Unreadable(g, worker, e));
                    break;
                }
                events.add(new Report(g, worker, r));
            }
        } catch (IOException e) {
            // closed at the end, or the task failed: Spark's retry or the stage's end says which
        }
        closeQuietly(s);
    }

    /** Stops listening and closes every task's connection; registrations that arrive later are turned away. */
    @Override
    public void close() {
        closeQuietly(server);
        synchronized (this) {
            closed = true;
            closeGroups(g -> true);
        }
        if (current != null) {
            closeAll(current.members());
        }
    }

    private static void closeAll(Member[] members) {
        for (Member m : members) {
            if (m != null) {
                closeQuietly(m.socket());
            }
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
