package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse pass. Orders the graph's nodes topologically with an explicit stack (a chain of any length
 * cannot overflow the call stack), then walks them from the output back, summing the gradients that reach a
 * node from several consumers before running its rule once.
 */
final class Engine {
    private Engine() {
    }

    static void backward(Variable root, Tensor seed, boolean retainGraph) {
        seed = seed.to(root.data().dtype()); // a float32 seed for a float64 output, say
        if (root.node == null) {
            root.accumulateGrad(seed);
            return;
        }
        List<Node> order = topologicalOrder(root.node);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        pending.put(root.node, seed);
        try (var _ = Grad.noGrad()) {
            for (int n = order.size() - 1; n >= 0; n--) {
                Node node = order.get(n);
                Tensor g = pending.remove(node);
                if (g == null) {
                    continue;
                }
                if (node.retained != null) {
                    node.retained.accumulateGrad(g);
                }
                if (node.function == null) {
                    throw new IllegalStateException("backward: the graph through " + node.name + " was already freed"
                            + " by an earlier backward(); pass retainGraph = true to the first backward to call it twice");
                }
                node.ctx.clearFresh();
                Tensor[] grads = node.function.backward(node.ctx, g);
                if (grads == null || grads.length != node.inputs.length) {
                    throw new IllegalStateException(node.name + ".backward returned "
                            + (grads == null ? "null" : grads.length + " gradients") + " for " + node.inputs.length + " inputs");
                }
                for (int i = 0; i < grads.length; i++) {
                    if (!node.ctx.needsInputGrad(i)) {
                        continue;
                    }
                    Variable in = node.inputs[i];
                    if (grads[i] == null) {
                        throw new IllegalStateException(node.name + ".backward returned no gradient for input " + i
                                + ", which needs one");
                    }
                    Tensor gi = sumTo(node.name, grads[i], in.data().shape());
                    // A float32 input of a float64 operation gets its gradient back in float32, as in PyTorch.
                    gi = gi.to(in.data().dtype());
                    if (in.node == null) {
                        // A leaf may keep, uncopied, a gradient that only it holds: one the rule declared new
                        // (Context.fresh) and returned for this input alone, or what the engine made of it.
                        in.accumulateGrad(gi, node.ctx.isFresh(grads[i]) && once(grads, i));
                    } else {
                        pending.merge(in.node, gi, Tensor::add);
                    }
                }
                if (!retainGraph) {
                    node.release();
                }
            }
        }
    }

    /** Whether {@code grads[i]} is not also returned for another input. */
    private static boolean once(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] == grads[i]) {
                return false;
            }
        }
        return true;
    }

    /** Post-order of the nodes reachable from {@code root}: every node comes after all of its inputs' nodes. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<int[]> cursors = new ArrayDeque<>();
        seen.add(root);
        nodes.push(root);
        cursors.push(new int[1]);
        while (!nodes.isEmpty()) {
            Node top = nodes.peek();
            int[] cursor = cursors.peek();
            if (cursor[0] < top.inputs.length) {
                Node next = top.inputs[cursor[0]++].node;
                if (next != null && seen.add(next)) {
                    nodes.push(next);
                    cursors.push(new int[1]);
                }
            } else {
                nodes.pop();
                cursors.pop();
                order.add(top);
            }
        }
        return order;
    }

    /**
     * Sums a gradient over the dims broadcasting added or stretched, giving it the input's shape.
     *
     * @param op the op whose rule produced it (for the error message)
     */
    static Tensor sumTo(String op, Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new IllegalStateException(op + ".backward returned a gradient of shape " + Arrays.toString(gs)
                    + " for an input of shape " + Arrays.toString(shape));
        }
        int[] dims = new int[gs.length];
        int k = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead) {
                dims[k++] = d;
            } else if (shape[d - lead] == 1 && gs[d] != 1) {
                dims[k++] = d;
            } else if (shape[d - lead] != gs[d]) {
                throw new IllegalStateException(op + ".backward returned a gradient of shape " + Arrays.toString(gs)
                        + ", which does not broadcast to the input's shape " + Arrays.toString(shape));
            }
        }
        Tensor s = k == 0 ? g : g.sum(Arrays.copyOf(dims, k), true);
        return s.reshape(shape);
    }
}
