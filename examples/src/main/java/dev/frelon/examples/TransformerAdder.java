package dev.frelon.examples;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Embedding;
import dev.frelon.nn.LayerNorm;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Module;
import dev.frelon.nn.MultiheadAttention;
import dev.frelon.nn.PositionalEncoding;
import dev.frelon.nn.TransformerEncoder;
import dev.frelon.nn.TransformerEncoderLayer;
import dev.frelon.optim.AdamW;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.ImageGrid;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A small Transformer that learns three-digit addition as a sequence task: it reads {@code "123+456="} one digit at
 * a time and writes the sum's four digits, least significant first ({@code "9750"} for 0579), the order a person
 * adds in, so each digit needs only the digits and the carry before it. Unlike {@link LearnToAdd}'s network, which
 * approximates a + b as a number and is always a little wrong, this one gets whole sums exactly right.
 *
 * <pre>
 *   bin/frelon run TransformerAdder [--steps 1500] [--batch 128] [--out runs/transformer-adder]
 * </pre>
 *
 * <p>The model is decoder-only: token embeddings plus learned positions, two pre-norm Transformer layers with causal
 * self-attention (d = 64, 4 heads), a final norm and a linear read-out, trained with AdamW on the cross-entropy of
 * the four answer digits. A tenth of all pairs, chosen by a hash, never appear in training; 2,000 of them make the
 * held-out test, answered greedily one digit at a time. {@code attention.png} shows, for one sum, how much each
 * position reads every earlier one in each layer. On a Zen 5 core, 4,000 steps (150 s) answer 100% of them
 * exactly; the loss is below 1e-3 after 1,000 steps.
 */
public final class TransformerAdder {
    static final int PLUS = 10, EQUALS = 11, VOCAB = 12, PROMPT = 8, ANSWER = 4, LENGTH = PROMPT + ANSWER;

    private TransformerAdder() {
    }

    /** The decoder-only model: embeddings, causal Transformer layers, a read-out over the vocabulary. */
    static final class Adder extends Module {
        private final Embedding tokens;
        private final PositionalEncoding positions;
        private final TransformerEncoder layers;
        private final Linear head;

        Adder(Rng rng) {
            int d = 64;
            tokens = register("tokens", new Embedding(VOCAB, d, rng));
            positions = register("positions", PositionalEncoding.learned(LENGTH, d, rng));
            var options = TransformerEncoderLayer.Options.of(d, 4).withFeedforward(256).withDropout(0).withNormFirst();
            layers = register("layers", new TransformerEncoder(i -> new TransformerEncoderLayer(options, rng), 2,
                    new LayerNorm(d)));
            head = register("head", new Linear(d, VOCAB, true, rng));
        }

        /** @param x token ids [B, T] @return next-token logits [B, T, VOCAB] */
        @Override
        public Variable forward(Variable x) {
            Variable h = positions.forward(tokens.forward(x));
            return head.forward(layers.forward(h, MultiheadAttention.Masks.NONE.withCausal()));
        }
    }

    /** The tokens of {@code a + b = (a + b, reversed)}: 12 ids. */
    static float[] sequence(int a, int b) {
        float[] t = new float[LENGTH];
        int sum = a + b;
        for (int i = 0; i < 3; i++) {
            t[i] = (a / (int) Math.pow(10, 2 - i)) % 10;
            t[4 + i] = (b / (int) Math.pow(10, 2 - i)) % 10;
        }
        t[3] = PLUS;
        t[7] = EQUALS;
        for (int i = 0; i < ANSWER; i++) {
            t[PROMPT + i] = sum / (int) Math.pow(10, i) % 10;
        }
        return t;
    }

    /** Held-out sums never appear in training: a tenth of all pairs, chosen by a hash so every digit occurs in both. */
    static boolean heldOut(int a, int b) {
        long h = (a * 1_000_003L + b) * 0x9E3779B97F4A7C15L;
        return Long.remainderUnsigned(h >>> 17, 10) == 0;
    }

