/**
 * <b>Only the measurement baseline of {@code GatewayBenchmark}; not a server to use.</b> A frozen
 * copy of the JDK-{@code HttpServer} GCS JSON API test fixture that the gateway replaced
 * ({@code sdk-testkit/…/testkit/gcsapi} as of fe72a29, removed in 5c44abd), restored from git
 * history with only its package renamed, <em>defects and all</em>: media and multipart uploads are
 * held whole in memory, one unbounded thread per connection, no read timeouts, TCP_NODELAY only
 * with {@code -Dsun.net.httpserver.nodelay=true}, wrongly typed JSON answers 500, and the rest of
 * the list in issue 14. Do not fix it: it is kept as it was so that the gateway's figures are
 * compared with what it replaced. Run it with {@code -Dsun.net.httpserver.nodelay=true}, as its
 * tests did.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.benchmarks.baseline;
