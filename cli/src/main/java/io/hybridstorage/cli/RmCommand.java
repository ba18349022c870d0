package io.hybridstorage.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rm gs://bucket/object…} deletes the live version of each object through the hybrid
 * {@code Storage} (so on every site of its placement, or journaled for those down); {@code -r
 * gs://bucket/folder} everything below the folder (and an object of that very name). An object
 * that does not exist fails with 404 (exit 1), as a URL that matches nothing.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Deletes objects (-r: everything under a folder).")
final class RmCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1..*", description = "gs://bucket/object, or with -r gs://bucket[/folder]")
  List<String> urls = new ArrayList<>();

  @Option(names = {"-r", "--recursive"}, description = "everything under the folder")
  boolean recursive;

  @Override
  int run(World world) {
    Storage storage = world.storage();
    Set<BlobId> targets = new LinkedHashSet<>();
    for (String argument : urls) {
      GcsUrl url = recursive ? GcsUrl.parse(argument) : GcsUrl.parseObject(argument);
      int before = targets.size();
      if (!url.name().isEmpty() && !url.name().endsWith("/")) {
        if (!recursive || storage.get(BlobId.of(url.bucket(), url.name())) != null) {
          targets.add(BlobId.of(url.bucket(), url.name()));
        }
      }
      if (recursive) {
        for (Blob blob : Listings.objects(storage, url.bucket(), Listings.folder(url.name()), false)) {
          targets.add(BlobId.of(blob.getBucket(), blob.getName()));
        }
        if (targets.size() == before) {
          throw new HybridStorageException(404, "notFound", "rm", url.bucket(), url.name(), null,
              "matched no objects", null);
        }
      }
    }
    int removed = 0;
    try (Progress progress = targets.size() > 1 ? cli.progress("rm", targets.size(), "objects") : Progress.NONE) {
      for (BlobId id : targets) {
        if (progress == Progress.NONE) {
          out().println("Removing " + GcsUrl.of(id.getBucket(), id.getName()));
        }
        if (!storage.delete(id)) {
          throw HybridStorageException.objectNotFound("rm", id.getBucket(), id.getName(), null);
        }
        removed++;
        progress.step(1);
      }
    }
    out().println("Removed " + removed + (removed == 1 ? " object" : " objects"));
    return Exits.OK;
  }
}
