package io.hybridstorage.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ls [gs://bucket[/path]]…} as {@code gcloud storage ls}: no URL lists the buckets; {@code
 * gs://b} and {@code gs://b/folder/} list one level ({@code /} as the delimiter: objects and the
 * folders below); {@code gs://b/name} shows the object of that name and, if {@code name/} is a
 * folder, what it holds; {@code -r} every level. A URL that matches nothing fails (exit 1).
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "Lists buckets, or objects and folders under gs://bucket[/prefix] (one level; -r every level).")
final class LsCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "0..*", description = "gs://bucket[/prefix]; none: the buckets")
  List<String> urls = new ArrayList<>();

  @Option(names = {"-r", "--recursive"}, description = "every level below, not one")
  boolean recursive;

  @Option(names = {"-l", "--long"}, description = "size, update time and URL; a total at the end")
  boolean longFormat;

  @Option(names = {"-a", "--all-versions"}, description = "noncurrent versions too, as URL#generation")
  boolean allVersions;

  @Option(names = "--json", description = "one JSON array of entries")
  boolean json;

  /** One line of the listing. */
  record Entry(String url, boolean folder, @Nullable Long size, @Nullable Long generation, @Nullable String updated) {}

  @Override
  int run(World world) {
    Storage storage = world.storage();
    List<Entry> entries = new ArrayList<>();
    if (urls.isEmpty()) {
      for (Bucket bucket : storage.list().iterateAll()) {
        entries.add(new Entry(GcsUrl.SCHEME + bucket.getName() + "/", true, null, null, null));
      }
    }
    for (String argument : urls) {
      GcsUrl url = GcsUrl.parse(argument);
      List<Entry> found = list(storage, url);
      if (found.isEmpty() && !url.name().isEmpty()) {
        throw new HybridStorageException(404, "notFound", "ls", url.bucket(), url.name(), null,
            "matched no objects", null);
      }
      entries.addAll(found);
    }
    if (json) {
      Json.print(out(), entries);
    } else {
      print(out(), entries);
    }
    return Exits.OK;
  }

  private List<Entry> list(Storage storage, GcsUrl url) {
    List<Entry> entries = new ArrayList<>();
    String name = url.name();
    if (!name.isEmpty() && !name.endsWith("/")) {
      Blob exact = storage.get(BlobId.of(url.bucket(), name));
      if (exact != null) {
        entries.add(entry(exact));
      }
      name = name + "/";
    }
    List<Blob> blobs = recursive ? Listings.objects(storage, url.bucket(), name, allVersions)
        : Listings.level(storage, url.bucket(), name, allVersions);
    for (Blob blob : blobs) {
      entries.add(entry(blob));
    }
    return entries;
  }

  private Entry entry(Blob blob) {
    if (blob.isDirectory()) {
      return new Entry(GcsUrl.of(blob.getBucket(), blob.getName()), true, null, null, null);
    }
    String url = GcsUrl.of(blob.getBucket(), blob.getName()) + (allVersions ? "#" + blob.getGeneration() : "");
    return new Entry(url, false, blob.getSize(), blob.getGeneration(),
        blob.getUpdateTimeOffsetDateTime() == null ? null : blob.getUpdateTimeOffsetDateTime().toString());
  }

  private void print(PrintWriter out, List<Entry> entries) {
    long objects = 0;
    long bytes = 0;
    for (Entry e : entries) {
      if (!longFormat) {
        out.println(e.url());
      } else if (e.folder()) {
        out.println(String.format("%12s  %-30s  %s", "", "", e.url()));
      } else {
        objects++;
        bytes += e.size() == null ? 0 : e.size();
        out.println(String.format("%12d  %-30s  %s", e.size(), e.updated() == null ? "" : e.updated(), e.url()));
      }
    }
    if (longFormat) {
      out.println("TOTAL: " + objects + " objects, " + bytes + " bytes");
    }
  }
}
