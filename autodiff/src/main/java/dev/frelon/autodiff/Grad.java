package dev.frelon.autodiff;

/**
 * Whether operations record the graph on the current thread. {@link #noGrad()} opens a scope, for
 * try-with-resources, inside which nothing is recorded (inference, optimizer updates). Scopes nest and are
 * confined to the thread that opened them.
 *
 * <pre>{@code
 * try (var _ = Grad.noGrad()) {
 *     Variable prediction = model.forward(x);   // no graph, no saved tensors
 * }
 * }</pre>
 */
public final class Grad {

    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Grad() {
    }

    /**
     * Whether grad mode is on for the calling thread, i.e. no {@link #noGrad()} scope opened on it is still open.
     *
     * @return true when operations on this thread record the graph
     */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /**
     * Opens a scope in which no graph is recorded on this thread.
     *
     * @return the scope; close it (try-with-resources) to restore the previous mode
     */
    public static NoGradScope noGrad() {
        DISABLED_DEPTH.get()[0]++;
        return new NoGradScope(Thread.currentThread());
    }

    /** A no-grad scope; closing it restores recording once every enclosing scope is closed too. */
    public static final class NoGradScope implements AutoCloseable {
        private final Thread owner;
        private boolean closed;

        private NoGradScope(Thread owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("noGrad: a scope must be closed by the thread that opened it ("
                        + owner.getName() + ")");
            }
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.get()[0]--;
            }
        }
    }
}
