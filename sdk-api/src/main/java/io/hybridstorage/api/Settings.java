package io.hybridstorage.api;

import java.util.Map;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Where {@link HybridStorageOptions#fromEnvironment()} reads single settings: a JVM system
 * property ({@code hybrid.storage.*}) wins over the environment variable ({@code
 * HYBRID_STORAGE_*}). Injectable so tests need not touch the real environment.
 */
final class Settings {

  /** Names the YAML configuration file. */
  static final Key CONFIG = new Key("hybrid.storage.config", "HYBRID_STORAGE_CONFIG");
  /** {@code true}/{@code false}: forces the StorageFactory swap on (embedded default) or off. */
  static final Key ENABLED = new Key("hybrid.storage.enabled", "HYBRID_STORAGE_ENABLED");
  /** The active BU profile. */
  static final Key PROFILE = new Key("hybrid.storage.profile", "HYBRID_STORAGE_PROFILE");
  static final Key LOCAL_SITE = new Key("hybrid.storage.localSite", "HYBRID_STORAGE_LOCAL_SITE");
  static final Key PROJECT_ID = new Key("hybrid.storage.projectId", "HYBRID_STORAGE_PROJECT_ID");
  static final Key SEED = new Key("hybrid.storage.seed", "HYBRID_STORAGE_SEED");
  static final Key JOURNAL_DIRECTORY =
      new Key("hybrid.storage.journalDirectory", "HYBRID_STORAGE_JOURNAL_DIRECTORY");

  /** A setting's two names. */
  record Key(String property, String variable) {}

  /** A value and the name it was found under, for error messages. */
  record Value(String value, String origin) {}

  private final Function<String, String> properties;
  private final Function<String, String> environment;

  Settings(Function<String, String> properties, Function<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  static Settings system() {
    return new Settings(System::getProperty, System::getenv);
  }

  static Settings of(Map<String, String> properties, Map<String, String> environment) {
    return new Settings(properties::get, environment::get);
  }

  /** The value of {@code key}, or {@code null} when neither name is set (blank counts as unset). */
  @Nullable
  Value get(Key key) {
    String p = properties.apply(key.property());
    if (p != null && !p.isBlank()) {
      return new Value(p.trim(), "system property " + key.property());
    }
    String e = environment.apply(key.variable());
    if (e != null && !e.isBlank()) {
      return new Value(e.trim(), "environment variable " + key.variable());
    }
    return null;
  }
}
