package dev.frelon.spark;

import org.apache.spark.BarrierTaskContext;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The ring between the barrier tasks of one stage, over TCP: each task listens on a free port, learns the others'
 * addresses from the driver's {@link Steering}, connects to the next task and accepts the previous one. Then
 * vectors go task to task directly, as raw little-endian floats.
 *
 * <p>Why not Spark's messaging for every step: {@link BarrierTaskContext#allGather} carries strings through the
 * driver and its callers poll for the answer once a second, so a step would wait about a second. Spark is used
 * where it is good: scheduling the tasks as one gang and retrying the stage when one fails; a failed task closes
 * its sockets, so its neighbours fail too instead of waiting.
 *
 * <p>Sends run on a thread of their own, so that every task can send and receive at once without filling both
 * socket buffers and waiting forever.
 *
 * <p>{@link #open} hands out a {@link LocalRing} instead when every task of the stage runs in this JVM (local mode,
 * or one executor with several cores): the addresses carry each JVM's id, and memory beats loopback TCP.
 */
final class SocketRing implements Ring {

    /** How long a task waits for a neighbour to connect or to send, before it gives up and fails the stage. */
    static final int TIMEOUT_MILLIS = 300_000;

    /** Socket buffers large enough for a chunk of a few-million-parameter model in a handful of system calls. */
    private static final int SOCKET_BUFFER = 4 << 20;

    /** A message waiting for the sender thread: its bytes are the first {@code length} of a pooled buffer. */
    private record Message(byte[] bytes, int length) {
    }

    private static final Message STOP = new Message(new byte[0], 0);

    private final ServerSocket server;
    private final Socket toNext;
    private final Socket fromPrevious;
    private final DataOutputStream out;
    private final InputStream in;
    private final Runnable killCheck;
    private final BlockingQueue<Message> outbox = new ArrayBlockingQueue<>(64);
    /** Buffers the sender thread has finished with, reused so that large messages are not allocated per step. */
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(64);
    private byte[] received = new byte[0];
    private byte[] direct = new byte[0];
    /** Messages handed to the sender thread and not yet written. */
    private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();

    /** Messages up to this size are written by the caller (see {@link #sendDirectly}). */
    private final int directSendBytes;
    private final Thread sender;
    private volatile IOException sendFailure;

    private SocketRing(ServerSocket server, Socket toNext, Socket fromPrevious, Runnable killCheck, int workers)
            throws IOException {
        this.killCheck = killCheck;
        // A worker can run ahead of its successor by up to N - 1 messages of the ring (each round needs only the
        // predecessor's message), and those must fit in the kernel's buffers for a write on the task's thread never
        // to block: the send buffer here plus the receive buffer there, as granted (the kernel caps the 4 MB asked
        // for at net.core.wmem_max / rmem_max, 208 KB on a stock Linux), halved for safety. The peer's receive
        // buffer is taken to be this task's own, granted by the same kind of machine.
        long room = (long) toNext.getSendBufferSize() + fromPrevious.getReceiveBufferSize();
        this.directSendBytes = (int) Math.min(Integer.MAX_VALUE, room / (2L * Math.max(1, workers - 1)));
        this.server = server;
        this.toNext = toNext;
        this.fromPrevious = fromPrevious;
        this.out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        this.in = fromPrevious.getInputStream();
        this.sender = Thread.ofPlatform().daemon().name("frelon-ring-sender").start(this::sendLoop);
    }

