package dev.frelon.spark;

/**
 * A worker's two neighbours on the ring: it sends to the next worker and receives from the previous one. Messages
 * arrive in the order they were sent.
 */
interface RingLink {

    /**
     * Sends {@code values[from, to)} to the next worker without waiting for it to be received (the values are
     * copied before this returns).
     *
     * @param values the source
     * @param from first index
     * @param to last index, exclusive
     */
    void send(float[] values, int from, int to);

    /**
     * Receives the previous worker's next message, which must hold {@code to - from} values.
     *
     * @param into where the values go, at {@code [from, to)}
     * @param from first index
     * @param to last index, exclusive
     */
    void receive(float[] into, int from, int to);
}
