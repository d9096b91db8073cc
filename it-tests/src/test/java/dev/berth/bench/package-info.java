/**
 * The benchmark harness: Berth and CNCF Distribution started side by side on loopback, driven
 * with the same content and loads, alternating within each repeat, with nginx serving the same
 * bytes as the ceiling. {@link dev.berth.bench.Benchmark} runs it and writes
 * {@code target/bench/results.json} and {@code results.md}; {@code BenchmarkSmokeIT} runs every
 * workload at tiny sizes in the test suite so the harness keeps working.
 *
 * <p>GET loads, listing pages among them, go through {@code wrk}; HEAD loads, pushes, the
 * mixed load and listing walks go through the small Java generators here
 * ({@link dev.berth.bench.HeadLoad}, {@link dev.berth.bench.RegistryHttp}). Server CPU time
 * and resident memory come from {@code /proc}.
 */
package dev.berth.bench;
