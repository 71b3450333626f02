/**
 * Small dense linear algebra in double precision for diagnostics (spectra of recurrent weight
 * matrices, conditioning): {@link io.github.rnnlab.linalg.Svd} (one-sided Jacobi SVD and power
 * iteration for σ₁), {@link io.github.rnnlab.linalg.Eigenvalues} (balancing, Hessenberg reduction and
 * Francis double-shift QR: real eigenvalues, complex pairs, spectral radius) and
 * {@link io.github.rnnlab.linalg.HouseholderQr}. Not tuned for speed: matrices of a few hundred rows
 * take well under a second; use power iteration for larger ones.
 */
package io.github.rnnlab.linalg;