    /**
     * Trains an adder.
     *
     * @param steps AdamW steps
     * @param batch sums per step
     * @param seed the seed of the model and the data
     * @param log prints progress when true
     * @return the trained model
     */
    static Adder train(int steps, int batch, long seed, boolean log) {
        Rng rng = new Rng(seed);
        Adder model = new Adder(rng);
        AdamW opt = new AdamW(model.parameters(), 3e-3, AdamW.DEFAULTS.withWeightDecay(0.01));
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, 1e-5);
        float[] inputs = new float[batch * (LENGTH - 1)], targets = new float[batch * ANSWER];
        for (int step = 1; step <= steps; step++) {
            for (int n = 0; n < batch; n++) {
                int a, b;
                do {
                    a = rng.nextInt(1000);
                    b = rng.nextInt(1000);
                } while (heldOut(a, b));
                float[] t = sequence(a, b);
                System.arraycopy(t, 0, inputs, n * (LENGTH - 1), LENGTH - 1);
                System.arraycopy(t, PROMPT, targets, n * ANSWER, ANSWER);
            }
            Variable logits = model.forward(Variable.of(Tensor.of(inputs, batch, LENGTH - 1)));
            // The answer's digits are predicted at positions 7..10, from '=' and the digits written so far.
            Variable answer = logits.narrow(1, PROMPT - 1, ANSWER).reshape(batch * ANSWER, VOCAB);
            Variable loss = Losses.crossEntropy(answer, Tensor.of(targets, batch * ANSWER));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
            if (log && (step % 500 == 0 || step == 1)) {
                System.out.printf(Locale.ROOT, "step %5d: loss %.4f%n", step, loss.item());
            }
        }
        return model;
    }

    /**
     * Answers sums greedily, one digit at a time.
     *
     * @param model the adder
     * @param pairs {a, b} pairs
     * @return the predicted sums
     */
    static int[] answer(Adder model, int[][] pairs) {
        int n = pairs.length;
        float[] seq = new float[n * LENGTH];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequence(pairs[i][0], pairs[i][1]), 0, seq, i * LENGTH, PROMPT);
        }
        model.eval();
        try (var _ = Grad.noGrad()) {
            for (int k = 0; k < ANSWER; k++) {
                int len = PROMPT + k;
                float[] prefix = new float[n * len];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(seq, i * LENGTH, prefix, i * len, len);
                }
                Tensor logits = model.forward(Tensor.of(prefix, n, len)).data();
                Tensor next = logits.select(1, len - 1).argmax(1, false);
                for (int i = 0; i < n; i++) {
                    seq[i * LENGTH + len] = next.get(i);
                }
            }
        }
        model.train();
        int[] sums = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < ANSWER; k++) {
                sums[i] += (int) seq[i * LENGTH + PROMPT + k] * (int) Math.pow(10, k);
            }
        }
        return sums;
    }

    /**
     * @param count how many
     * @param seed the seed
     * @return held-out {a, b} pairs
     */
    static int[][] testPairs(int count, long seed) {
        Rng rng = new Rng(seed);
        int[][] pairs = new int[count][];
        for (int i = 0; i < count; i++) {
            int a, b;
            do {
                a = rng.nextInt(1000);
                b = rng.nextInt(1000);
            } while (!heldOut(a, b));
            pairs[i] = new int[] {a, b};
        }
        return pairs;
    }

    /**
     * @param pairs sums asked
     * @param answers sums given
     * @return the share answered exactly
     */
    static double exactMatch(int[][] pairs, int[] answers) {
        int right = 0;
        for (int i = 0; i < pairs.length; i++) {
            right += answers[i] == pairs[i][0] + pairs[i][1] ? 1 : 0;
        }
        return (double) right / pairs.length;
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the output folder cannot be made
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int steps = args.integer("steps", 1500);
        int batch = args.integer("batch", 128);
        Path out = args.outDir("transformer-adder");
        long t0 = System.nanoTime();
        Adder model = train(steps, batch, 1, true);
        System.out.printf(Locale.ROOT, "trained in %.1f s; %,d parameters%n", (System.nanoTime() - t0) / 1e9,
                model.parameters().stream().mapToLong(p -> p.data().numel()).sum());
        int[][] test = testPairs(2000, 7);
        int[] got = answer(model, test);
        System.out.printf(Locale.ROOT, "exact match on 2,000 held-out sums: %.2f%%%n", 100 * exactMatch(test, got));
        for (int i = 0; i < 6; i++) {
            System.out.printf(Locale.ROOT, "  %03d + %03d = %4d  (model: %4d)%n", test[i][0], test[i][1],
                    test[i][0] + test[i][1], got[i]);
        }
        List<Integer> wrong = new java.util.ArrayList<>();
        for (int i = 0; i < test.length && wrong.size() < 5; i++) {
            if (got[i] != test[i][0] + test[i][1]) {
                wrong.add(i);
            }
        }
        for (int i : wrong) {
            System.out.printf(Locale.ROOT, "  wrong: %03d + %03d = %4d, model says %4d%n", test[i][0], test[i][1],
                    test[i][0] + test[i][1], got[i]);
        }
        Path picture = out.resolve("attention.png");
        Tensor maps = attentionMaps(model, test[0][0], test[0][1]);
        ImageGrid.write(picture, maps, maps.size(0), 24, 4);
        System.out.printf(Locale.ROOT, "wrote %s: what each position reads in layers 1 and 2 for %03d + %03d (rows: the"
                + " reading position, 0-10; columns: the positions read; brighter is more)%n", picture, test[0][0], test[0][1]);
        String[] names = {"a₂", "a₁", "a₀", "+", "b₂", "b₁", "b₀", "=", "s₀", "s₁", "s₂"};
        for (int k = 0; k < ANSWER; k++) {
            int row = PROMPT - 1 + k;
            Tensor w = maps.select(0, 1).select(0, row);
            int best = (int) w.argmax().item();
            System.out.printf(Locale.ROOT, "  writing digit %d of the sum, layer 2 reads %s most (%.0f%%)%n", k, names[best],
                    100 * w.get(best));
        }
    }

    /**
     * The head-averaged attention of each layer for one sum, each scaled to its largest weight.
     *
     * @param model the adder
     * @param a the first number
     * @param b the second
     * @return {@code [layers, 11, 11]}, values in [0, 1]
     */
    static Tensor attentionMaps(Adder model, int a, int b) {
        float[] seq = sequence(a, b);
        Tensor tokensIn = Tensor.of(java.util.Arrays.copyOf(seq, LENGTH - 1), 1, LENGTH - 1);
        var causal = MultiheadAttention.Masks.NONE.withCausal();
        model.eval();
        try (var _ = Grad.noGrad()) {
            Variable h = model.positions.forward(model.tokens.forward(Variable.of(tokensIn)));
            List<Tensor> maps = new java.util.ArrayList<>();
            for (TransformerEncoderLayer layer : model.layers.layers()) {
                Tensor w = layer.attentionWeights(h, causal).select(0, 0);
                maps.add(w.div(w.max().item()));
                h = layer.forward(h, causal);
            }
            return Tensor.stack(0, maps.toArray(new Tensor[0]));
        } finally {
            model.train();
        }
    }
}