    /**
     * Opens the ring for this task: every task of the stage attempt must call it once, at the same point.
     *
     * @param context the barrier task's context
     * @param workers the number of tasks in the stage
     * @param token the run's secret: the neighbours must know it
     * @param stage the driver's number for the stage, which with the attempt names the ring in this JVM
     * @param registrar tells the driver where this task listens and returns every task's address
     * @return the links to the neighbours
     * @throws UncheckedIOException when a neighbour cannot be reached
     */
    static Ring open(BarrierTaskContext context, int workers, long token, int stage, Registrar registrar) {
        int me = context.partitionId();
        int attempt = context.stageAttemptNumber();
        Runnable killCheck = context::killTaskIfInterrupted;
        String host = context.getTaskInfos()[me].address();
        String bindHost = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        // Each address carries its JVM's id: when every task of the stage runs in this JVM, they exchange through
        // memory (LocalRing) and the listening socket is closed unused.
        ServerSocket server = listen(me);
        String[] addresses;
        try {
            addresses = registrar.register(bindHost + ":" + server.getLocalPort() + "@" + LocalRing.JVM_ID);
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("ring: worker " + me + " could not register with the driver: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(server);
            throw e;
        }
        if (LocalRing.allHere(addresses)) {
            closeQuietly(server);
            return LocalRing.join(token + "/" + stage + "/" + attempt, me, workers, killCheck);
        }
        String[] hostPorts = Arrays.stream(addresses).map(a -> a.substring(0, a.lastIndexOf('@'))).toArray(String[]::new);
        return connect(me, workers, token, server, hostPorts, killCheck);
    }

    /** How a task tells the driver its ring address ({@code host:port@jvm}) and learns every task's. */
    @FunctionalInterface
    interface Registrar {
        String[] register(String myAddress) throws IOException;
    }

    /** How a worker learns every worker's address ({@code host:port}) once it listens on {@code myPort}. */
    @FunctionalInterface
    interface AddressBook {
        String[] exchange(int myPort) throws IOException;
    }

    /**
     * Opens the ring for worker {@code me}: listens on a free port, learns the addresses, connects to the next worker
     * and accepts the previous one, each proving the run's secret.
     */
    static SocketRing connect(int me, int workers, long token, AddressBook book, Runnable killCheck) {
        ServerSocket server = listen(me);
        String[] addresses;
        try {
            addresses = book.exchange(server.getLocalPort());
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("ring: worker " + me + " could not connect to its neighbours: " + e, e);
        }
        return connect(me, workers, token, server, addresses, killCheck);
    }

    /** Listens on a free port, with the receive buffer the accepted connection inherits. */
    private static ServerSocket listen(int me) {
        ServerSocket server = null;
        try {
            server = new ServerSocket();
            server.setReceiveBufferSize(SOCKET_BUFFER);   // before bind, so that the accepted socket inherits it
            server.bind(new InetSocketAddress(0));
            return server;
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("ring: worker " + me + " could not listen: " + e, e);
        }
    }

    /** Connects to the next worker and accepts the previous one on {@code server}, each proving the run's secret. */
    private static SocketRing connect(int me, int workers, long token, ServerSocket server, String[] addresses,
                                      Runnable killCheck) {
        Socket toNext = null, fromPrevious = null;
        try {
            String next = addresses[(me + 1) % workers];
            int colon = next.lastIndexOf(':');
            toNext = new Socket();
            toNext.setTcpNoDelay(true);
            toNext.setSendBufferSize(SOCKET_BUFFER);
            toNext.connect(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))),
                    TIMEOUT_MILLIS);
            DataOutputStream hello = new DataOutputStream(toNext.getOutputStream());
            hello.writeLong(token);
            hello.writeInt(me);
            hello.flush();
            // Whoever connects first must prove it belongs to this run and be our predecessor.
            fromPrevious = PatientIo.accept(server, killCheck);
            fromPrevious.setTcpNoDelay(true);
            byte[] theirs = new byte[12];
            PatientIo.readFully(fromPrevious, fromPrevious.getInputStream(), theirs, 12, killCheck);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(theirs);
            long theirToken = b.getLong();
            int previous = b.getInt();
            if (theirToken != token || previous != Math.floorMod(me - 1, workers)) {
                throw new IOException("ring: worker " + me + " expected worker " + Math.floorMod(me - 1, workers)
                        + " of this run to connect, got " + (theirToken != token ? "a stranger" : "worker " + previous));
            }
            return new SocketRing(server, toNext, fromPrevious, killCheck, workers);
        } catch (IOException e) {
            closeQuietly(fromPrevious);
            closeQuietly(toNext);
            closeQuietly(server);
            throw new UncheckedIOException("ring: worker " + me + " could not connect to its neighbours: " + e, e);
        } catch (RuntimeException e) {   // Spark's kill (TaskKilledException) and the like: rethrown as they are
            closeQuietly(fromPrevious);
            closeQuietly(toNext);
            closeQuietly(server);
            throw e;
        }
    }

    @Override
    public void send(float[] values, int from, int to) {
        checkSender();
        int length = 4 * (to - from);
        if (length <= directSendBytes && queued.get() == 0) {   // nothing queued or being written: order kept
            sendDirectly(values, from, to);
            return;
        }
        byte[] buffer = spare.poll();
        if (buffer == null || buffer.length < length) {
            buffer = new byte[length];
        }
        ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, to - from);
        try {
            queued.incrementAndGet();
            outbox.put(new Message(buffer, length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ring: interrupted while sending", e);
        }
    }

    /**
     * Writes a small message on the caller's thread, sparing the hand-off to the sender thread (a wake-up that a
     * busy core can delay by milliseconds). Safe from the every-worker-writing deadlock because every message the
     * worker can send before its successor reads fits in the buffers (see {@link #directSendBytes}).
     */
    private void sendDirectly(float[] values, int from, int to) {
        int length = 4 * (to - from);
        if (direct.length < length) {
            direct = new byte[length];
        }
        ByteBuffer.wrap(direct, 0, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, to - from);
        synchronized (out) {
            try {
                out.writeInt(to - from);
                out.write(direct, 0, length);
                out.flush();
            } catch (IOException e) {
                sendFailure = e;
                checkSender();
            }
        }
    }

    @Override
    public void receive(float[] into, int from, int to) {
        try {
            int n = PatientIo.readInt(fromPrevious, in, killCheck);
            if (n != to - from) {
                throw new IOException("ring: expected " + (to - from) + " values from the previous worker, got " + n);
            }
            if (received.length < 4 * n) {
                received = new byte[4 * n];
            }
            PatientIo.readFully(fromPrevious, in, received, 4 * n, killCheck);
            ByteBuffer.wrap(received, 0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, from, n);
        } catch (IOException e) {
            giveTheCauseAHeadStart();
            checkSenderNow();
            throw new UncheckedIOException("ring: receiving from the previous worker failed (did it fail?): " + e, e);
        }
    }

    private void sendLoop() {
        try {
            for (Message m = outbox.take(); m != STOP; m = outbox.take()) {
                synchronized (out) {
                    out.writeInt(m.length() / 4);
                    out.write(m.bytes(), 0, m.length());
                    if (outbox.isEmpty()) {
                        out.flush();
                    }
                }
                queued.decrementAndGet();
                spare.offer(m.bytes());
            }
            out.flush();
        } catch (IOException e) {
            sendFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A closed connection here is the consequence of a failure elsewhere; Spark reports the first failure of a
     * barrier stage it hears of, so waiting a moment lets the report name the cause. Spark kills this task meanwhile.
     */
    private static void giveTheCauseAHeadStart() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkSender() {
        if (sendFailure != null) {
            giveTheCauseAHeadStart();
        }
        checkSenderNow();
    }

    private void checkSenderNow() {
        if (sendFailure != null) {
            throw new UncheckedIOException("ring: sending to the next worker failed (did it fail?): " + sendFailure,
                    sendFailure);
        }
    }

    /** Closes everything at once, after a failure: the neighbours' reads and writes fail instead of waiting. */
    @Override
    public void abort() {
        sender.interrupt();
        closeQuietly(toNext);
        closeQuietly(fromPrevious);
        closeQuietly(server);
    }

    /** Waits for the last sends to leave, then closes both connections and the listening socket. */
    @Override
    public void close() {
        try {
            if (sender.isAlive() && outbox.offer(STOP, TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                sender.join(TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sender.interrupt();
            closeQuietly(toNext);
            closeQuietly(fromPrevious);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure: the failure is what gets reported
            }
        }
    }
}
