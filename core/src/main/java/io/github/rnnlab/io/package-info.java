/**
 * Model files: the safetensors format ({@link io.github.rnnlab.io.SafetensorsReader},
 * {@link io.github.rnnlab.io.SafetensorsWriter}) and atomic file replacement
 * ({@link io.github.rnnlab.io.AtomicFiles}).
 *
 * <p>A safetensors file is {@code [u64 little-endian N][N bytes of UTF-8 JSON header][data]}. The header maps
 * each tensor name to {@code {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}} (offsets relative to
 * the start of the data block) and may hold a {@code "__metadata__"} object of string→string pairs. Tensors are
 * row-major and little-endian and tile the data block exactly. Reading validates the whole header before it
 * allocates anything in proportion to what the file claims, so a hostile file costs at most its own size.
 */
package io.github.rnnlab.io;
