package dev.frelon.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A ring of N workers through memory, one queue per link, for running the ring all-reduce in threads. */
final class MemoryRing {

    private final List<BlockingQueue<float[]>> wires = new ArrayList<>();   // wire w: worker w's sends to w + 1

    MemoryRing(int workers) {
        for (int w = 0; w < workers; w++) {
            wires.add(new LinkedBlockingQueue<>());
        }
    }

    /** Worker w's links: it sends on wire w and receives on wire w − 1; a message of the wrong size fails. */
    RingLink link(int worker) {
        int n = wires.size();
        return new RingLink() {
            @Override
            public void send(float[] values, int from, int to) {
                wires.get(worker).add(Arrays.copyOfRange(values, from, to));
            }

            @Override
            public void receive(float[] into, int from, int to) {
                try {
                    float[] m = wires.get(Math.floorMod(worker - 1, n)).take();
                    if (m.length != to - from) {
                        throw new IllegalStateException("worker " + worker + " expected " + (to - from)
                                + " values, got " + m.length);
                    }
                    System.arraycopy(m, 0, into, from, m.length);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
