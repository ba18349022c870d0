package io.hybridstorage.sync.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** GCS notifications as GCS publishes them (attributes and a {@code JSON_API_V1} payload), for tests. */
final class Notifications {

  private Notifications() {}

  static Map<String, String> attributes(String eventType, String bucket, String name, long generation,
      long overwrote, String eventTime) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("notificationConfig", "projects/_/buckets/" + bucket + "/notificationConfigs/1");
    a.put("eventType", eventType);
    a.put("payloadFormat", "JSON_API_V1");
    a.put("bucketId", bucket);
    a.put("objectId", name);
    a.put("objectGeneration", Long.toString(generation));
    a.put("eventTime", eventTime);
    if (overwrote > 0) {
      a.put("overwroteGeneration", Long.toString(overwrote));
    }
    return a;
  }

  static byte[] payload(String bucket, String name, long generation, long size, String crc32c) {
    return ("{\"kind\":\"storage#object\",\"id\":\"" + bucket + "/" + name + "/" + generation
        + "\",\"name\":\"" + name + "\",\"bucket\":\"" + bucket + "\",\"generation\":\"" + generation
        + "\",\"metageneration\":\"1\",\"size\":\"" + size + "\",\"crc32c\":\"" + crc32c
        + "\",\"md5Hash\":\"1B2M2Y8AsgTpgAmY7PhCfg==\",\"updated\":\"2026-12-07T06:00:00Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
