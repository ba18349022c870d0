package io.hybridstorage.testkit;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on what one site holds, read from the site's own store (below the router
 * and the fault injector): {@code world.assertThat("dc2").lacks("events", "e1")}. A failure names
 * the site and the object and shows what the site holds instead.
 */
public final class SiteAssert extends AbstractAssert<SiteAssert, ObjectStore> {

  private static final int SHOWN = 10;

  SiteAssert(ObjectStore site) {
    super(site, SiteAssert.class);
  }

  /** The site has a live version of {@code bucket/name}. */
  public SiteAssert has(String bucket, String name) {
    live(bucket, name);
    return this;
  }

  /** The site has no live version of {@code bucket/name} (or not even the bucket). */
  public SiteAssert lacks(String bucket, String name) {
    HybridWorld.headQuietly(actual, bucket, name).ifPresent(info -> failWithMessage(
        "Expected site %s not to hold gs://%s/%s, but it holds generation %s (%s bytes)", actual.site(), bucket, name,
        info.generation(), info.size()));
    return this;
  }

  /** The site's live version of {@code bucket/name} has generation {@code generation}. */
  public SiteAssert hasGeneration(String bucket, String name, long generation) {
    ObjectInfo info = live(bucket, name);
    if (info.generation() != generation) {
      failWithMessage("Expected site %s to hold generation %s of gs://%s/%s, but it holds generation %s",
          actual.site(), generation, bucket, name, info.generation());
    }
    return this;
  }

  /** The site's live version of {@code bucket/name} holds exactly {@code bytes}. */
  public SiteAssert hasContent(String bucket, String name, byte[] bytes) {
    ObjectInfo info = live(bucket, name);
    byte[] held = read(info);
    if (!Arrays.equals(held, bytes)) {
      failWithMessage("Expected site %s to hold %s bytes in gs://%s/%s (generation %s), but it holds %s bytes: %s",
          actual.site(), bytes.length, bucket, name, info.generation(), held.length, preview(held));
    }
    return this;
  }

  /** The site's live version of {@code bucket/name} holds exactly {@code text} in UTF-8. */
  public SiteAssert hasContent(String bucket, String name, String text) {
    return hasContent(bucket, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private ObjectInfo live(String bucket, String name) {
    isNotNull();
    return HybridWorld.headQuietly(actual, bucket, name).orElseThrow(() -> failure(
        "Expected site %s to hold gs://%s/%s, but it does not; %s", actual.site(), bucket, name, holdings(bucket)));
  }

  private byte[] read(ObjectInfo info) {
    try (ObjectContent content = actual.read(ReadRequest.of(ObjectId.of(info.bucket(), info.name(),
        info.generation())))) {
      return content.stream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading gs://" + info.bucket() + "/" + info.name() + " on " + actual.site(), e);
    }
  }

  private String holdings(String bucket) {
    ListPage<ObjectInfo> page;
    try {
      page = actual.list(ListRequest.of(bucket).withPageSize(SHOWN));
    } catch (HybridStorageException e) {
      return e.code() == 404 ? "it has no bucket " + bucket : "listing gs://" + bucket + " failed: " + e.getMessage();
    }
    List<String> names = page.items().stream().map(ObjectInfo::name).toList();
    return "gs://" + bucket + " holds " + (names.isEmpty() ? "nothing" : names + (page.hasNextPage() ? " …" : ""));
  }

  private static String preview(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8);
    return "\"" + text + (bytes.length > 64 ? "…" : "") + "\"";
  }
}
