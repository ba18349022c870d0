package io.hybridstorage.cli;

import com.google.cloud.storage.BlobId;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cat gs://bucket/object…}: the objects' bytes, unchanged, to standard output (streamed, not held). */
@Command(name = "cat", mixinStandardHelpOptions = true, description = "Writes objects' bytes to standard output.")
final class CatCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1..*", description = "gs://bucket/object")
  List<String> urls = new ArrayList<>();

  @Override
  int run(World world) {
    List<GcsUrl> parsed = urls.stream().map(GcsUrl::parseObject).toList(); // every URL checked before any output
    out().flush();
    PrintStream raw = cli.rawOut();
    for (GcsUrl url : parsed) {
      world.storage().downloadTo(BlobId.of(url.bucket(), url.name()), raw);
    }
    raw.flush();
    return Exits.OK;
  }
}
