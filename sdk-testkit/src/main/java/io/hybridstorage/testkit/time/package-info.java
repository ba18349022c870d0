/**
 * Time under test control: {@link io.hybridstorage.testkit.time.VirtualClock} is a {@link
 * java.time.Clock} (and a Guava {@code Ticker}) that moves only when a test says so, and {@link
 * io.hybridstorage.testkit.time.Sleeper} is how code under test waits, so that latency and
 * staleness tests run in microseconds of real time.
 *
 * <p>Production code takes a {@code Clock} and a {@code Sleeper} (real by default: {@link
 * java.time.Clock#systemUTC()}, {@link io.hybridstorage.testkit.time.Sleeper#system()}); tests pass
 * a {@code VirtualClock} and one of its sleepers. This {@code Sleeper} is the SDK's {@link
 * io.hybridstorage.api.Sleeper}, so the router takes them too: {@code
 * HybridStorageOptions.Builder.clock(clock).sleeper(clock.sleeper())}.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit.time;
