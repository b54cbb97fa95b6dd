package dev.frelon.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.Socket;

/**
 * Objects between the driver and the tasks, as frames on a socket: a big-endian length, then the object's Java
 * serialization. A frame of length 0 carries no object (the driver's "training is over").
 *
 * <p>Frames come only from connections that proved the run's secret, and still are not trusted: the stream is
 * filtered to the few classes orders and results are made of, strings and arrays of primitives, so a frame cannot
 * make the reader build any other class.
 */
final class Frames {

    /**
     * The classes an order or a result is made of, strings, and arrays of primitives (an array's element type is
     * what the filter sees, and a primitive one is let through).
     */
    private static final ObjectInputFilter FILTER =
            ObjectInputFilter.Config.createFilter("dev.frelon.spark.SegmentOrder;dev.frelon.spark.SegmentResult;"
                    + "dev.frelon.spark.TrainingState;dev.frelon.spark.TrainingState$NamedArrays;"
                    + "dev.frelon.train.fit.BatchTotals;java.lang.String;maxdepth=10;maxrefs=1000000;!*");

    private Frames() {
    }

    /** Serializes an object into a frame's payload, once, so that the same bytes can go to every task. */
    static byte[] encode(Serializable o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot serialize " + o.getClass().getSimpleName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Writes a frame: the payload's length, then the payload (empty for "no object"). */
    static void write(DataOutputStream out, byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /**
     * Reads one frame's payload, watching Spark's kill flag while it waits.
     *
     * @param killCheck Spark's kill check, or null where there is none to run (then the read blocks, see
     *        {@link PatientIo#readFully(Socket, InputStream, byte[], int, Runnable, long)})
     * @param patienceMillis how long to wait for the frame to start ({@link Long#MAX_VALUE}: as long as the
     *        connection stays open); once it has started, its bytes must keep coming
     * @return the payload, empty for a frame that carries no object
     */
    static byte[] read(Socket socket, InputStream in, Runnable killCheck, long patienceMillis) throws IOException {
        int n = PatientIo.readInt(socket, in, killCheck, patienceMillis);
        if (n < 0) {
            throw new IOException("a frame of " + n + " bytes: the connection is not carrying frames");
        }
        byte[] payload = new byte[n];
        PatientIo.readFully(socket, in, payload, n, killCheck);
        return payload;
    }

    /**
     * Deserializes a payload into an object of the expected class.
     *
     * @throws IOException when the payload is not a serialized {@code type}, or names a class outside the filter
     */
    static <T> T decode(byte[] payload, Class<T> type) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {   // Frelon's own loader: on an executor, the application's jar, whatever the thread's loader
                    return Class.forName(desc.getName(), false, Frames.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            in.setObjectInputFilter(FILTER);
            Object o = in.readObject();
            if (!type.isInstance(o)) {
                throw new IOException("expected a " + type.getSimpleName() + ", got a "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            return type.cast(o);
        } catch (InvalidClassException e) {
            throw new IOException("a frame names a class it may not carry, or one that differs between the driver's"
                    + " and the executors' jars (the same Frelon version must run on both): " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IOException("a frame names an unknown class: " + e.getMessage(), e);
        }
    }
}
