/**
 * The GCS JSON API gateway: {@link io.hybridstorage.gateway.Gateway} serves the JSON API (and its
 * upload and batch endpoints) over any {@link io.hybridstorage.api.ObjectStore}, usually a
 * configured hybrid world ({@link io.hybridstorage.gateway.GatewayConfig}), so that every tool that
 * speaks GCS reaches it. {@code internal} holds the HTTP handling and is not API.
 */
package io.hybridstorage.gateway;
