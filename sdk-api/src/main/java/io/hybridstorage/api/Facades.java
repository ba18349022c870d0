package io.hybridstorage.api;
// TEMPORARY until the facade branch is merged
final class Facades {
  static com.google.cloud.storage.Storage over(ObjectStore s, com.google.cloud.storage.Storage cp, HybridStorageOptions o) {
    throw new UnsupportedOperationException("facade not merged yet");
  }
}
