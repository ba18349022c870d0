package io.hybridstorage.api.internal;

import static com.google.cloud.storage.spi.v1.StorageRpc.Option.COPY_SOURCE_ACL;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.DELIMITER;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.DETECT_CONTENT_TYPE;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.ENABLE_OBJECT_RETENTION;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.END_OFF_SET;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.EXTRA_HEADERS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.FIELDS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_DISABLE_GZIP_CONTENT;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_GENERATION_MATCH;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_GENERATION_NOT_MATCH;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_METAGENERATION_MATCH;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_METAGENERATION_NOT_MATCH;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.INCLUDE_FOLDERS_AS_PREFIXES;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.MATCH_GLOB;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.MAX_RESULTS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.OVERRIDE_UNLOCKED_RETENTION;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PAGE_TOKEN;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PREFIX;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PROJECTION;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PROJECT_ID;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.RETURN_PARTIAL_SUCCESS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.RETURN_RAW_INPUT_STREAM;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.SOFT_DELETED;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.START_OFF_SET;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.USER_PROJECT;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.VERSIONS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.X_UPLOAD_CONTENT_LENGTH;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Option;
import com.google.cloud.storage.spi.v1.StorageRpc;
import io.hybridstorage.api.Conditions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The values of a call's GCS options (read through the bridge) and the policy on which the facade
 * honours, which it accepts as having no effect on data, and which it refuses with 501.
 *
 * <p>{@code fields} is honoured on gets and lists (only the fields selected are set, the others
 * {@code null}, as GCS's partial response; see {@link FieldSelection}) and accepted without effect
 * elsewhere. Accepted without effect: {@code userProject} (billing), {@code projection}, {@code
 * extraHeaders}, {@code disableGzipContent} (transport compression), {@code expectedObjectSize} (a
 * sizing hint), {@code returnPartialSuccess} (no bucket is ever unreachable), {@code
 * detectContentType} (applied to the object by the client's own mapper), and boolean options set
 * to their default {@code false} ({@code softDeleted}, {@code includeFolders}, {@code
 * enableObjectRetention}, {@code overrideUnlockedRetention}).
 *
 * <p>Refused with 501: {@code predefinedAcl} and {@code predefinedDefaultObjectAcl} — access is
 * governed by each site's own policy (GCS IAM, VAST identity policies), and ignoring a requested
 * ACL would silently grant or deny access other than what was asked; customer-supplied and KMS
 * encryption keys (sites encrypt at rest with their own keys); {@code includeTrailingDelimiter},
 * soft-deleted reads and listings, managed folders and list filters (not in the {@code
 * ObjectStore} contract); and each option an operation cannot honour (e.g. metageneration
 * preconditions on bucket updates, which no store decides atomically).
 */
@SuppressWarnings("deprecation") // Option is deprecated, yet every option class of the client extends it
final class OptionValues {

  /** Options with no effect on stored data or results; accepted everywhere. */
  private static final Set<StorageRpc.Option> NO_EFFECT = EnumSet.of(USER_PROJECT, FIELDS, PROJECTION,
      EXTRA_HEADERS, IF_DISABLE_GZIP_CONTENT, X_UPLOAD_CONTENT_LENGTH, RETURN_PARTIAL_SUCCESS,
      DETECT_CONTENT_TYPE, PROJECT_ID);

  /** Boolean options whose {@code false} is GCS's default: accepted when false. */
  private static final Set<StorageRpc.Option> FALSE_IS_DEFAULT = EnumSet.of(SOFT_DELETED,
      INCLUDE_FOLDERS_AS_PREFIXES, ENABLE_OBJECT_RETENTION, OVERRIDE_UNLOCKED_RETENTION, COPY_SOURCE_ACL);

  static final Set<StorageRpc.Option> CONDITIONS = EnumSet.of(IF_GENERATION_MATCH, IF_GENERATION_NOT_MATCH,
      IF_METAGENERATION_MATCH, IF_METAGENERATION_NOT_MATCH);
  static final Set<StorageRpc.Option> READ = union(CONDITIONS, EnumSet.of(RETURN_RAW_INPUT_STREAM));
  static final Set<StorageRpc.Option> OBJECT_LIST = EnumSet.of(PREFIX, DELIMITER, MAX_RESULTS, PAGE_TOKEN,
      START_OFF_SET, END_OFF_SET, MATCH_GLOB, VERSIONS);
  static final Set<StorageRpc.Option> BUCKET_LIST = EnumSet.of(PREFIX, MAX_RESULTS, PAGE_TOKEN);
  static final Set<StorageRpc.Option> BUCKET_GET = EnumSet.of(IF_METAGENERATION_MATCH,
      IF_METAGENERATION_NOT_MATCH);
  static final Set<StorageRpc.Option> NONE = EnumSet.noneOf(StorageRpc.Option.class);

  private final Map<StorageRpc.Option, Object> values;

  OptionValues(Map<StorageRpc.Option, Object> values) {
    this.values = values;
  }

  /** The options of a call on object {@code id} (extractors resolved against it), checked by {@link #require}. */
  static OptionValues of(BlobId id, Option<?>[] options, Set<StorageRpc.Option> honoured, String method,
      String site) {
    return new OptionValues(HybridBridge.options(id, options))
        .require(honoured, method, id.getBucket(), id.getName(), site);
  }

  /** The options of a call writing {@code info} (extractors resolved against it), checked by {@link #require}. */
  static OptionValues of(BlobInfo info, Option<?>[] options, Set<StorageRpc.Option> honoured, String method,
      String site) {
    return new OptionValues(HybridBridge.options(info, options))
        .require(honoured, method, info.getBucket(), info.getName(), site);
  }

  /**
   * 501 naming the first option present that is neither in {@code honoured} nor accepted without
   * effect.
   */
  OptionValues require(Set<StorageRpc.Option> honoured, String method, @Nullable String bucket,
      @Nullable String object, String site) {
    for (Map.Entry<StorageRpc.Option, ?> e : values.entrySet()) {
      StorageRpc.Option option = e.getKey();
      if (honoured.contains(option) || NO_EFFECT.contains(option)
          || (FALSE_IS_DEFAULT.contains(option) && Boolean.FALSE.equals(e.getValue()))) {
        continue;
      }
      throw Errors.unsupported(method, bucket, object, site,
          "option " + option.value() + "=" + e.getValue() + " is not supported by the hybrid facade"
              + reason(option));
    }
    return this;
  }

  private static String reason(StorageRpc.Option option) {
    switch (option) {
      case PREDEFINED_ACL:
      case PREDEFINED_DEFAULT_OBJECT_ACL:
        return ": access is governed by each site's policy, and an ACL is refused rather than ignored"
            + " so that access never silently differs from what was asked";
      case CUSTOMER_SUPPLIED_KEY:
      case KMS_KEY_NAME:
        return ": each site encrypts at rest with its own keys";
      case INCLUDE_TRAILING_DELIMITER:
      case INCLUDE_FOLDERS_AS_PREFIXES:
      case SOFT_DELETED:
        return ": not part of the ObjectStore contract";
      case IF_METAGENERATION_MATCH:
      case IF_METAGENERATION_NOT_MATCH:
        return ": no store decides a metageneration precondition atomically for this operation";
      default:
        return "";
    }
  }

  /** The object preconditions among these options. */
  Conditions conditions() {
    return new Conditions(number(IF_GENERATION_MATCH), number(IF_GENERATION_NOT_MATCH),
        number(IF_METAGENERATION_MATCH), number(IF_METAGENERATION_NOT_MATCH));
  }

  @Nullable
  String string(StorageRpc.Option option) {
    Object value = values.get(option);
    return value == null ? null : value.toString();
  }

  @Nullable
  Long number(StorageRpc.Option option) {
    Object value = values.get(option);
    return value == null ? null : ((Number) value).longValue();
  }

  boolean flag(StorageRpc.Option option) {
    return Boolean.TRUE.equals(values.get(option));
  }

  boolean has(StorageRpc.Option option) {
    return values.containsKey(option);
  }

  private static Set<StorageRpc.Option> union(Set<StorageRpc.Option> a, Set<StorageRpc.Option> b) {
    EnumSet<StorageRpc.Option> all = EnumSet.copyOf(a);
    all.addAll(b);
    return all;
  }
}
