package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GCS naming rules: a bad bucket or object name is 400 with a message naming the name, the site
 * and the rule broken, and nothing is created.
 */
public interface NameTester extends StoreTester {

  /** Expects createBucket(name) to fail with 400 naming the rule, and no bucket to exist. */
  private void expectBadBucket(String name, String rule) {
    HybridStorageException e = expect(400, () -> store().createBucket(BucketSpec.of(name)));
    assertThat(e.getMessage()).contains("Invalid bucket name").contains(rule);
    assertNames(e, store(), name, null);
    assertThat(store().getBucket(name)).isEmpty();
  }

  /** Expects a write of {@code name} to fail with 400 naming the rule, and the bucket to stay empty. */
  private void expectBadObject(String name, String rule) {
    String bucket = newBucket();
    HybridStorageException e = expect(400, () -> put(store(), bucket, name, "x"));
    assertThat(e.getMessage()).contains("Invalid object name").contains(rule);
    assertNames(e, store(), bucket, name);
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void bucketNameTooShortIs400() {
    expectBadBucket("ab", "at least 3 characters");
  }

  @Test
  default void bucketNameWithUppercaseOrBadCharactersIs400() {
    expectBadBucket("tck-Upper", "lowercase letters");
    expectBadBucket("tck_bad!", "lowercase letters");
    expectBadBucket("-tck-start", "start and end with a letter or digit");
  }

  @Test
  default void bucketNameLikeAnIpAddressIs400() {
    expectBadBucket("192.168.5.4", "IP address");
  }

  @Test
  default void bucketNameWithGoogleIs400() {
    expectBadBucket("goog-tck", "must not start with \"goog\"");
    expectBadBucket("tck-google-x", "must not contain \"google\"");
  }

  @Test
  default void bucketNameTooLongIs400() {
    expectBadBucket("tck-" + "a".repeat(60), "at most 63 characters");
  }

  @Test
  default void objectNameEmptyIs400() {
    expectBadObject("", "must not be empty");
  }

  @Test
  default void objectNameDotOrDotDotIs400() {
    expectBadObject(".", "must not be '.' or '..'");
    expectBadObject("..", "must not be '.' or '..'");
  }

  @Test
  default void objectNameWithCarriageReturnOrLineFeedIs400() {
    expectBadObject("a\rb", "carriage return or line feed");
    expectBadObject("a\nb", "carriage return or line feed");
  }

  @Test
  default void objectNameOver1024Utf8BytesIs400() {
    String name = "\u20AC".repeat(342); // 342 characters, 1026 bytes of UTF-8
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(1026);
    expectBadObject(name, "at most 1024 bytes");
  }

  @Test
  default void objectNameOfExactly1024Utf8BytesIsAccepted() {
    String bucket = newBucket();
    String name = "\u00E9".repeat(511) + "ab"; // 1022 + 2 bytes
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    put(store(), bucket, name, "ok");
    assertThat(Tck.read(store(), bucket, name)).isEqualTo("ok");
  }

  @Test
  default void unicodeObjectNamesRoundTrip() {
    String bucket = newBucket();
    List<String> names = List.of("caf\u00E9/men\u00FC.txt", "\u65E5\u672C/\u6587\u5B57", "emoji-\uD83D\uDE00.bin",
        "spaces and + plus & % percent");
    for (String name : names) {
      put(store(), bucket, name, name);
    }
    for (String name : names) {
      assertThat(Tck.read(store(), bucket, name)).isEqualTo(name);
      assertThat(store().head(ObjectId.of(bucket, name), Conditions.none())).hasValueSatisfying(
          i -> assertThat(i.name()).isEqualTo(name));
    }
  }

  @Test
  default void invalidTargetNamesOfCopyAndComposeAre400() {
    String bucket = newBucket();
    put(store(), bucket, "src", "x");
    HybridStorageException copy = expect(400,
        () -> store().copy(CopyRequest.of(ObjectId.of(bucket, "src"), bucket, "..")));
    assertThat(copy.getMessage()).contains("must not be '.' or '..'");
    assertNames(copy, store(), bucket, "..");
    HybridStorageException compose = expect(400, () -> store().compose(new ComposeRequest(bucket,
        List.of(ComposeRequest.Source.of("src")), "bad\nname", ObjectMetadata.empty(), Conditions.none())));
    assertThat(compose.getMessage()).contains("carriage return or line feed");
    assertThat(Tck.names(store(), ListRequest.of(bucket))).containsExactly("src");
  }
}
