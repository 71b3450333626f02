package io.github.rnnlab.numeric;

/**
 * A small, fast, splittable random number generator (SplitMix64) whose whole state is one
 * {@code long}, so that it can be saved in a checkpoint and restored bit for bit. Not thread-safe:
 * give each thread its own ({@link #split()}).
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    /** A generator seeded with {@code seed}; the same seed gives the same sequence on every JVM. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state, for checkpoints. */
    public long state() {
        return state;
    }

    /** Restores a state taken with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        long z = (state += GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.remainderUnsigned(-1L, bound);
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) <= 0 || limit == 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Standard normal (Box–Muller, one value per call). */
    public double nextGaussian() {
        double u1 = nextDouble(), u2 = nextDouble();
        if (u1 < 1e-300) {
            u1 = 1e-300;
        }
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An independent generator derived from this one (advances this one by one step). */
    public Rng split() {
        return new Rng(nextLong() ^ 0x2545F4914F6CDD1DL);
    }
}
