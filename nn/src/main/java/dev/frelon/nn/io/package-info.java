/**
 * Model files: reading and writing tensors in the safetensors format of Hugging Face, so that weights move
 * between Frelon and PyTorch.
 *
 * <p>{@link dev.frelon.nn.io.Safetensors#save} writes named float32 tensors (views by value, no dense copy)
 * and optional string metadata, atomically: a temporary file in the target's directory, flushed, then moved
 * over the target. {@link dev.frelon.nn.io.Safetensors#load} returns
 * {@link dev.frelon.nn.io.Safetensors.Contents} (the tensors in file order, the metadata, each stored dtype),
 * converting F16, BF16 and F64 to float32. It trusts nothing in the file: the header is bounded and parsed by a
 * strict JSON reader of this package before anything is allocated, and every problem is a
 * {@link dev.frelon.nn.io.Safetensors.FormatException} naming the file, the tensor and the numbers involved.
 *
 * <p>{@link dev.frelon.nn.Module#save} and {@link dev.frelon.nn.Module#load} go through this package; it
 * deals in plain {@link dev.frelon.core.Tensor}s and names, and knows nothing of modules, graphs or optimizers.
 */
package dev.frelon.nn.io;
