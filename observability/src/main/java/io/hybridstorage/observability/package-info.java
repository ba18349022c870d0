/**
 * Metrics, traces and the audit log of a routed world (issue 16), outside the core: sdk-routing
 * raises events ({@link io.hybridstorage.routing.RoutingListener}: site calls with their duration,
 * bytes and outcome, retries, routed calls with their placement and the sites they touched,
 * journal, replay, conflict and breaker events), and this module turns them into
 *
 * <ul>
 *   <li><b>Micrometer meters</b> under {@code hybrid.storage.*} ({@link
 *       io.hybridstorage.observability.MetricNames}): latency timers with p50/p99 per site,
 *       operation, placement and policy; errors by code; bytes in and out; retries; breaker
 *       state, bulkhead saturation, journal depth and oldest-entry age per site (gauges read at
 *       each scrape); replication lag, replays and conflicts; sync lag as the sync module reports
 *       it ({@code RoutingStore#reportSyncLag});
 *   <li><b>OpenTelemetry spans</b> (the API only): {@code storage.<operation>} per routed call
 *       with bucket, object, generation, placement, policy, the sites touched and acknowledged,
 *       and the code; a {@code storage.site.<operation>} child per site call;
 *   <li><b>the audit log</b>: one JSON line per change under the logger {@code
 *       io.hybridstorage.audit} — who, what, bucket/object, generation, the sites that
 *       acknowledged, the outcome; never contents, credentials, tokens or signed URLs.
 * </ul>
 *
 * The entry point is {@link io.hybridstorage.observability.HybridObservability}, a {@code
 * StoreDecorator} set on {@code HybridStorageOptions.Builder}. The rest is package-private.
 */
package io.hybridstorage.observability;
