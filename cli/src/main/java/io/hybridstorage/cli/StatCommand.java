package io.hybridstorage.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.hybridstorage.api.HybridStorageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stat gs://bucket/object…}: an object's metadata as the hybrid {@code Storage} reports it; 404 exits 1. */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "An object's metadata: size, generation, metageneration, checksums, content type, times, metadata.")
final class StatCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1..*", description = "gs://bucket/object")
  List<String> urls = new ArrayList<>();

  @Option(names = "--json", description = "one JSON array, one object per URL")
  boolean json;

  @Override
  int run(World world) {
    List<Map<String, Object>> described = new ArrayList<>();
    for (String argument : urls) {
      GcsUrl url = GcsUrl.parseObject(argument);
      Blob blob = world.storage().get(BlobId.of(url.bucket(), url.name()));
      if (blob == null) {
        throw HybridStorageException.objectNotFound("stat", url.bucket(), url.name(), null);
      }
      described.add(describe(url, blob));
    }
    if (json) {
      Json.print(out(), described);
    } else {
      for (Map<String, Object> fields : described) {
        fields.forEach((key, value) -> {
          if (value != null) {
            out().println(key + ": " + value);
          }
        });
      }
    }
    return Exits.OK;
  }

  static Map<String, Object> describe(GcsUrl url, Blob blob) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("url", url.toString());
    fields.put("size", blob.getSize());
    fields.put("generation", blob.getGeneration());
    fields.put("metageneration", blob.getMetageneration());
    fields.put("crc32c", blob.getCrc32c());
    fields.put("md5", blob.getMd5());
    fields.put("etag", blob.getEtag());
    fields.put("contentType", blob.getContentType());
    fields.put("contentEncoding", blob.getContentEncoding());
    fields.put("created", blob.getCreateTimeOffsetDateTime() == null ? null
        : blob.getCreateTimeOffsetDateTime().toString());
    fields.put("updated", blob.getUpdateTimeOffsetDateTime() == null ? null
        : blob.getUpdateTimeOffsetDateTime().toString());
    fields.put("componentCount", blob.getComponentCount());
    fields.put("metadata", blob.getMetadata() == null ? null : new LinkedHashMap<>(blob.getMetadata()));
    return fields;
  }
}
