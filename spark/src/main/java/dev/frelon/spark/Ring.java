package dev.frelon.spark;

/**
 * A task's open ring, whatever carries it: TCP between JVMs ({@link SocketRing}) or memory between the tasks of one
 * JVM ({@link LocalRing}).
 */
interface Ring extends RingLink, AutoCloseable {

    /** Closes at once after a failure, so that the neighbours' waits fail instead of running into the timeout. */
    void abort();

    /** Waits for the last sends to leave, then releases the ring. */
    @Override
    void close();
}
