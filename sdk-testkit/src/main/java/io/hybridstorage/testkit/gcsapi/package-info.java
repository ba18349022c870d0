/**
 * An embedded endpoint serving GCS's JSON API over any {@code ObjectStore} ({@link
 * io.hybridstorage.testkit.gcsapi.GcsApiServer}), so the real google-cloud-storage client and
 * other JSON API tools can run against the in-memory world. Built on the JDK's {@code
 * com.sun.net.httpserver}; responses use the JSON API's own model classes.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit.gcsapi;
